"""Account import: dossier fields, tax ids, parents by external id, audit."""

from __future__ import annotations

from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.ingest.tests.conftest import database_state

HEADER = "external_id;name;tax_id;country;city;parent_id\n"
GROUP = HEADER + (
    "G1;Grupa Alfa S.A.;5260250995;PL;Warszawa;\n"
    "G2;Alfa Logistyka;;PL;Łódź;G1\n"
    "G3;Alfa Serwis;;PL;Gdańsk;G2\n"
)


def errors_of(outcome):
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def test_accounts_are_created_with_parents_from_the_same_file(db, write_file, run_import):
    outcome = run_import("accounts", write_file("a.csv", GROUP))
    assert outcome.ok and outcome.counts == {"created": 3, "updated": 0, "unchanged": 0}
    g1, g2, g3 = (Account.objects.get(external_id=key) for key in ("G1", "G2", "G3"))
    assert (g2.parent, g3.parent) == (g1, g2)
    assert {g1.group_root, g2.group_root, g3.group_root} == {g1}
    assert g2.city == "Łódź" and g1.tax_id == "5260250995"


def test_parent_may_be_an_account_already_stored(db, write_file, run_import):
    run_import("accounts", write_file("a.csv", GROUP))
    text = HEADER + "G4;Alfa Retail;;PL;Kraków;G3\n"
    assert run_import("accounts", write_file("b.csv", text)).ok
    g4 = Account.objects.get(external_id="G4")
    assert (g4.parent.external_id, g4.group_root.external_id) == ("G3", "G1")


def test_moving_a_subtree_repoints_its_group_roots(db, write_file, run_import):
    run_import("accounts", write_file("a.csv", GROUP))
    moved = GROUP.replace("G2;Alfa Logistyka;;PL;Łódź;G1", "G2;Alfa Logistyka;;PL;Łódź;")
    outcome = run_import("accounts", write_file("b.csv", moved))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 2}
    g2 = Account.objects.get(external_id="G2")
    assert Account.objects.get(external_id="G3").group_root == g2


def test_the_same_file_twice_changes_nothing(db, write_file, run_import):
    path = write_file("a.csv", GROUP)
    run_import("accounts", path)
    before = database_state()
    outcome = run_import("accounts", path)
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}
    assert database_state() == before


def test_a_changed_row_updates_and_is_audited(db, write_file, run_import, make_user):
    head = make_user("boss", "head")
    run_import("accounts", write_file("a.csv", GROUP), actor=head)
    changed = GROUP.replace("Gdańsk", "Gdynia")
    outcome = run_import("accounts", write_file("b.csv", changed), actor=head)
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 2}
    g3 = Account.objects.get(external_id="G3")
    entry = AuditEntry.objects.filter(model="accounts.Account", object_id=str(g3.pk)).first()
    assert (entry.action, entry.via, entry.actor) == ("import", "import", head)
    assert entry.changes == {"city": ["Gdańsk", "Gdynia"]}
    assert entry.account_id == g3.pk


def test_created_accounts_are_audited(db, write_file, run_import):
    run_import("accounts", write_file("a.csv", GROUP))
    assert AuditEntry.objects.filter(model="accounts.Account", action="import").count() == 3


def test_invalid_nip_is_a_row_error(db, write_file, run_import):
    text = GROUP + "G9;Zły NIP;5260250990;PL;;\n"
    outcome = run_import("accounts", write_file("a.csv", text))
    assert errors_of(outcome) == [(5, "tax_id", "bad_value")]
    assert not Account.objects.exists()


def test_russian_inn_is_checked(db, write_file, run_import):
    good = HEADER + "R1;ООО Ромашка;7707083893;RU;Москва;\n"
    assert run_import("accounts", write_file("a.csv", good)).ok
    bad = HEADER + "R2;ООО Лютик;7707083890;RU;Москва;\n"
    assert errors_of(run_import("accounts", write_file("b.csv", bad))) == [
        (2, "tax_id", "bad_value")
    ]


def test_duplicate_external_id_names_both_lines(db, write_file, run_import):
    text = GROUP + "G1;Grupa Alfa bis;;PL;;\n"
    outcome = run_import("accounts", write_file("a.csv", text))
    assert errors_of(outcome) == [(5, "external_id", "duplicate_id")]
    assert "also on line 2" in outcome.errors[0].detail


def test_unknown_parent_is_an_error(db, write_file, run_import):
    text = HEADER + "G5;Sierota;;PL;;NOPE\n"
    outcome = run_import("accounts", write_file("a.csv", text))
    assert errors_of(outcome) == [(2, "parent_id", "unknown_account")]


def test_parent_cycle_is_an_error_and_nothing_is_written(db, write_file, run_import):
    run_import("accounts", write_file("a.csv", GROUP))
    before = database_state()
    cycle = GROUP.replace(
        "G1;Grupa Alfa S.A.;5260250995;PL;Warszawa;", "G1;Grupa Alfa S.A.;5260250995;PL;Warszawa;G3"
    )
    outcome = run_import("accounts", write_file("b.csv", cycle))
    assert [(e.column, e.reason) for e in outcome.errors] == [("parent_id", "parent_cycle")]
    assert database_state() == before


def test_missing_name_is_reported(db, write_file, run_import):
    outcome = run_import("accounts", write_file("a.csv", HEADER + "G1;;;PL;;\n"))
    assert errors_of(outcome) == [(2, "name", "missing_required")]


def test_columns_absent_from_the_file_keep_stored_values(db, write_file, run_import):
    run_import("accounts", write_file("a.csv", GROUP))
    names_only = "external_id,name\nG2,Alfa Logistyka Sp. z o.o.\n"
    outcome = run_import("accounts", write_file("b.csv", names_only))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    g2 = Account.objects.get(external_id="G2")
    assert (g2.name, g2.city, g2.parent.external_id) == ("Alfa Logistyka Sp. z o.o.", "Łódź", "G1")


def test_russian_headers_in_windows_1251(db, write_file, run_import):
    text = "Код;Наименование;ИНН;Страна;Город\nR1;ООО Ромашка;7707083893;RU;Москва\n"
    outcome = run_import("accounts", write_file("ru.csv", text, "cp1251"))
    assert outcome.ok, outcome.errors
    assert Account.objects.get(external_id="R1").city == "Москва"


def test_every_problem_of_a_rejected_row_is_reported(db, write_file, run_import):
    text = (
        "external_id,name,tax_id,country,currency,parent_id\n"
        "X1,Broken One,1234567890,PL,PLN,\n"
        "X2,,5260250995,PL,ZLOTY,NOPE\n"
    )
    before = database_state()
    outcome = run_import("accounts", write_file("a.csv", text))
    assert errors_of(outcome) == [
        (2, "tax_id", "bad_value"),
        (3, "currency", "bad_value"),
        (3, "name", "missing_required"),
        (3, "parent_id", "unknown_account"),
    ]
    assert database_state() == before
