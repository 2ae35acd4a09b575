"""Contract writes: who may, what is refused (with the field at fault), the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from openkam.contracts import services
from openkam.contracts.models import Contract, ContractFile
from openkam.contracts.tests.factories import make_contract
from openkam.core.models import AuditEntry


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _errors(**fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        services.contract_create(actor=None, **fields)
    return caught.value.message_dict


def test_create_is_audited_on_the_account(company):
    contract = services.contract_create(
        actor=company["owner"],
        account=company["a"],
        number=" UM/2026/7 ",
        kind="framework",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        notice_period=3,
        commitment_amount=Decimal("500000"),
        commitment_currency="pln",
    )
    assert (contract.number, contract.commitment_currency, contract.status) == (
        "UM/2026/7",
        "PLN",
        "draft",
    )
    entry = AuditEntry.objects.get(model="contracts.Contract", object_id=str(contract.pk))
    assert (entry.action, entry.account_id, entry.actor) == (
        "create",
        company["a"].pk,
        company["owner"],
    )
    assert entry.changes["number"] == [None, "UM/2026/7"]


def test_update_records_each_changed_field(company):
    contract = make_contract(company, "a", ends_on=date(2027, 6, 30))
    services.contract_update(
        actor=company["owner"], contract=contract, status="terminated", price_tier="B"
    )
    entry = AuditEntry.objects.filter(model="contracts.Contract", action="update").get()
    assert entry.changes == {"status": ["active", "terminated"], "price_tier": ["", "B"]}
    services.contract_update(actor=company["owner"], contract=contract, price_tier="B")
    assert AuditEntry.objects.filter(model="contracts.Contract", action="update").count() == 1


@pytest.mark.parametrize("who", ["other_kam", "finance", "viewer", "junior"])
def test_only_those_who_edit_the_accounts_work_may_write(company, who):
    with pytest.raises(PermissionDenied):
        services.contract_create(
            actor=company[who],
            account=company["a"],
            number="X",
            kind="supply",
            starts_on=date(2026, 1, 1),
        )
    contract = make_contract(company, "a")
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=company[who], contract=contract, notes="mine")


def test_the_deputy_and_the_head_may_write(company):
    contract = make_contract(company, "a")
    services.contract_update(actor=company["deputy"], contract=contract, notes="by the deputy")
    services.contract_update(actor=company["head"], contract=contract, notes="by the head")


def test_rules_between_fields_name_the_field_at_fault(company):
    base = {"account": company["a"], "number": "R/1", "kind": "supply"}
    assert "ends_on" in _errors(**base, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 30))
    errors = _errors(**base, starts_on=date(2026, 1, 1), auto_renews=True)
    assert set(errors) == {"renewal_months", "ends_on"}
    errors = _errors(
        **base, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), renewal_months=12
    )
    assert "renewal_months" in errors
    errors = _errors(
        **base,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        auto_renews=True,
        renewal_months=3,
        notice_period=3,
    )
    assert errors["notice_period"] == ["The notice period must be shorter than the renewal term."]
    errors = _errors(**base, starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1), notice_period=2)
    assert errors["notice_period"] == ["The notice date would fall before the start date."]
    errors = _errors(**base, starts_on=date(2026, 1, 1), notice_period=30, notice_unit="months")
    assert "notice_period" in errors
    errors = _errors(**base, starts_on=date(2026, 1, 1), commitment_amount=Decimal("5"))
    assert "commitment_currency" in errors
    errors = _errors(**base, starts_on=date(2026, 1, 1), commitment_currency="EUR")
    assert "commitment_amount" in errors
    errors = _errors(
        **base,
        starts_on=date(2026, 1, 1),
        commitment_amount=Decimal("5"),
        commitment_currency="EUR",
        commitment_period="term",
    )
    assert "commitment_period" in errors
    errors = _errors(
        **base, starts_on=date(2026, 1, 1), commitment_currency="eu", commitment_amount=1
    )
    assert "commitment_currency" in errors
    errors = _errors(**base, starts_on=date(2026, 1, 1), discount_pct=Decimal("100.5"))
    assert "discount_pct" in errors
    assert "starts_on" in _errors(**base, starts_on=date(3000, 1, 1))


def test_a_group_contract_sits_on_the_groups_top_account(company):
    errors = _errors(
        account=company["a1"],
        number="G/1",
        kind="framework",
        starts_on=date(2026, 1, 1),
        covers_group=True,
    )
    assert "covers_group" in errors
    make_contract(company, "a", covers_group=True)


def test_a_number_is_unique_per_account(company):
    make_contract(company, "a", number="DUP/1")
    make_contract(company, "b", number="DUP/1")
    errors = _errors(
        account=company["a"], number="DUP/1", kind="supply", starts_on=date(2026, 1, 1)
    )
    assert errors["number"] == ["This account already has a contract with this number."]


def test_files_are_stored_under_media_root_and_audited(
    company, media, django_capture_on_commit_callbacks
):
    contract = make_contract(company, "a")
    upload = SimpleUploadedFile("../umowa ramowa.pdf", b"%PDF-1.4 signed", "application/pdf")
    record = services.contract_file_add(actor=company["owner"], contract=contract, upload=upload)
    assert record.name == "umowa ramowa.pdf"
    assert record.file.name.startswith(f"contracts/{company['a'].pk}/{contract.pk}/")
    assert (media / record.file.name).read_bytes() == b"%PDF-1.4 signed"
    entry = AuditEntry.objects.get(model="contracts.ContractFile")
    assert entry.account_id == company["a"].pk
    assert entry.changes["contract"] == [None, contract.pk]
    path = media / record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_file_delete(actor=company["owner"], record=record)
    assert not ContractFile.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(model="contracts.ContractFile", action="delete").exists()


def test_a_file_over_the_limit_is_refused(company, media, settings):
    settings.KAM_MAX_UPLOAD_MB = 1
    contract = make_contract(company, "a")
    upload = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        services.contract_file_add(actor=company["owner"], contract=contract, upload=upload)
    assert "file" in caught.value.message_dict
    assert not ContractFile.objects.exists()


def test_a_file_is_refused_to_a_kam_of_another_account(company, media):
    contract = make_contract(company, "a")
    with pytest.raises(PermissionDenied):
        services.contract_file_add(
            actor=company["other_kam"], contract=contract, upload=SimpleUploadedFile("a.pdf", b"1")
        )
    assert Contract.objects.count() == 1
