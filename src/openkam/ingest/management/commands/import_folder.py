"""`kam import_folder FOLDER`: the nightly import of every export dropped in a folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openkam.ingest.folder import import_folder
from openkam.ingest.services import DEFAULT_SOURCE
from openkam.users import permissions


class Command(BaseCommand):
    help = (
        "Import every ERP export waiting in FOLDER/<kind>/ (accounts, contacts, products, "
        "invoices, payments, in that order); move each to imported/<date>/ or failed/ with "
        "its errors. Exit code 1 when a file failed. Meant for a nightly schedule: see "
        "docs/import.md."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="source system name")

    def handle(self, *args, folder: Path, source: str, **options):
        try:
            results = import_folder(folder, today=permissions.today(), source=source)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not results:
            self.stdout.write(f"{folder}: nothing to import")
        for result in results:
            state = "imported" if result.ok else "FAILED"
            self.stdout.write(f"{state}: {result.kind} -> {result.path}")
            for line in result.lines:
                self.stdout.write(f"  {line}")
        failed = sum(not result.ok for result in results)
        if failed:
            raise CommandError(f"{failed} file(s) failed; see the .errors.txt files", returncode=1)
