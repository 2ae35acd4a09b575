"""Read a plain invoice CSV in blocks of whole lines into checked, converted polars frames.

Polars parses each block in native code; the cells are then converted column by
column. What a file repeats (dates, currencies, line numbers, quantities, accounts,
products, return reasons) is converted one distinct value at a time by the row path's
own converters; amounts, which are nearly all distinct, are checked against the shapes
the row path's fast check accepts and converted in native code, and any other amount
goes through the row path's converter too. So a frame holds exactly the values the row
path would stage.

This path takes only what it can read exactly as the row path does: no quotes, no
blank lines, no bare carriage returns, no row wider than the header, no totals row,
text in the file's encoding, customers named one way (by ERP id or by tax id), and
cells that convert. Anything else raises `Unusual`, and the importer reads the file
row by row instead, which accepts what it should and names every bad line, column and
reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from openkam.ingest import columns as cols
from openkam.ingest.importers.base import ImportContext, convert_cell, is_blank
from openkam.ingest.importers.customers import Customers
from openkam.ingest.importers.invoice_copy import (
    SPECS,
    _line_no,
    _optional,
    _reason,
    _required,
    currency_of,
    tax_account,
)
from openkam.ingest.parsing import BadValue
from openkam.ingest.reading import block_reads_wrong
from openkam.ingest.totals import block_has_totals

BLOCK_BYTES = 8 << 20
READ_ENCODINGS = {"utf-8", "cp1250", "cp1251"}
# What the row path's fast checks accept, with ASCII digits only (a regex \d would
# take any script's digits); other cells are converted one distinct value at a time.
MONEY_SHAPE = r"^-?(?:[0-9]{1,16}|[0-9]{1,3}(?: [0-9]{3}){1,4})(?:[.,][0-9]{1,2})?$"
QUANTITY_SHAPE = r"^-?(?:[0-9]{1,15}|[0-9]{1,3}(?: [0-9]{3}){1,4})(?:[.,][0-9]{1,3})?$"
# Python's str.strip() removes what Unicode calls white space and \x1c-\x1f.
EDGE_SPACE = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"
# The staged columns, in the order and with the types every consumer relies on.
FRAME_SCHEMA = {
    "line": pl.Int64,
    "number": pl.String,
    "line_no": pl.Int64,
    "issued_on": pl.String,
    "due_on": pl.String,
    "account_id": pl.Int64,
    "product_id": pl.Int64,
    "quantity": pl.String,
    "net_amount": pl.String,
    "cost_amount": pl.String,
    "currency": pl.String,
    "return_reason": pl.String,
    "gross_amount": pl.String,
}


class Unusual(Exception):
    """The file needs the row-by-row path."""


def can_read(ctx: ImportContext) -> bool:
    table = ctx.table
    return table.path is not None and table.encoding in READ_ENCODINGS and not ctx.errors


@dataclass
class FrameReader:
    """Yields one converted frame per block of the file (see FRAME_SCHEMA)."""

    ctx: ImportContext
    accounts: dict[str, int]
    products: dict[str, int]
    customers: Customers | None = None  # for a file that names customers by tax id
    caches: dict[str, dict] = field(default_factory=dict)
    positions: pl.DataFrame | None = None  # lines seen per invoice, without a line_no column

    def frames(self) -> Iterator[pl.DataFrame]:
        path = self.ctx.table.path
        if path is None:  # can_read() says no before a reader is made
            raise Unusual("no file to read")
        table = self.ctx.table
        for first_line, block, done in _blocks(path, table.encoding, table.delimiter):
            frame = self._convert(self._parse(block), first_line)
            self.ctx.rows += frame.height
            if self.ctx.progress is not None:
                self.ctx.progress(done)
            yield frame

    # --- one block ----------------------------------------------------------
    def _parse(self, block: bytes) -> pl.DataFrame:
        width = len(self.ctx.table.header)
        try:
            return pl.read_csv(
                block,
                separator=self.ctx.table.delimiter,
                has_header=False,
                infer_schema=False,
                quote_char=None,
                new_columns=[f"c{i}" for i in range(width)],
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError as exc:  # a row wider than the header, mostly
            raise Unusual(str(exc)) from None

    def _cell(self, raw: pl.DataFrame, name: str) -> pl.Series | None:
        index = self.ctx.positions.get(name)
        if index is None or index >= raw.width:
            return None if index is None else pl.Series(name, [""] * raw.height)
        return raw.get_column(f"c{index}").fill_null("")

    def _present(self, raw: pl.DataFrame, name: str) -> pl.Series:
        """A required column (the header was checked for it before reading)."""
        column = self._cell(raw, name)
        if column is None:
            raise Unusual(f"no {name} column")
        return column

    def _convert(self, raw: pl.DataFrame, first_line: int) -> pl.DataFrame:
        cell, present = self._cell, self._present
        n = raw.height
        order, currency = self.ctx.date_order, self.ctx.currency
        number = self._number(present(raw, "invoice_number"))
        columns = {
            "line": pl.int_range(first_line, first_line + n, dtype=pl.Int64, eager=True),
            "number": number,
            "line_no": None,
            "issued_on": self._mapped(present(raw, "invoice_date"), "invoice_date",
                                      _required(SPECS["invoice_date"], order), pl.String),
            "due_on": self._optional(cell(raw, "due_date"), "due_date",
                                     _optional(SPECS["due_date"], order), pl.String, n, None),
            "account_id": self._account(raw),
            "product_id": self._mapped(present(raw, "sku"), "sku",
                                       _lookup(SPECS["sku"], self.products), pl.Int64),
            "quantity": self._amount(present(raw, "quantity"), SPECS["quantity"], QUANTITY_SHAPE),
            "net_amount": self._amount(present(raw, "net_amount"), SPECS["net_amount"], MONEY_SHAPE),
            "cost_amount": self._amount(present(raw, "cost_amount"), SPECS["cost_amount"],
                                        MONEY_SHAPE, empty="0")
            if self.ctx.has("cost_amount") else pl.Series(["0"] * n, dtype=pl.String),
            "currency": self._optional(cell(raw, "currency"), "currency", currency_of(currency),
                                       pl.String, n, currency),
            "return_reason": self._optional(cell(raw, "return_reason"), "return_reason",
                                            _reason, pl.String, n, ""),
            "gross_amount": self._gross(cell(raw, "gross_amount"), n),
        }  # fmt: skip
        if self.ctx.has("line_no"):
            columns["line_no"] = self._mapped(
                present(raw, "line_no"), "line_no", _line_no, pl.Int64
            )
        else:
            columns["line_no"] = self._count_positions(number)
        return pl.DataFrame(
            {name: series.alias(name) for name, series in columns.items()}, schema=FRAME_SCHEMA
        )

    # --- columns ------------------------------------------------------------
    def _account(self, raw: pl.DataFrame) -> pl.Series:
        """The customer's id, by ERP id or (a file without ERP ids) by tax id."""
        if self.ctx.has("account_id"):
            convert = _lookup(SPECS["account_id"], self.accounts)
            return self._mapped(self._present(raw, "account_id"), "account_id", convert, pl.Int64)
        customers = self.customers or Customers(self.ctx.source)
        column = self._present(raw, "account_tax_id")
        return self._mapped(column, "account_tax_id", tax_account(customers), pl.Int64)

    def _gross(self, series: pl.Series | None, n: int) -> pl.Series:
        """A line's gross amount, null for an empty cell (or no such column)."""
        if series is None:
            return pl.Series([None] * n, dtype=pl.String)
        given = series.str.strip_chars() != ""
        zeros = pl.Series(["0"] * n, dtype=pl.String)
        amounts = self._amount(series.zip_with(given, zeros), SPECS["gross_amount"], MONEY_SHAPE)
        return amounts.zip_with(given, pl.Series([None] * n, dtype=pl.String))

    def _number(self, series: pl.Series) -> pl.Series:
        """The invoice number as the row path strips it; an empty or long one is unusual."""
        edged = series.str.contains(EDGE_SPACE)
        if edged.any():
            stripped = {raw: raw.strip() for raw in series.filter(edged).unique().to_list()}
            series = series.replace(stripped)
        lengths = series.str.len_chars()
        if (lengths == 0).any() or (lengths > SPECS["invoice_number"].max_length).any():
            raise Unusual("an empty or too long invoice number")
        return series

    def _mapped(self, series: pl.Series, name: str, convert: Callable, dtype) -> pl.Series:
        """Each distinct cell converted once (and remembered for later blocks)."""
        cache = self.caches.setdefault(name, {})
        wanted = series.unique().to_list()
        for raw in wanted:
            if raw not in cache:
                try:
                    cache[raw] = convert(raw)
                except (BadValue, ValueError, KeyError) as exc:
                    raise Unusual(f"{name} {raw!r}") from exc
        return series.replace_strict(wanted, [cache[raw] for raw in wanted], return_dtype=dtype)

    def _optional(self, series, name, convert, dtype, n: int, absent) -> pl.Series:
        if series is None:
            return pl.Series([absent] * n, dtype=dtype)
        return self._mapped(series, name, convert, dtype)

    def _amount(self, series: pl.Series, column: cols.Column, shape: str, empty=None):
        """Amounts in the fast shapes are converted here; the rest one distinct at a time."""
        odd = ~series.str.contains(shape)
        if odd.any():
            cache = self.caches.setdefault(column.name, {})
            wanted = series.filter(odd).unique().to_list()
            for raw in wanted:
                if raw not in cache:
                    cache[raw] = _convert_amount(column, raw, empty)
            series = series.replace(wanted, [cache[raw] for raw in wanted])
        # Canonical text has no spaces or commas, so the fast conversion leaves it as it is.
        return series.str.replace_all(" ", "", literal=True).str.replace(",", ".", literal=True)

    def _count_positions(self, number: pl.Series) -> pl.Series:
        """As the row path counts them without a line_no column: the n-th line of an
        invoice in the file, counting on across blocks."""
        frame = pl.DataFrame({"number": number})
        frame = frame.with_columns(pl.int_range(1, pl.len() + 1).over("number").alias("at"))
        if self.positions is not None:
            frame = frame.join(self.positions, on="number", how="left", maintain_order="left")
            frame = frame.with_columns(pl.col("at") + pl.col("seen").fill_null(0))
        counts = frame.group_by("number").agg(pl.col("at").max().alias("seen"))
        if self.positions is None:
            self.positions = counts
        else:
            self.positions = (
                pl.concat([self.positions, counts]).group_by("number").agg(pl.col("seen").max())
            )
        return frame.get_column("at").cast(pl.Int64)


