"""The `kam` console script: Django's command line with OpenKAM's settings.

`kam demo`, `kam serve`, `kam worker`, `kam import ...` and every Django command
(`kam migrate`, `kam createsuperuser`, ...) go through here.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def _local_secret_key(var_dir: Path) -> str:
    """A per-installation secret for the local demo, kept under ./var/ (never committed)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Polars' allocator (jemalloc, configured when polars loads) keeps freed pages for
# seconds; the invoice import frees about what it takes at each block of the file, so
# pages go back at once and a big file's peak memory stays that of a few blocks.
POLARS_ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"


def prepare_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    os.environ.setdefault("_RJEM_MALLOC_CONF", POLARS_ALLOCATOR)
    from openkam.settings_paths import var_dir

    try:  # the embedded database, uploads and the secret key live there
        var_dir().mkdir(parents=True, exist_ok=True)
    except OSError as error:
        sys.exit(f"kam: cannot create the data directory {var_dir()} (KAM_VAR_DIR): {error}")
    if not os.environ.get("KAM_SECRET_KEY"):
        os.environ["KAM_SECRET_KEY"] = _local_secret_key(var_dir())


def compile_translations() -> None:
    """Compile the .po catalogues whose .mo is missing or stale (a fresh clone has no msgfmt)."""
    from openkam.catalogues import ensure_compiled

    try:
        ensure_compiled()
    except OSError as error:  # e.g. a read-only installation: run untranslated, not at all
        print(f"kam: could not compile the translations: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    prepare_environment()
    compile_translations()
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["kam", *args])


if __name__ == "__main__":
    main()
