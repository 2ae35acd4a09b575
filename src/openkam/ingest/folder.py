"""The nightly import: every ERP export dropped in a folder, in the order the data needs.

    <folder>/accounts/   customers (first: the others name them)
    <folder>/contacts/
    <folder>/products/
    <folder>/invoices/
    <folder>/payments/   (after invoices: payments name invoices)
    <folder>/open_items/ (the ERP's receivables, when it keeps the ledger)
    <folder>/contracts/
    <folder>/price_lists/ (after products: prices name them)
    <folder>/discount_rules/
    <folder>/orders/     (an order is checked against what is owed)
    <folder>/opportunities/ (after the accounts, users and products they name)

Each file is imported on its own, all or nothing, with the source's saved column mapping
(docs/import.md). A file that went in is moved to `<kind>/imported/<date>/`; one that
was refused to `<kind>/failed/`, next to a `<name>.errors.txt` with every problem, so the
next night does not try it again and someone can fix it. Files in those two folders and
hidden files are never read, nor is a file changed in the last two minutes (the ERP may
still be writing it: it waits for the next run).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openkam.ingest import columns as cols
from openkam.ingest.services import DEFAULT_SOURCE, import_file
from openkam.ingest.summary import summary_lines
from openkam.users.permissions import Actor

IMPORTED, FAILED = "imported", "failed"
SETTLE_SECONDS = 120  # a file younger than this may still be being written
EXTENSIONS = {".csv", ".txt", ".tsv", ".xlsx", ".xls"}


@dataclass(frozen=True)
class FileResult:
    kind: str
    path: Path  # where the file is now
    ok: bool
    lines: list[str]  # the import's summary, or why it could not be read


def waiting_files(root: Path, settled_before: float | None = None) -> list[tuple[str, Path]]:
    """(kind, file) in import order: kinds in dependency order, files by name; only files
    last changed before `settled_before` (a timestamp; default: two minutes ago)."""
    if settled_before is None:
        settled_before = time.time() - SETTLE_SECONDS
    found: list[tuple[str, Path]] = []
    for kind in cols.KINDS:
        folder = root / kind
        if folder.is_dir():
            files = sorted(
                path
                for path in folder.iterdir()
                if path.is_file()
                and not path.name.startswith(".")
                and path.suffix.lower() in EXTENSIONS
                and path.stat().st_mtime < settled_before
            )
            found.extend((kind, path) for path in files)
    return found


def import_folder(
    root: Path,
    *,
    today: date,
    actor: Actor = None,
    source: str = DEFAULT_SOURCE,
    settled_before: float | None = None,
) -> list[FileResult]:
    if not root.is_dir():
        raise ValueError(f"{root}: no such folder")
    results = []
    for kind, path in waiting_files(root, settled_before):
        try:
            outcome = import_file(kind=kind, path=path, actor=actor, source=source)
            ok, lines = outcome.ok, summary_lines(outcome)
        except (ValueError, OSError) as error:  # unreadable, not a table, wrong format
            ok, lines = False, [f"{path.name}: {error}"]
        results.append(FileResult(kind, _file_away(path, ok, lines, today), ok, lines))
    return results


def _file_away(path: Path, ok: bool, lines: list[str], today: date) -> Path:
    folder = path.parent / (IMPORTED if ok else FAILED)
    if ok:
        folder = folder / today.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder / path.name)
    shutil.move(path, target)
    if not ok:
        target.with_name(target.name + ".errors.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return target


def _free_name(target: Path) -> Path:
    """A name not yet taken: the same export dropped twice keeps both copies."""
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem}.{number}{target.suffix}")
    return candidate
