"""The upload page: heads and administrators import through a job; others get a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openkam.core.jobs import execute_job
from openkam.core.models import Job
from openkam.ledger.models import Invoice

GOOD = (
    "invoice_number;invoice_date;account_id;sku;quantity;net_amount;Uwagi\n"
    "FV/1;01.03.2024;K1;P1;2;1 234,56;x\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, text: str, **fields):
    data = {"kind": "invoices", "source": "erp", "file": SimpleUploadedFile("i.csv", text.encode())}
    data.update(fields)
    return client.post(reverse("ingest:upload"), data)


def test_head_sees_the_upload_page(company, client):
    client.force_login(company["head"])
    response = client.get(reverse("ingest:upload"))
    assert response.status_code == 200
    assert b"invoice_number" in response.content


@pytest.mark.parametrize("persona", ["owner", "senior", "finance", "viewer"])
def test_others_get_404(company, client, persona):
    client.force_login(company[persona])
    assert client.get(reverse("ingest:upload")).status_code == 404
    assert upload(client, GOOD).status_code == 404


def test_upload_creates_a_job_that_imports_the_file(company, erp, client, media):
    client.force_login(company["head"])
    response = upload(client, GOOD, mapping="Uwagi=-")
    job = Job.objects.get(kind="import")
    assert response.url == reverse("ingest:job", args=[job.pk])
    assert (media / job.params["path"]).exists()
    job = execute_job(job.pk)
    assert job.status == "succeeded" and job.result["ok"]
    assert job.total == len(GOOD.encode())  # progress was reported in file bytes
    assert Invoice.objects.get(number="FV/1").lines.count() == 1
    page = client.get(reverse("ingest:job", args=[job.pk]))
    assert b"Imported" in page.content and b"hx-get" not in page.content
    assert not (media / job.params["path"]).exists()


def test_rejected_file_shows_the_error_table(company, erp, client, media):
    client.force_login(company["head"])
    upload(client, GOOD.replace("01.03.2024", "31.02.2024"), mapping="Uwagi=-")
    job = execute_job(Job.objects.get(kind="import").pk)
    assert not job.result["ok"]
    page = client.get(reverse("ingest:job_progress", args=[job.pk]))
    assert b"invoice_date" in page.content and b"bad date" in page.content
    assert not Invoice.objects.exists()


def test_unfinished_job_polls_for_progress(company, client, media):
    client.force_login(company["head"])
    upload(client, GOOD, mapping="Uwagi=-")
    job = Job.objects.get(kind="import")
    page = client.get(reverse("ingest:job_progress", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content


def test_mapping_to_an_unknown_column_is_a_form_error(company, client, media):
    client.force_login(company["head"])
    response = upload(client, GOOD, mapping="Uwagi=remarks")
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_kam_cannot_see_an_import_job(company, client, media):
    client.force_login(company["head"])
    upload(client, GOOD, mapping="Uwagi=-")
    job = Job.objects.get(kind="import")
    client.force_login(company["owner"])
    assert client.get(reverse("ingest:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("ingest:job_progress", args=[job.pk])).status_code == 404


def test_an_xls_report_with_a_title_imports_and_says_where_its_header_was(
    company, erp, client, media, tmp_path
):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Faktury")
    rows: list[list[object]] = [
        ["Rejestr sprzedaży, marzec 2024"],
        [],
        ["Numer faktury", "Data wystawienia", "Kontrahent", "Indeks", "Ilość", "Wartość netto"],
        ["FV/7", "01.03.2024", "K1", "P1", 2, 1234.56],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "rejestr.xls"
    book.save(str(path))
    client.force_login(company["head"])
    file = SimpleUploadedFile("rejestr.xls", path.read_bytes())
    upload_response = client.post(
        reverse("ingest:upload"), {"kind": "invoices", "source": "erp", "file": file}
    )
    job = execute_job(Job.objects.get(kind="import").pk)
    assert upload_response.status_code == 302
    assert job.status == "succeeded" and job.result["ok"], job.result
    assert str(Invoice.objects.get(number="FV/7").net_total) == "1234.56"
    page = client.get(reverse("ingest:job", args=[job.pk]))
    assert "line 3 (the lines above it were skipped)" in page.content.decode()


def test_a_rejected_file_is_badged_rejected_not_succeeded(company, erp, client, media):
    client.force_login(company["head"])
    upload(client, GOOD.replace("1 234,56", "dużo"), mapping="Uwagi=-")
    job = execute_job(Job.objects.get(kind="import").pk)
    assert job.status == "succeeded"  # the job ran to its end ...
    page = client.get(reverse("ingest:job", args=[job.pk])).content.decode()
    # ... but the file was not taken, and the badge says so.
    assert 'class="status status-failed">rejected<' in page
    assert "status-succeeded" not in page


def test_errors_are_reported_in_the_language_of_the_page_the_file_came_from(
    company, erp, client, media, settings
):
    client.force_login(company["head"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    upload(client, GOOD.replace("1 234,56", "dużo"), mapping="Uwagi=-")
    job = execute_job(Job.objects.get(kind="import").pk)
    assert job.result["errors"][0]["detail"] == "'dużo' nie jest liczbą"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("ingest:job", args=[job.pk])).content.decode()
    assert "dużo&#x27; nie jest liczbą" in page  # stored as the uploader read it
