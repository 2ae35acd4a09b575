"""Contract registers from an ERP, through the contracts app's services: matched by
customer and number, all or nothing, every refusal on its line and column."""

from __future__ import annotations

import io
import os
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from openkam.contracts.models import Contract
from openkam.core.models import AuditEntry
from openkam.ingest.folder import import_folder
from openkam.ingest.tests.conftest import database_state

# A Polish register (Comarch-like), Windows-1250: types and yes/no in Polish, a discount
# with a percent sign, a commitment without a currency cell on the second row.
REGISTER_PL = (
    "Nr umowy;Kontrahent;Typ umowy;Data rozpoczęcia;Data zakończenia;"
    "Automatyczne przedłużenie;Okres przedłużenia (mies.);Okres wypowiedzenia (dni);"
    "Termin płatności (dni);Cennik;Rabat (%);Minimalny obrót;Waluta\n"
    "UR/2024/001;K1;umowa ramowa;01.01.2024;31.12.2026;tak;12;90;30;Hurt A;5,5 %;"
    "1 200 000,00;PLN\n"
    "UD/2025/014;K2;dostawy;01.03.2025;;nie;;30;14;Detal;;250 000,00;\n"
)
# 1C's list of contracts, Windows-1251: the customer by INN, Russian words.
REGISTER_1C = (
    "Номер договора;ИНН;Тип договора;Статус;Действует с;Действует по;Пролонгация;"
    "Срок пролонгации (мес.);Срок уведомления (дней);Отсрочка платежа (дней);Вид цен;"
    "Скидка (%);Сумма договора;Валюта договора\n"
    "Д-17/2025;7707083893;Договор поставки;Действует;01.02.2025;31.01.2027;да;12;60;45;"
    "Оптовая;3;5 000 000,00;RUB\n"
    "Д-18/2025;7707083893;услуги;Проект;01.06.2025;;нет;;;10;;;;\n"
)


@pytest.fixture
def customers(erp):
    from openkam.accounts.models import Account

    erp["r1"] = Account.objects.create(
        name="Сбербанк ПАО", source="erp", external_id="R1", country="RU", tax_id="7707083893"
    )
    return erp


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def stored(number: str) -> tuple:
    contract = Contract.objects.get(number=number)
    return (
        contract.account.external_id, contract.kind, contract.status, contract.starts_on,
        contract.ends_on, contract.auto_renews, contract.renewal_months,
        contract.notice_period, contract.notice_unit, contract.payment_terms_days,
        contract.price_tier, contract.discount_pct, contract.commitment_amount,
        contract.commitment_currency, contract.source,
    )  # fmt: skip


