"""Uploads out of bounds: a 300-character file name (the stored name passed what a file
system holds: a 500), a file over the size limit, an XLSX that unpacks to far more than
its size, a CSV line longer than the csv module reads. Each gets a clear answer; nothing
heavy is parsed in the request."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openkam.core.models import Job
from openkam.ingest.errors import ImportFileError
from openkam.ingest.spreadsheets import open_xlsx

GOOD = "invoice_number;invoice_date;account_id;sku;quantity;net_amount\nFV/1;01.03.2024;K1;P1;2;5\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _post(client, name: str, content: bytes):
    file = SimpleUploadedFile(name, content)
    return client.post(
        reverse("ingest:upload"), {"kind": "invoices", "source": "erp", "file": file}
    )


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("stem", ["a" * 300, "ż" * 300])
def test_a_long_file_name_is_stored_within_what_a_file_system_holds(company, client, media, stem):
    client.force_login(company["head"])
    response = _post(client, stem + ".csv", GOOD.encode())
    job = Job.objects.get(kind="import")
    assert response.status_code == 302
    stored = Path(job.params["path"]).name
    assert len(stored.encode()) <= 255 and stored.endswith(".csv")
    assert (media / job.params["path"]).exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(company, client, media, settings):
    settings.KAM_MAX_UPLOAD_MB = 1
    client.force_login(company["head"])
    response = _post(client, "big.csv", GOOD.encode() * 20_000)
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not Job.objects.exists()


def test_an_xlsx_that_unpacks_too_far_is_refused_before_it_is_opened(
    company, client, media, tmp_path
):
    client.force_login(company["head"])
    response = _post(client, "bomb.xlsx", _bomb())
    assert response.status_code == 200
    assert "unpacks to 30 MB" in response.content.decode()
    assert not Job.objects.exists()
    path = tmp_path / "bomb.xlsx"  # the worker and the command line refuse it too
    path.write_bytes(_bomb())
    with pytest.raises(ImportFileError, match="unpacks to 30 MB"):
        open_xlsx(path)


def test_a_csv_line_longer_than_the_csv_module_reads_goes_to_the_import(company, client, media):
    client.force_login(company["head"])
    response = _post(client, "long.csv", b"a;" + b"x" * 200_000 + b"\n1;2\n")
    assert response.status_code == 302
    assert Job.objects.filter(kind="import").exists()
