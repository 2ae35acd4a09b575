"""Compiled translation catalogues (.po -> .mo) without GNU gettext.

The repository holds only the .po files; the .mo files are build output (ignored by git).
A fresh clone has Python but usually no `msgfmt`, so `kam` and the test suite call
`ensure_compiled()`, which compiles with polib every catalogue whose .mo is missing or
older than its .po.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The .po files whose .mo is missing or older than the .po."""
    return [po for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")) if _is_stale(po)]


def _is_stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogue(po: Path) -> Path:
    """Write the .mo next to the .po; fuzzy and obsolete entries are left out, as msgfmt does."""
    import polib  # only needed when something is stale: keep `kam` start-up light

    mo = po.with_suffix(".mo")
    # Write to a temporary file and rename, so a process reading the catalogue at the same
    # time never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=po.parent, prefix=".", suffix=".mo")
    os.close(handle)
    try:
        polib.pofile(str(po)).save_as_mofile(temporary)
        os.replace(temporary, mo)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return mo


def ensure_compiled(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile the stale catalogues; returns the .mo files written."""
    return [compile_catalogue(po) for po in stale_catalogues(locale_dir)]
