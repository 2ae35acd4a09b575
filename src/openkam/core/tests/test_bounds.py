"""Bounds on input (openkam/core/bounds.py): each kind of value, and the answers a request
gets when it carries one out of range. Every case here was a 500 before."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from openkam.accounts.tests.factories import bearer
from openkam.core import bounds

HUGE = str(2**63)  # one more than a database id column holds


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        (7, 7),
        (str(2**63 - 1), 2**63 - 1),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_id_or_none_takes_only_what_an_id_column_holds(raw, expected):
    assert bounds.id_or_none(raw) == expected


def test_a_page_number_out_of_range_is_the_first_page():
    assert [bounds.page_number(raw) for raw in ("3", HUGE, "-2", "x", None)] == [3, 1, 1, 1, 1]


def test_a_page_past_any_table_has_no_offset():
    assert bounds.page_offset(3, 50) == 100
    assert bounds.page_offset(2**62, 50) is None


@pytest.mark.parametrize("raw", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01", "x", ""])
def test_a_query_day_outside_the_years_is_no_day(raw):
    assert bounds.date_or_none(raw) is None


def test_a_query_day_inside_the_years_is_read():
    assert bounds.date_or_none("2999-12-31") == date(2999, 12, 31)
    assert bounds.date_or_none("1900-01-01") == date(1900, 1, 1)


@pytest.mark.parametrize("value", [date(9999, 12, 31), date(1, 1, 1), datetime(3000, 1, 1)])
def test_form_dates_outside_the_years_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        bounds.validate_date(value)
    assert refused.value.code == "date_range"
    field = bounds.DateField()
    with pytest.raises(ValidationError):
        field.clean(value.isoformat()[:10])


def test_stored_file_names_fit_in_255_bytes_and_keep_their_extension():
    name = bounds.stored_file_name("ż" * 300 + ".xlsx", prefix="0123456789abcdef-")
    assert len(name.encode()) <= 255
    assert name.startswith("0123456789abcdef-ż") and name.endswith(".xlsx")
    assert bounds.stored_file_name("../../etc/passwd") == "passwd"
    assert bounds.stored_file_name("a\x00b.csv") == "ab.csv"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_archive_that_unpacks_far_beyond_its_size_is_refused_before_reading():
    bomb = _zip({"xl/sharedStrings.xml": b"0" * (20 * 1024 * 1024)})  # ~20 kB packed
    with pytest.raises(ValidationError) as refused:
        bounds.check_archive(io.BytesIO(bomb), size=len(bomb))
    assert refused.value.code == "archive_too_large"
    bounds.check_archive(io.BytesIO(_zip({"a.xml": b"<a/>" * 100})))  # ordinary: passes
    bounds.check_archive(io.BytesIO(b"not a zip at all"))  # its reader will say why


# --- requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/accounts/{HUGE}/",
        f"/plans/{HUGE}/",
        f"/stakeholders/{HUGE}/",
        f"/portfolio/reviews/{HUGE}/",
        "/portfolio/reviews/99999999999999999999/export.csv",
        f"/me/tokens/{HUGE}/revoke/",
    ],
)
def test_a_path_id_no_column_holds_is_404(company, client, path):
    client.force_login(company["head"])
    method = client.post if path.endswith("revoke/") else client.get
    assert method(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [f"/api/accounts/{HUGE}", f"/api/plans/{HUGE}", f"/api/activities/{HUGE}"],
)
def test_an_api_path_id_no_column_holds_is_404(company, client, path):
    assert client.get(path, headers=bearer(company["head"])).status_code == 404


@pytest.mark.parametrize("url", ["/api/accounts", "/api/ledger/invoices", "/api/contacts"])
def test_an_api_page_past_the_end_is_empty(company, client, url):
    response = client.get(url, {"page": 2**63 - 1}, headers=bearer(company["head"]))
    assert response.status_code == 200
    assert response.json()["items"] == []
    too_far = client.get(url, {"page": HUGE}, headers=bearer(company["head"]))
    assert too_far.status_code == 422


def test_a_nul_character_anywhere_in_a_request_is_400(company, client):
    client.force_login(company["owner"])
    assert client.get("/accounts/", {"q": "a\x00b"}).status_code == 400
    assert client.post("/me/tokens/", {"name": "x\x00"}).status_code == 400
    response = client.patch(
        f"/api/accounts/{company['a'].pk}",
        '{"city": "a\\u0000b"}',
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 400
    company["a"].refresh_from_db()
    assert company["a"].city == ""


def test_an_upload_over_the_limit_keeps_no_bytes_and_the_form_says_why(company, client, settings):
    settings.KAM_MAX_UPLOAD_MB = 1
    client.force_login(company["owner"])
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalski;Jan\r\nEND:VCARD\r\n"
    big = SimpleUploadedFile("people.vcf", card * (1024 * 1024 // len(card) + 1))
    response = client.post(f"/accounts/{company['a'].pk}/stakeholders/import/", {"file": big})
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.content.decode()
