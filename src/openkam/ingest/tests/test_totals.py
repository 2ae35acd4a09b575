"""Which rows are totals rows: a totals word first, nothing but amounts after it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.ingest.totals import block_has_totals, totals_label


@pytest.mark.parametrize(
    "row,label",
    [
        (["Razem:", "", "4 415,40", ""], "Razem:"),
        (["", "", "SUMA", "12", "1 250,00 zł"], "SUMA"),
        (["Итого", "", "1 800", "151 950,00", "RUB"], "Итого"),
        (["Итого по документу:", "151 950,00"], "Итого по документу:"),
        (["Всего", "182 340,00 руб."], "Всего"),
        (["Grand total", 1250.5, Decimal("3")], "Grand total"),
        (["Ogółem", "(12,50)", "12,50-"], "Ogółem"),
        (["Razem"], "Razem"),
    ],
)
def test_totals_rows_are_recognised(row, label):
    assert totals_label(row) == label


@pytest.mark.parametrize(
    "row",
    [
        ["SUMA", "01.03.2024", "P1", "1", "10"],  # a customer coded SUMA: a date and text
        ["Razem", "Hurtownia", "10"],
        ["Totalizator Sportowy", "", "10"],  # a word that only begins like one
        ["FV/1", "Razem", "10"],  # the label is not the first cell
        ["", "", ""],
        ["Suma", True],
    ],
)
def test_other_rows_are_data(row):
    assert totals_label(row) is None


def test_a_block_holding_a_totals_line_is_found_in_its_encoding():
    data = "FV/1;K1;10\nFV/2;K2;20\n".encode("cp1251")
    assert not block_has_totals(data, "cp1251", ";")
    assert block_has_totals(data + "ИТОГО;;30\n".encode("cp1251"), "cp1251", ";")
    assert block_has_totals("Razem:;;30\n".encode("cp1250") + data, "cp1250", ";")
    assert not block_has_totals(data + "Suma;K3;30\n".encode("cp1250"), "cp1250", ";")
