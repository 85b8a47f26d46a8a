"""Real peer servers for tests: localstripe, an S3-compatible store (moto in server mode),
an SMTP server, and the app itself."""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


def stop_process(process: subprocess.Popen, *, grace: float = 5.0) -> str:
    """Stop a server this test started, for certain, and wait for it: SIGTERM, up to
    ``grace`` seconds to finish, then SIGKILL to its whole process group (gunicorn's
    workers too: a busy worker can hold a graceful stop for ``graceful_timeout``, 30 s),
    and reap it, so no process outlives the test and no ResourceWarning follows it.
    Returns what it wrote to a piped stderr (empty otherwise). The process must have
    been started with ``start_new_session=True`` (``popen_server`` does)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    try:
        _, err = process.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # the group leader is not reaped yet
        _, err = process.communicate()
    if isinstance(err, bytes):
        err = err.decode(errors="replace")
    return err or ""


def _proc_stat(pid: int) -> list[str] | None:
    """State, parent, group, ... of a process (from /proc), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def running_in_group(pgid: int) -> list[int]:
    """The processes of group ``pgid`` still running (zombies have exited already)."""
    pids = (int(p) for p in os.listdir("/proc") if p.isdigit())
    return [pid for pid in pids
            if (stat := _proc_stat(pid)) and stat[0] != "Z" and int(stat[2]) == pgid]


def popen_server(command: list[str], **kwargs) -> subprocess.Popen:
    """Start a server process in a process group of its own, for ``stop_process``."""
    return subprocess.Popen(command, start_new_session=True, **kwargs)


@contextlib.contextmanager
def running(process: subprocess.Popen, *, grace: float = 5.0):
    """``with running(popen_server(...)) as process:``: stopped and waited for at the end."""
    try:
        yield process
    finally:
        stop_process(process, grace=grace)


@dataclass
class LocalStripe:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process)


def start_localstripe() -> LocalStripe:
    """A fresh in-memory localstripe process on a free loopback port."""
    port = free_port()
    process = popen_server(
        [sys.executable, str(ROOT / "scripts" / "localstripe_server.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_or_stop(process, port)
    return LocalStripe(port=port, process=process)


@dataclass
class ObjectStore:
    """moto's S3-compatible server: any access key is accepted, nothing leaves loopback."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process)


def start_object_store() -> ObjectStore:
    """A fresh in-memory S3-compatible server (moto in server mode) on a free port."""
    port = free_port()
    process = popen_server(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_or_stop(process, port, timeout=30.0)
    return ObjectStore(port=port, process=process)


def _wait_or_stop(process: subprocess.Popen, port: int, timeout: float = 15.0) -> None:
    """Wait for ``process`` to listen on ``port``; if it never does, stop it and say so."""
    try:
        wait_for_port(port, timeout=timeout)
    except RuntimeError:
        stop_process(process)
        raise


def start_app_server(database_url: str, tmp_path: Path, *, workers: int = 4,
                     dev_server: bool = False, stderr=subprocess.DEVNULL,
                     ) -> tuple[subprocess.Popen, int]:
    """The app over HTTP on a free loopback port, on ``database_url``: gunicorn with the
    repository's ``gunicorn.conf.py`` (as in production), or Flask's threaded
    development server. Returns the process and its port, once it listens."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "testing",
           "RATE_LIMITS": "false", "MAIL_BACKEND": "file",
           "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "MEDIA_ROOT": str(tmp_path / "media"),
           "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": str(workers)}
    if dev_server:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1",
                   "--port", str(port), "--with-threads"]
    else:
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    process = popen_server(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    _wait_or_stop(process, port, timeout=30)
    return process, port


@contextlib.contextmanager
def app_server(database_url: str, tmp_path: Path, **options):
    """``start_app_server`` as a context manager: yields (process, port); the server is
    stopped and waited for at the end, whatever happened."""
    process, port = start_app_server(database_url, tmp_path, **options)
    with running(process):
        yield process, port


@dataclass
class SMTPServer:
    """An aiosmtpd server that keeps every message it receives."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(msg)
        return "250 Message accepted for delivery"

    def start(self) -> SMTPServer:
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


class LiveServer:
    """The app served by Werkzeug in a background thread, for browser tests."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = free_port()
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
