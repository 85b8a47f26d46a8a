"""gunicorn warms each process before it serves (gunicorn.conf.py, marketplace/warmup.py):
the ZIP data and templates in the master, one search per worker. A failure there is
logged and the server still starts."""

import logging

from marketplace import create_app
from marketplace.services.common import geo
from marketplace.warmup import warm_shared, warm_worker
from tests.conftest import base_config


def test_the_master_loads_the_zip_data_and_compiles_every_template(app):
    geo.lookup_zip.cache_clear()
    app.jinja_env.cache.clear()
    warm_shared(app)
    assert geo.lookup_zip.cache_info().currsize >= 1
    templates = app.jinja_env.list_templates(extensions=["html", "txt"])
    assert len(templates) > 50
    assert len(app.jinja_env.cache) == len(templates)


def test_a_worker_runs_a_search_and_leaves_no_session_behind(app, caplog):
    with caplog.at_level(logging.WARNING, logger="marketplace.warmup"):
        warm_worker(app)
    assert not caplog.records


def test_a_database_down_at_boot_is_logged_not_fatal(tmp_path, caplog):
    down = create_app(base_config("postgresql+psycopg://postgres@127.0.0.1:9/nowhere", tmp_path))
    with caplog.at_level(logging.WARNING, logger="marketplace.warmup"):
        warm_shared(down)
        warm_worker(down)
    assert [r.getMessage() for r in caplog.records] == ["warm-up with the database failed"]
