"""An ERP's headers are mapped once (page or command) and every later import uses them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from openkam.core.jobs import execute_job
from openkam.core.models import AuditEntry, Job
from openkam.ingest.models import ColumnMapping, ImportBatch
from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Invoice

# An enova-like export: headers OpenKAM does not know.
ENOVA = (
    "Nr dok.;Data dok.;Kod kontrahenta;Kod towaru;Ilość;Netto;Uwagi\n"
    "FV/1/2024;01.03.2024;K1;P1;2;1 234,56;pilne\n"
    "FV/2/2024;02.03.2024;K2;P2;1;99,00;\n"
)
CHOICES = {
    "col_0": "invoice_number", "col_1": "invoice_date", "col_2": "account_id",
    "col_3": "sku", "col_4": "quantity", "col_5": "net_amount", "col_6": "-",
}  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def head(company, client):
    client.force_login(company["head"])
    return client


def upload(client, text=ENOVA, name="faktury.csv", **fields):
    data = {
        "kind": "invoices", "source": "erp", "remember": "on",
        "file": SimpleUploadedFile(name, text.encode("cp1250")),
    }  # fmt: skip
    data.update(fields)
    return client.post(reverse("ingest:upload"), data)


def test_unknown_headers_lead_to_the_mapping_page_with_samples(head, erp, media):
    response = upload(head)
    assert response.status_code == 302 and "/import/map/" in response.url
    page = head.get(response.url).content.decode()
    assert "Nr dok." in page and "FV/1/2024 · FV/2/2024" in page
    # Known headers are chosen already ("Ilość" is a built-in alias of quantity).
    assert '<option value="quantity" selected>' in page
    assert not Job.objects.exists()  # nothing runs before the columns are confirmed


def test_a_confirmed_mapping_imports_and_is_remembered_for_the_next_file(head, erp, media):
    map_url = upload(head).url
    response = head.post(map_url, {**CHOICES, "remember": "on"})
    job = execute_job(Job.objects.get(kind="import").pk)
    assert response.url == reverse("ingest:job", args=[job.pk])
    assert job.result["ok"], job.result
    assert Invoice.objects.filter(source="erp").count() == 2
    saved = ColumnMapping.objects.get(source="erp", kind="invoices")
    assert saved.mapping["Nr dok."] == "invoice_number" and saved.mapping["Uwagi"] == "-"
    assert AuditEntry.objects.filter(model="ingest.ColumnMapping").exists()
    # The next night's file goes straight to the import.
    again = upload(head, ENOVA.replace("99,00", "109,00"), name="faktury-2.csv")
    assert again.url.startswith("/import/jobs/")


def test_an_incomplete_mapping_is_refused_and_nothing_runs(head, erp, media):
    map_url = upload(head).url
    choices = {**CHOICES, "col_0": "-"}  # nothing is the invoice number
    page = head.post(map_url, choices).content.decode()
    assert "required column invoice_number (invoice number) is missing" in page
    unchosen = head.post(map_url, {**CHOICES, "col_6": ""}).content.decode()
    assert "Choose one of our columns or ignore it." in unchosen
    assert not Job.objects.exists() and not ColumnMapping.objects.exists()


def test_cancel_discards_the_upload(head, erp, media):
    map_url = upload(head).url
    head.post(map_url, {"cancel": "1"})
    assert list((media / "imports").iterdir()) == []
    assert head.get(map_url).status_code == 404


@pytest.mark.parametrize("persona", ["owner", "finance", "viewer"])
def test_only_importers_reach_the_mapping_page(company, erp, client, media, persona):
    client.force_login(company["head"])
    map_url = upload(client).url
    client.force_login(company[persona])
    assert client.get(map_url).status_code == 404


def test_the_command_saves_a_mapping_and_the_nightly_run_uses_it(erp, tmp_path, capsys):
    path = tmp_path / "faktury.csv"
    path.write_bytes(ENOVA.encode("cp1250"))
    maps = [f"--map={header}={column}" for header, column in [
        ("Nr dok.", "invoice_number"), ("Data dok.", "invoice_date"),
        ("Kod kontrahenta", "account_id"), ("Kod towaru", "sku"), ("Netto", "net_amount"),
        ("Uwagi", "-"),
    ]]  # fmt: skip
    call_command("import", "invoices", str(path), "--source=erp", "--save-mapping",
                 "--no-progress", *maps)  # fmt: skip
    assert Invoice.objects.filter(source="erp").count() == 2
    # The scheduled command names no mapping at all.
    path.write_bytes(ENOVA.replace("99,00", "109,00").encode("cp1250"))
    call_command("import", "invoices", str(path), "--source=erp", "--no-progress")
    assert str(Invoice.objects.get(number="FV/2/2024").net_total) == "109.00"
    assert "updated 1" in capsys.readouterr().out


def test_a_saved_mapping_naming_a_column_the_kind_lacks_is_refused(erp, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "faktury.csv"
    path.write_bytes(ENOVA.encode("cp1250"))
    before = database_state()
    with pytest.raises(CommandError, match="unknown invoices column"):
        call_command("import", "invoices", str(path), "--save-mapping", "--map=Netto=price")
    assert database_state() == before and not ColumnMapping.objects.exists()


def test_forgetting_a_mapping_is_for_importers_only(company, client, media):
    saved = ColumnMapping.objects.create(
        source="erp", kind="invoices", mapping={"Netto": "net_amount"}
    )
    client.force_login(company["owner"])
    assert client.post(reverse("ingest:forget_mapping", args=[saved.pk])).status_code == 404
    client.force_login(company["head"])
    client.post(reverse("ingest:forget_mapping", args=[saved.pk]))
    assert not ColumnMapping.objects.exists()
    assert ImportBatch.objects.count() == 0


def test_a_back_office_edit_may_only_name_columns_the_kind_has(db):
    from django.core.exceptions import ValidationError

    saved = ColumnMapping(source="erp", kind="invoices", mapping={"Netto": "price"})
    with pytest.raises(ValidationError, match="unknown invoices column"):
        saved.full_clean()
    saved.mapping = {"Netto": "net_amount", "Uwagi": "-"}
    saved.full_clean()
