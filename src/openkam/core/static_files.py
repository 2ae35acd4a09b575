"""Collect the static files for serving, only when they changed.

Outside debug mode pages name static files by a hash of their content and WhiteNoise
serves gzip and brotli copies (settings.py). Collecting and compressing every file
takes about half a minute, so `kam serve` collects only when the set of source files
(their paths, sizes and modification times, through the same finders) differs from the
last collection.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

FINGERPRINT_FILE = ".openkam-sources"


def sources_fingerprint() -> str:
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}:{stat.st_size}:{int(stat.st_mtime)}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Run collectstatic unless the collected files are those of the current sources."""
    if settings.STATIC_ROOT is None:
        raise ImproperlyConfigured("Collecting static files needs STATIC_ROOT (KAM_STATIC_ROOT).")
    root = Path(settings.STATIC_ROOT)
    marker = root / FINGERPRINT_FILE
    fingerprint = sources_fingerprint()
    manifest = root / "staticfiles.json"
    if manifest.exists() and marker.exists() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    return True
