"""Where the installation keeps its files; importable before Django settings load."""

from __future__ import annotations

import os
from pathlib import Path

SRC_DIR = Path(__file__).resolve().parent


def project_dir() -> Path:
    return Path(os.environ.get("KAM_HOME", SRC_DIR.parent.parent)).resolve()


def var_dir() -> Path:
    return Path(os.environ.get("KAM_VAR_DIR", project_dir() / "var")).resolve()