def _convert_amount(column: cols.Column, raw: str, empty):
    if is_blank(raw):
        if empty is None:
            raise Unusual(f"{column.name} is empty")
        return empty
    try:
        return convert_cell(column, raw)
    except (BadValue, ValueError) as exc:
        raise Unusual(f"{column.name} {raw!r}") from exc


def _lookup(column: cols.Column, ids: dict[str, int]):
    def convert(raw: str) -> int:
        if is_blank(raw):
            raise BadValue("missing")
        return ids[convert_cell(column, raw)]

    return convert


# --- the file, in blocks of whole lines ---------------------------------------
def _blocks(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, bytes, int]]:
    """(first line number, UTF-8 bytes of whole lines, bytes read) after the header."""
    with open(path, "rb") as handle:
        head = handle.read(BLOCK_BYTES)
        newline = head.find(b"\n")
        if newline < 0:
            return  # a header and nothing else
        handle.seek(newline + 1)
        line = 2
        rest = b""
        while chunk := handle.read(BLOCK_BYTES):
            block = rest + chunk
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            block, rest = block[:cut], block[cut:]
            yield line, _checked(block, encoding, delimiter), handle.tell() - len(rest)
            line += block.count(b"\n")
        if rest.strip(b"\r\n"):
            yield line, _checked(rest, encoding, delimiter), handle.tell()


def _checked(block: bytes, encoding: str, delimiter: str) -> bytes:
    """Refuse what polars would read differently from the row path (quotes, blank
    lines, bare carriage returns), a totals row (the row path leaves it out) and text
    in a wrong encoding; the block as UTF-8."""
    if b'"' in block or block.count(b"\r") != block.count(b"\r\n"):
        raise Unusual("quotes or bare carriage returns")
    body = block.rstrip(b"\r\n")
    if body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body:
        raise Unusual("a blank line")
    if block_reads_wrong(body, encoding):
        raise Unusual("a line in a wrong encoding")
    if block_has_totals(body, encoding, delimiter):
        raise Unusual("a totals row")
    # Trailing line breaks left out: the row path skips blank lines at the end.
    body += b"\n"
    if encoding == "utf-8" or body.isascii():
        return body
    return body.decode(encoding).encode("utf-8")
