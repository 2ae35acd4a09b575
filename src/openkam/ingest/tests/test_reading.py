"""Encodings and delimiters as ERPs export them."""

from __future__ import annotations

import pytest

from openkam.ingest.errors import ErrorList
from openkam.ingest.reading import detect_encoding, open_table, sniff_delimiter

POLISH = "Nazwa;Miasto\nSpółdzielnia Łódź;Kraków\nŻabka Polska;Poznań\n"
RUSSIAN = "Наименование;Город\nООО Ромашка;Москва\nАО Север;Санкт-Петербург\n"


@pytest.mark.parametrize(
    "text,encoding,expected",
    [
        (POLISH, "cp1250", "cp1250"),
        (RUSSIAN, "cp1251", "cp1251"),
        (POLISH, "utf-8", "utf-8"),
        (RUSSIAN, "utf-8", "utf-8"),
        ("\ufeff" + POLISH, "utf-8", "utf-8"),
    ],
)
def test_encoding_is_detected(text, encoding, expected):
    assert detect_encoding(text.encode(encoding)) == expected


@pytest.mark.parametrize("header,expected", [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t")])
def test_delimiter_is_sniffed_from_the_header(header, expected):
    assert sniff_delimiter(header) == expected


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + POLISH).encode("utf-8"))
    table = open_table(path, errors=ErrorList())
    assert table.header == ["Nazwa", "Miasto"]
    assert list(table.rows)[0] == (2, ["Spółdzielnia Łódź", "Kraków"])


def test_undecodable_bytes_are_reported_with_their_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"Nazwa;Miasto\nA;B\n" + "Łódź;X\n".encode("cp1250"))
    errors = ErrorList()
    list(open_table(path, errors=errors, encoding="utf-8").rows)
    assert [(e.line, e.reason) for e in errors.items] == [(3, "wrong_encoding")]


def test_forcing_the_wrong_code_page_is_reported_as_garbage(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    errors = ErrorList()
    list(open_table(path, errors=errors, encoding="windows-1250").rows)
    assert {(e.line, e.reason) for e in errors.items} == {
        (1, "wrong_encoding"),
        (2, "wrong_encoding"),
        (3, "wrong_encoding"),
    }


def test_quoted_multiline_cell_keeps_physical_line_numbers(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('a,b\n"x\ny",1\nz,2\n')
    rows = list(open_table(path, errors=ErrorList()).rows)
    assert [line for line, _values in rows] == [2, 4]