def test_a_polish_register_creates_contracts(customers, write_file, run_import):
    outcome = run_import("contracts", write_file("umowy.csv", REGISTER_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert stored("UR/2024/001") == (
        "K1", "framework", "active", date(2024, 1, 1), date(2026, 12, 31), True, 12, 90,
        "days", 30, "Hurt A", Decimal("5.50"), Decimal("1200000.00"), "PLN", "erp",
    )  # fmt: skip
    assert stored("UD/2025/014") == (
        "K2", "supply", "active", date(2025, 3, 1), None, False, None, 30, "days", 14,
        "Detal", None, Decimal("250000.00"), "PLN", "erp",
    )  # fmt: skip
    created = AuditEntry.objects.filter(model="contracts.Contract", action="create")
    assert {(entry.via, entry.account_id) for entry in created} == {
        ("import", customers["k1"].pk), ("import", customers["k2"].pk),
    }  # fmt: skip


def test_a_1c_register_names_customers_by_inn(customers, write_file, run_import):
    outcome = run_import("contracts", write_file("договоры.csv", REGISTER_1C, "cp1251"))
    assert outcome.ok, outcome.errors
    assert stored("Д-17/2025") == (
        "R1", "supply", "active", date(2025, 2, 1), date(2027, 1, 31), True, 12, 60, "days",
        45, "Оптовая", Decimal("3.00"), Decimal("5000000.00"), "RUB", "erp",
    )  # fmt: skip
    assert stored("Д-18/2025")[1:3] == ("service", "draft")


def test_the_same_register_twice_changes_nothing(customers, write_file, run_import):
    path = write_file("umowy.csv", REGISTER_PL, "cp1250")
    run_import("contracts", path)
    before = database_state(), list(Contract.objects.values_list("pk", "updated_at"))
    outcome = run_import("contracts", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 2}
    assert (database_state(), list(Contract.objects.values_list("pk", "updated_at"))) == before


def test_a_changed_row_updates_its_contract_and_is_audited(customers, write_file, run_import):
    run_import("contracts", write_file("a.csv", REGISTER_PL, "cp1250"))
    changed = REGISTER_PL.replace("Hurt A;5,5 %", "Hurt B;7 %")
    outcome = run_import("contracts", write_file("b.csv", changed, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 1}
    contract = Contract.objects.get(number="UR/2024/001")
    assert (contract.price_tier, contract.discount_pct) == ("Hurt B", Decimal("7.00"))
    entry = AuditEntry.objects.get(model="contracts.Contract", action="update")
    assert (entry.via, entry.changes["price_tier"]) == ("import", ["Hurt A", "Hurt B"])


def test_columns_not_in_the_file_keep_what_is_stored(customers, write_file, run_import):
    run_import("contracts", write_file("a.csv", REGISTER_PL, "cp1250"))
    short = "Nr umowy;Kontrahent;Typ umowy;Data rozpoczęcia\nUR/2024/001;K1;ramowa;01.01.2024\n"
    outcome = run_import("contracts", write_file("b.csv", short, "cp1250"))
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 1}
    assert stored("UR/2024/001")[10:12] == ("Hurt A", Decimal("5.50"))


def test_the_same_number_with_another_customer_is_another_contract(
    customers, write_file, run_import
):
    text = REGISTER_PL.replace("UD/2025/014;K2", "UR/2024/001;K2")
    outcome = run_import("contracts", write_file("a.csv", text, "cp1250"))
    assert outcome.counts["created"] == 2
    assert Contract.objects.filter(number="UR/2024/001").count() == 2


def test_every_bad_row_is_named_and_nothing_is_stored(customers, write_file, run_import):
    run_import("contracts", write_file("a.csv", REGISTER_PL, "cp1250"))
    header = REGISTER_PL.splitlines()[0] + "\n"
    text = header + (
        "UR/2024/001;K1;umowa ramowa;01.01.2024;31.12.2026;tak;12;90;30;Hurt C;5;1000;PLN\n"
        "X/1;K1;leasing;01.01.2024;;nie;;;;;;;\n"  # an unknown type
        "X/2;K1;dostawy;01.06.2024;31.05.2024;nie;;;;;;;\n"  # ends before it starts
        "X/3;K1;dostawy;01.01.2024;31.12.2024;tak;;;;;;;\n"  # renews, but for how long?
        "X/4;K9;dostawy;01.01.2024;;nie;;;;;;;\n"  # an unknown customer
        "X/5;K1;dostawy;01.01.2024;;nie;;;;;150;;\n"  # a discount over 100%
        "X/6;K1;dostawy;01.01.2024;;może;;;;;;;\n"  # neither yes nor no
        "X/2;K1;dostawy;01.01.2024;;nie;;;;;;;\n"  # X/2 of K1 again
    )
    before = database_state(), list(Contract.objects.values_list("pk", "updated_at"))
    outcome = run_import("contracts", write_file("b.csv", text, "cp1250"))
    assert errors_of(outcome) == [
        (3, "kind", "bad_value"),
        (6, "account_id", "unknown_account"),
        (8, "auto_renews", "bad_value"),
        (9, "number", "duplicate_id"),
    ]
    assert "use one of framework, service, supply" in outcome.errors[0].detail
    assert "also on line 4" in outcome.errors[3].detail
    # The services' own checks come once the file reads clean.
    clean = "".join(
        line + "\n"
        for line in text.splitlines()
        if not line.startswith(("X/1;", "X/4;", "X/6;")) and line != text.splitlines()[-1]
    )
    outcome = run_import("contracts", write_file("c.csv", clean, "cp1250"))
    assert errors_of(outcome) == [
        (3, "end_date", "bad_value"),
        (4, "renewal_months", "bad_value"),
        (5, "discount_pct", "bad_value"),
    ]
    assert outcome.errors[0].detail == "The end date is before the start date."
    assert (database_state(), list(Contract.objects.values_list("pk", "updated_at"))) == before


def test_a_dry_run_counts_and_writes_nothing(customers, write_file, run_import):
    outcome = run_import("contracts", write_file("a.csv", REGISTER_PL, "cp1250"), dry_run=True)
    assert outcome.ok and outcome.counts["created"] == 2
    assert not Contract.objects.exists()


def test_an_importer_who_may_not_change_the_account_is_refused(
    customers, write_file, run_import, make_user
):
    viewer = make_user("viewer", "viewer")
    outcome = run_import("contracts", write_file("a.csv", REGISTER_PL, "cp1250"), actor=viewer)
    assert errors_of(outcome) == [
        (2, "account_id", "not_allowed"),
        (3, "account_id", "not_allowed"),
    ]
    assert not Contract.objects.exists()


def test_the_command_imports_contracts(customers, write_file):
    out = io.StringIO()
    path = write_file("umowy.csv", REGISTER_PL, "cp1250")
    call_command("import", "contracts", str(path), "--no-progress", stdout=out)
    assert "created 2, updated 0, unchanged 0" in out.getvalue()


def test_the_nightly_run_takes_contracts_after_the_accounts_they_name(db, tmp_path):
    accounts = tmp_path / "accounts" / "kontrahenci.csv"
    contracts = tmp_path / "contracts" / "umowy.csv"
    for path in (accounts, contracts):
        path.parent.mkdir()
    accounts.write_bytes("Kod;Nazwa\nK1;Hurtownia Alfa\nK2;Beta Trade\n".encode("cp1250"))
    contracts.write_bytes(REGISTER_PL.encode("cp1250"))
    old = time.time() - 600
    for path in (accounts, contracts):
        os.utime(path, (old, old))
    results = import_folder(tmp_path, today=date(2026, 12, 2))
    assert [(result.kind, result.ok) for result in results] == [
        ("accounts", True), ("contracts", True),
    ]  # fmt: skip
    assert Contract.objects.count() == 2


def test_the_import_page_offers_contracts_with_their_columns(company, client):
    client.force_login(company["head"])
    page = client.get(reverse("ingest:upload")).content.decode()
    assert '<option value="contracts">Contracts</option>' in page
    assert "payment_terms_days" in page and "required: this or account_tax_id" in page
