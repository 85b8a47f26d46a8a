"""A server a test starts always stops, and is waited for, even when it will not stop
by itself: a gunicorn worker stuck in a request holds a graceful stop for 30 s
(``graceful_timeout``), longer than any test should wait; the stop then kills the
whole process group, so no worker is left behind and no ResourceWarning follows."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from tests.support.faults import committed_app
from tests.support.servers import (
    popen_server,
    running_in_group,
    start_app_server,
    stop_process,
)

# A parent and a forked child that both ignore SIGTERM, like a master waiting on a
# worker that is busy; prints the child's pid once both are ready.
STUBBORN = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = os.fork()
if child == 0:
    time.sleep(600)
    os._exit(0)
print(child, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    return pid in running_in_group(os.getpgid(pid)) if _exists(pid) else False


def _exists(pid: int) -> bool:
    try:
        os.getpgid(pid)
    except ProcessLookupError:
        return False
    return True


def test_a_process_that_ignores_sigterm_is_killed_with_its_children_and_reaped():
    process = popen_server([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True)
    child = int(process.stdout.readline())
    started = time.monotonic()
    stop_process(process, grace=0.5)
    assert time.monotonic() - started < 5
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_gunicorn_with_a_worker_stuck_in_a_request_stops_within_the_grace(tmp_path):
    with committed_app(tmp_path, "stop") as (_app, url):
        process, port = start_app_server(url, tmp_path, workers=1)
        stuck = socket.create_connection(("127.0.0.1", port))
        try:  # a chunked body that never ends: the only worker waits for the rest
            stuck.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                          b"Content-Type: application/x-www-form-urlencoded\r\n\r\n4\r\nab=c\r\n")
            time.sleep(0.5)
            started = time.monotonic()
            stop_process(process, grace=2)
            took = time.monotonic() - started
        finally:
            stuck.close()
        assert process.returncode is not None
        assert took < 8, f"the stop took {took:.1f} s"
        deadline = time.monotonic() + 5
        while running_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running_in_group(process.pid) == [], "a gunicorn worker outlived its master"
