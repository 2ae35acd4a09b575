"""Encodings and delimiters as ERPs export them."""

from __future__ import annotations

import csv
import io

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


def _rows_line_by_line(text: str, delimiter: str = ";"):
    """What the rows are when the file is read one line at a time: the reference."""
    lines = iter(io.StringIO(text, newline=""))
    next(lines)
    read = [1]

    def counted():
        for line in lines:
            read[0] += 1
            yield line

    rows, previous = [], 1
    for values in csv.reader(counted(), delimiter=delimiter):
        start, previous = previous + 1, read[0]
        if values and any(values):
            rows.append((start, values))
    return rows


LINE_BREAKS = {
    "LF": "h;v\na;1\nb;2\n\nc;3",
    "CRLF": "h;v\r\na;1\r\nb;2\r\n\r\nc;3\r\n",
    "CR": "h;v\ra;1\rb;2\r\rc;3\r",
    "mixed": "h;v\r\na;1\nb;2\r\rc;3\r\n;\nd;4",
    "quoted breaks": 'h;v\r\n"a\r\nb";1\r\n"c\rd";"2\n3"\r\ne;4\r\n',
    "BOM": "\ufeffh;v\na;Łódź\nb;2\n",
}


@pytest.mark.parametrize("name", LINE_BREAKS)
def test_rows_keep_their_physical_line_numbers_whatever_the_line_breaks(tmp_path, name):
    text = LINE_BREAKS[name]
    path = tmp_path / "b.csv"
    path.write_bytes(text.encode("utf-8"))
    errors = ErrorList()
    table = open_table(path, errors=errors)
    assert table.header == ["h", "v"]
    assert list(table.rows) == _rows_line_by_line(text.lstrip("\ufeff"))
    assert not errors


def test_a_wrong_line_deep_in_a_big_file_is_reported_with_its_line(tmp_path):
    good = "".join(f"FV/{n};Reklamacja jakościowa;{n}\r\n" for n in range(40_000))
    bad = "FV/x;Москва;1\r\n".encode("cp1251")
    path = tmp_path / "big.csv"
    path.write_bytes(("h;r;n\r\n" + good).encode("cp1250") + bad + b"FV/y;z;2\r\n")
    errors = ErrorList()
    rows = list(open_table(path, errors=errors, encoding="windows-1250").rows)
    assert [(e.line, e.reason) for e in errors.items] == [(40_002, "wrong_encoding")]
    assert rows[-1] == (40_003, ["FV/y", "z", "2"]) and len(rows) == 40_001
