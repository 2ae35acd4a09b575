"""`kam serve` starts the web server and the worker on an existing database, and stops both."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    "sqlite" not in os.environ.get("KAM_DATABASE_URL", "sqlite"),
    reason="the server smoke test runs on the embedded database only",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stdout.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Shared by the runs: the first collects (tens of seconds), the others find it done."""
    return tmp_path_factory.mktemp("static")


@pytest.mark.parametrize(
    "stop_signal,to_group",
    [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["sigint", "sigterm", "ctrl-c-in-terminal"],
)
def test_serve_answers_and_runs_a_worker(tmp_path, static_root, stop_signal, to_group):
    port = _free_port()
    env = {
        **os.environ,
        "KAM_VAR_DIR": str(tmp_path),
        "KAM_SECRET_KEY": "smoke",
        # The product's settings, as `kam serve` runs: static files collected and hashed.
        "DJANGO_SETTINGS_MODULE": "openkam.settings",
        "KAM_STATIC_ROOT": str(static_root),
    }
    env.pop("KAM_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "openkam.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/login/", 90, server) == 200
        # The collected, hashed stylesheet the page names is served (collected before the
        # application was built, which lists the files once).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as page:
            html = page.read().decode()
        stylesheet = re.search(r'href="(/static/openkam/app\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, "the page does not name a hashed stylesheet"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet[1]}", timeout=5) as css:
            assert css.status == 200
        assert (tmp_path / "openkam.sqlite3").exists()
        workers = _children(server.pid) if sys.platform.startswith("linux") else []
        if sys.platform.startswith("linux"):
            assert workers, "the worker process was not started"
    finally:
        if to_group:  # a terminal sends Ctrl+C to its whole foreground process group
            os.killpg(server.pid, stop_signal)
        else:
            server.send_signal(stop_signal)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "the worker outlived the server"
    output = server.stdout.read().decode(errors="replace")
    assert "Traceback" not in output, output
