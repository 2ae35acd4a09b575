"""What every importer shares: the run context, cell conversion by column type, lookups."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from openkam.ingest import columns as cols
from openkam.ingest.defaults import Defaults
from openkam.ingest.errors import ErrorList
from openkam.ingest.parsing import BadValue, parse_date, parse_int, parse_number
from openkam.ingest.reading import Table, cell_text
from openkam.users.permissions import Actor

PLACES = {cols.MONEY: 2, cols.QUANTITY: 3, cols.NUMBER: 6}
REASON_BY_TYPE = {
    cols.MONEY: "bad_number",
    cols.QUANTITY: "bad_number",
    cols.NUMBER: "bad_number",
    cols.INT: "bad_number",
    cols.DATE: "bad_date",
}
CURRENCY_RE = re.compile(r"[A-Z]{3}\Z")
COUNTRY_RE = re.compile(r"[A-Z]{2}\Z")
PROGRESS_EVERY = 10_000
BATCH = 1000


@dataclass
class ImportContext:
    kind: str
    source: str
    actor: Actor
    table: Table
    positions: dict[str, int]
    errors: ErrorList
    progress: Callable[[int], None] | None = None
    rows: int = 0  # data rows read, set by the importer
    defaults: Defaults = Defaults()  # the source's defaults (country, currency, date order)

    def has(self, column: str) -> bool:
        return column in self.positions

    @property
    def currency(self) -> str:
        """The currency of a row that names none."""
        return self.defaults.currency_or_builtin

    @property
    def date_order(self) -> str:
        return self.defaults.date_order

    def report_progress(self) -> None:
        if self.progress is not None:
            self.progress(self.table.done)


def convert_cell(column: cols.Column, raw, date_order: str = ""):
    """A non-empty cell as the column's type (canonical text for numbers and dates);
    `date_order` reads dates like 03/04/2026 (see parsing.parse_date)."""
    if column.type == cols.TEXT:
        text = raw.strip() if isinstance(raw, str) else cell_text(raw)
        if column.max_length and len(text) > column.max_length:
            raise BadValue(_("longer than %(n)d characters") % {"n": column.max_length})
        return text
    if column.type == cols.DATE:
        return parse_date(raw, date_order)
    if column.type == cols.INT:
        return parse_int(raw)
    return parse_number(raw, places=PLACES[column.type])


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class RowParser:
    """Turns one row into {column: value} by the column specs, reporting every bad cell."""

    def __init__(self, ctx: ImportContext):
        specs = {c.name: c for c in cols.COLUMNS[ctx.kind]}
        self.active = [(specs[name], index) for name, index in ctx.positions.items()]
        self.width = len(ctx.table.header)
        self.errors = ctx.errors
        self.date_order = ctx.date_order

    def parse(self, line: int, values: list) -> dict | None:
        row, ok = self.cells(line, values)
        return row if ok else None

    def cells(self, line: int, values: list) -> tuple[dict, bool]:
        """Every cell that parses (bad ones reported and left out), and whether all did."""
        ok = True
        if len(values) > self.width and any(not is_blank(v) for v in values[self.width :]):
            self.errors.add(
                line, "", "wrong_columns",
                _("the row has %(cells)d cells, the header %(header)d")
                % {"cells": len(values), "header": self.width},
            )  # fmt: skip
            ok = False
        row = {}
        for column, index in self.active:
            raw = values[index] if index < len(values) else None
            if is_blank(raw):
                if column.required:
                    self.errors.add(line, column.name, "missing_required")
                    ok = False
                row[column.name] = None if column.type != cols.TEXT else ""
                continue
            try:
                row[column.name] = convert_cell(column, raw, self.date_order)
            except BadValue as exc:
                reason = REASON_BY_TYPE.get(column.type, "bad_value")
                self.errors.add(line, column.name, reason, str(exc))
                ok = False
        return row, ok


def iter_rows(ctx: ImportContext) -> Iterator[tuple[int, dict, bool]]:
    """Every row with its line, its cells that parse, and whether all did (bad cells are
    reported here and left out of the row, so later checks can still look at the rest)."""
    parser = RowParser(ctx)
    for count, (line, values) in enumerate(ctx.table.rows, start=1):
        ctx.rows = count
        if count % PROGRESS_EVERY == 0:
            ctx.report_progress()
        row, ok = parser.cells(line, values)
        yield line, row, ok
    ctx.report_progress()


def check_code(ctx, line: int, row: dict, column: str, pattern: re.Pattern, default: str):
    """Upper-case ISO code (currency, country) with a default for an empty cell."""
    value = (row.get(column) or default).upper()
    if not pattern.match(value):
        ctx.errors.add(
            line, column, "bad_value", _("%(value)s is not an ISO code") % {"value": repr(value)}
        )
        return None
    return value


def external_id_map(model: type[models.Model], source: str, field_name: str = "external_id"):
    """{external id: pk} of a model's records from one source."""
    return dict(
        model._default_manager.filter(source=source)
        .exclude(**{field_name: ""})
        .values_list(field_name, "pk")
        .iterator(chunk_size=10_000)
    )


def money(text: str | None) -> Decimal:
    return Decimal(text or "0").quantize(Decimal("0.01"))
