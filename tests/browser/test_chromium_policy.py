"""The skip/fail policy: skip without Chromium on a laptop, fail without it in CI.

These run pytest on one browser test in a child process with a Chromium path that
does not exist; they need no Chromium themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import find_chromium

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/browser/test_navigation.py::test_head_sees_every_account_in_the_list"


def run_one_browser_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    child_env = {key: value for key, value in os.environ.items() if key != "KAM_REQUIRE_BROWSER"}
    # A private SQLite file: the child must not share a test database with this run.
    child_env["KAM_DATABASE_URL"] = f"sqlite:///{tmp_path / 'policy.sqlite3'}"
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_chromium_named_by_kam_chromium_is_reported(monkeypatch):
    monkeypatch.setenv("KAM_CHROMIUM", "/nonexistent/chromium")
    assert find_chromium() == (
        None,
        "KAM_CHROMIUM='/nonexistent/chromium' is not an executable file",
    )


def test_browser_tests_skip_with_the_reason_when_chromium_is_missing(tmp_path):
    result = run_one_browser_test(tmp_path, KAM_CHROMIUM="/nonexistent/chromium")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "KAM_CHROMIUM='/nonexistent/chromium' is not an executable file" in result.stdout


def test_browser_tests_fail_when_chromium_is_missing_but_required(tmp_path):
    result = run_one_browser_test(
        tmp_path, KAM_CHROMIUM="/nonexistent/chromium", KAM_REQUIRE_BROWSER="1"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "KAM_REQUIRE_BROWSER=1 but KAM_CHROMIUM='/nonexistent/chromium'" in result.stdout
    assert "skipped" not in result.stdout
