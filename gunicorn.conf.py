"""gunicorn settings: ``gunicorn -c gunicorn.conf.py wsgi:app``. Every value can be
overridden from the environment, so one file serves every host."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker busy past this is killed. Paying makes up to two calls to the payment
# provider and then sends e-mail, so the default leaves room for both timeouts; a
# worker killed mid-payment is repaired by reconcile-payments, but better not killed.
_slowest_request = (2 * int(os.environ.get("STRIPE_TIMEOUT_SECONDS", "20"))
                    + int(os.environ.get("MAIL_TIMEOUT", "10")) + 10)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", str(max(30, _slowest_request))))
graceful_timeout = 30
keepalive = 5
# Recycle a worker after this many requests, so a slow leak can never grow without
# bound. Measured (benchmarks/worker_memory.py, 10,000 clinics): a worker grows by
# ~23 MB over its first 800 requests (caches filling) and by ~2 MB over the next
# 7,200, so restarts every 2,000 requests only paid the warm-up again. 0 = never.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
preload_app = True
# The app writes one JSON line per request itself (marketplace/web/request_log.py).
accesslog = None
errorlog = "-"
# Trust X-Forwarded-* only from the load balancer (see TRUSTED_PROXIES too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Each worker opens its own database connections: a connection shared across
    a fork can lose committed rows. (create_app opens none, but be certain.)"""
    from marketplace.models import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)


def when_ready(server):
    """In the master, before any worker forks: ZIP code data and compiled templates,
    which every worker then shares (see marketplace/warmup.py)."""
    from marketplace.warmup import warm_shared
    from wsgi import app

    warm_shared(app)


def post_worker_init(worker):
    """In each worker, before it accepts a request: one search on its own connection."""
    from marketplace.warmup import warm_worker
    from wsgi import app

    warm_worker(app)
