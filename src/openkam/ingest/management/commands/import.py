"""`kam import accounts|contacts|products|invoices|payments FILE`: load an ERP export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from openkam.ingest import columns as cols
from openkam.ingest import defaults as source_defaults
from openkam.ingest import mappings
from openkam.ingest.services import DEFAULT_SOURCE, import_file
from openkam.ingest.summary import summary_lines


class Command(BaseCommand):
    help = (
        "Import an ERP export (CSV in UTF-8, UTF-16, Windows-1250 or Windows-1251, XLSX or XLS). "
        "All or nothing: any bad row rejects the file, every error is listed, the exit "
        "code is 1. See docs/import.md for the columns of each kind."
    )
    # The system checks import every URL conf and view (numpy, openpyxl, ninja...):
    # a second of start-up that a data load does not need (`kam check` runs them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=cols.KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--encoding", help="utf-8, utf-16, windows-1250 or windows-1251 (default: detect)"
        )
        parser.add_argument("--delimiter", help="';', ',' or 'tab' (default: sniff the header)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help="use the ERP's own header for one of our columns ('-' ignores it); repeatable",
        )
        parser.add_argument("--mapping-file", type=Path, help="JSON object {header: column}")
        parser.add_argument(
            "--save-mapping",
            action="store_true",
            help="remember --map/--mapping-file for this source and kind: later imports "
            "(and the import page) apply it without being told",
        )
        parser.add_argument(
            "--ignore-saved-mapping",
            action="store_true",
            help="do not apply the mapping saved for this source and kind",
        )
        parser.add_argument(
            "--country",
            default="",
            help="the country of a row without one (its tax id is checked for it), e.g. RU; "
            "default: the source's saved default, else PL (RU for a file with INN or KPP)",
        )
        parser.add_argument(
            "--currency",
            default="",
            help="the currency of a row without one, e.g. RUB; default: the source's saved "
            "default, else PLN",
        )
        parser.add_argument(
            "--date-order",
            default="",
            choices=["day-first", "month-first", "dmy", "mdy"],
            help="how to read 03/04/2026 (default: the source's saved date order; without "
            "one such dates are refused as ambiguous)",
        )
        parser.add_argument(
            "--save-defaults",
            action="store_true",
            help="remember --country/--currency/--date-order for this source: later imports "
            "(and the import page) apply them without being told",
        )
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="source system name")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, kind, file, dry_run, encoding, delimiter, map, mapping_file,
               save_mapping, ignore_saved_mapping, country, currency, date_order, save_defaults,
               source, user, no_progress, **options):  # fmt: skip
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        given = {"country": country, "currency": currency, "date_order": date_order}
        try:
            mapping = cols.load_mapping_file(mapping_file) if mapping_file else {}
            mapping.update(cols.parse_mapping_pairs(map))
            cols.check_mapping(kind, mapping)
            source_defaults.check_codes(country, currency)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        actor = self._actor(user)
        if save_defaults:
            if not any(given.values()):
                raise CommandError("--save-defaults needs --country, --currency or --date-order")
            wanted = source_defaults.source_defaults(source, given)
            source_defaults.save_defaults(
                source=source, country=wanted.country, currency=wanted.currency,
                date_order=wanted.date_order, actor=actor,
            )  # fmt: skip
            self.stdout.write(
                f"defaults saved for source {source!r}: country {wanted.country or '-'}, "
                f"currency {wanted.currency or '-'}, date order {wanted.date_order or '-'}"
            )
        if save_mapping:
            if not mapping:
                raise CommandError("--save-mapping needs --map or --mapping-file")
            saved = mappings.save_mapping(source=source, kind=kind, mapping=mapping, actor=actor)
            self.stdout.write(
                f"column mapping saved for source {source!r}, {kind}: {len(saved.mapping)} header(s)"
            )
        bar = (
            None
            if no_progress
            else tqdm(
                desc=f"{kind} {file.name}",
                total=file.stat().st_size,
                unit="B",
                unit_scale=True,
                file=self.stderr._out,
            )
        )

        def progress(done: int, total: int, unit: str) -> None:
            if bar is None:
                return
            if bar.total != total:
                bar.reset(total)
                bar.unit, bar.unit_scale = unit, unit == "B"
            bar.update(done - bar.n)

        try:
            outcome = import_file(
                kind=kind,
                path=file,
                actor=actor,
                source=source,
                dry_run=dry_run,
                encoding=encoding,
                delimiter=delimiter,
                mapping=mapping,
                progress=progress if bar is not None else None,
                use_saved_mapping=not ignore_saved_mapping,
                defaults=given,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if bar is not None:
                bar.close()
        for line in summary_lines(outcome):
            self.stdout.write(line)
        if not outcome.ok:
            raise CommandError(
                f"{file}: {outcome.error_count} error(s); nothing was written", returncode=1
            )

    def _actor(self, username):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
