"""Opportunities from a CRM export, through the opportunities services: matched by their
id there, moved with history when the stage changes, all or nothing, every refusal on
its line and column, and only on accounts the importer may change."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from openkam.accounts.models import Account
from openkam.core.models import AuditEntry
from openkam.ingest.tests.conftest import database_state
from openkam.ledger.models import Product
from openkam.opportunities.models import Opportunity, StageChange
from openkam.workspace.models import AccountCompetitor, Competitor

# A Polish CRM export, Windows-1250: stages, types and reasons in Polish, the owner by
# e-mail or empty (the account's KAM), lines and competitors in one cell each.
PIPELINE_PL = (
    "Id szansy;Kontrahent;Szansa sprzedaży;Typ;Wartość;Waluta;Etap;Prawdopodobieństwo;"
    "Przewidywane zamknięcie;Opiekun;Linie produktów;Konkurenci;Przyczyna utraty;Opis\n"
    "SZ-101;A;Mąka do nowej linii;sprzedaż krzyżowa;120 000,00;;Oferta;;15.01.2027;"
    "owner@firma.example;Mąki, tłuszcze;Młyn Nowak;;Piekarnia w Łodzi\n"
    "SZ-102;B;Olej na 2027;odnowienie;48 500,50;EUR;Negocjacje;80;28.02.2027;;Tłuszcze;;;\n"
    "SZ-103;A;Cukier dla cukierni;nowy biznes;9 900,00;;Przegrana;;30.11.2026;owner;"
    ';"Młyn Nowak; Cukrownia Wschód";cena;\n'
)
# A Russian one (Bitrix24-like), Windows-1251: the owner by username.
PIPELINE_RU = (
    "ID сделки;Клиент;Название;Тип сделки;Сумма;Валюта;Стадия;Ожидаемая дата закрытия;"
    "Ответственный;Товарные группы;Конкуренты;Причина проигрыша;Комментарий\n"
    "Д-7;C;Поставка муки на 2027 год;допродажа;1 500 000,00;RUB;Переговоры;05.01.2027;"
    "junior;Мука;ООО Мельник;;Тендер в январе\n"
    "Д-8;C;Масло для сети;Кросс-продажа;250 000,00;RUB;Проиграна;2026-11-20;;Масло;"
    "ООО Мельник;Нет бюджета;\n"
)


@pytest.fixture
def crm(company):
    """The company's accounts A, B, C as the ERP's (source "erp"), owners with e-mails,
    and a catalogue with Polish and Russian product lines."""
    Account.objects.filter(pk__in=[company[k].pk for k in ("a", "a1", "b", "c")]).update(
        source="erp"
    )
    for name in ("owner", "junior", "other_kam"):
        company[name].email = f"{company[name].username}@firma.example"
        company[name].save()
    Product.objects.create(sku="MK-1", name="Mąka", product_line="Mąki")
    Product.objects.create(sku="OL-1", name="Olej", product_line="Tłuszcze")
    Product.objects.create(sku="МК-1", name="Мука", product_line="Мука")
    Product.objects.create(sku="МС-1", name="Масло", product_line="Масло")
    return company


def errors_of(outcome) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.reason) for e in outcome.errors]


def history(external_id: str) -> list[tuple[str | None, str]]:
    changes = StageChange.objects.filter(opportunity__external_id=external_id)
    return [(c.from_stage.code if c.from_stage else None, c.to_stage.code) for c in changes]


def state() -> dict:
    """Everything an opportunities import can write."""
    return {
        **database_state(),
        "opportunities": sorted(Opportunity.objects.values_list("pk", "updated_at")),
        "moves": StageChange.objects.count(),
        "competitors": Competitor.objects.count(),
        "at_accounts": AccountCompetitor.objects.count(),
    }


def test_a_polish_pipeline_goes_in_through_the_services(crm, write_file, run_import):
    outcome = run_import("opportunities", write_file("szanse.csv", PIPELINE_PL, "cp1250"),
                         actor=crm["head"])  # fmt: skip
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 3, "updated": 0, "unchanged": 0, "moved": 0,
                              "competitors_added": 2}  # fmt: skip
    new = Opportunity.objects.get(external_id="SZ-101")
    assert (new.account, new.kind, new.value, new.currency, new.stage.code, new.probability) == (
        crm["a"], "cross_sell", Decimal("120000.00"), "PLN", "propose", 50,
    )  # fmt: skip
    assert (new.expected_close, new.owner, new.source, new.description) == (
        date(2027, 1, 15), crm["owner"], "erp", "Piekarnia w Łodzi",
    )  # fmt: skip
    # The catalogue's spelling of a line; the competitor now recorded at the account.
    assert sorted(new.product_lines.values_list("product_line", flat=True)) == ["Mąki", "Tłuszcze"]
    assert [rival.name for rival in new.competitors.all()] == ["Młyn Nowak"]
    renewal = Opportunity.objects.get(external_id="SZ-102")
    assert (renewal.kind, renewal.currency, renewal.probability, renewal.owner) == (
        "renewal", "EUR", 80, crm["other_kam"],  # the account's KAM
    )  # fmt: skip
    lost = Opportunity.objects.get(external_id="SZ-103")
    assert (lost.stage.code, lost.lost_reason, lost.probability, lost.closed_on) == (
        "lost", "price", 0, crm["today"],
    )  # fmt: skip
    assert sorted(r.name for r in lost.competitors.all()) == ["Cukrownia Wschód", "Młyn Nowak"]
    assert AccountCompetitor.objects.filter(account=crm["a"]).count() == 2
    assert history("SZ-101") == [(None, "propose")]
    entries = AuditEntry.objects.filter(model="opportunities.Opportunity", action="create")
    assert {(e.actor, e.via) for e in entries} == {(crm["head"], "import")}


def test_a_russian_pipeline_with_russian_names(crm, write_file, run_import):
    outcome = run_import("opportunities", write_file("сделки.csv", PIPELINE_RU, "cp1251"))
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "cp1251"
    deal = Opportunity.objects.get(external_id="Д-7")
    assert (deal.account, deal.kind, deal.value, deal.currency, deal.stage.code) == (
        crm["c"], "upsell", Decimal("1500000.00"), "RUB", "negotiate",
    )  # fmt: skip
    assert (deal.probability, deal.expected_close, deal.owner) == (75, date(2027, 1, 5),
                                                                   crm["junior"])  # fmt: skip
    lost = Opportunity.objects.get(external_id="Д-8")
    assert (lost.kind, lost.stage.code, lost.lost_reason) == ("cross_sell", "lost", "no_budget")
    assert Competitor.objects.get().name == "ООО Мельник"  # named once, used twice


def test_the_same_file_again_changes_nothing(crm, write_file, run_import):
    path = write_file("szanse.csv", PIPELINE_PL, "cp1250")
    run_import("opportunities", path, actor=crm["head"])
    before = state()
    outcome = run_import("opportunities", path, actor=crm["head"])
    assert outcome.ok, outcome.errors
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 3, "moved": 0,
                              "competitors_added": 0}  # fmt: skip
    assert state() == before
    assert Opportunity.objects.count() == 3


def test_a_stage_moved_in_the_crm_is_moved_with_history(crm, write_file, run_import):
    run_import("opportunities", write_file("a.csv", PIPELINE_PL, "cp1250"), actor=crm["head"])
    moved = PIPELINE_PL.replace(";Oferta;;15.01.2027;", ";negotiate;;31.01.2027;").replace(
        ";Negocjacje;80;", ";WYGRANA;80;"
    )
    outcome = run_import("opportunities", write_file("b.csv", moved, "cp1250"),
                         actor=crm["head"])  # fmt: skip
    assert outcome.ok, outcome.errors
    assert (outcome.counts["updated"], outcome.counts["moved"]) == (2, 2)
    deal = Opportunity.objects.get(external_id="SZ-101")
    assert (deal.stage.code, deal.probability, deal.expected_close) == (
        "negotiate", 75, date(2027, 1, 31),
    )  # fmt: skip
    assert history("SZ-101") == [(None, "propose"), ("propose", "negotiate")]
    assert [change.by for change in StageChange.objects.filter(opportunity=deal)] == [
        crm["head"], crm["head"],
    ]  # fmt: skip
    won = Opportunity.objects.get(external_id="SZ-102")
    assert (won.stage.code, won.probability, won.closed_on) == ("won", 100, crm["today"])
    # Won stays won at 100% on the next import, whatever probability the file gives.
    again = run_import("opportunities", write_file("c.csv", moved, "cp1250"), actor=crm["head"])
    assert again.counts["unchanged"] == 3


def test_an_empty_probability_keeps_what_the_kam_set(crm, write_file, run_import):
    from openkam.opportunities import services

    path = write_file("a.csv", PIPELINE_PL, "cp1250")
    run_import("opportunities", path)
    deal = Opportunity.objects.get(external_id="SZ-101")
    services.opportunity_update(actor=crm["owner"], opportunity=deal, probability=60)
    outcome = run_import("opportunities", path)
    assert outcome.counts["unchanged"] == 3
    deal.refresh_from_db()
    assert deal.probability == 60


def test_bad_rows_are_reported_on_their_line_and_column_and_nothing_is_written(
    crm, write_file, run_import
):
    header = PIPELINE_PL.splitlines()[0]
    rows = [
        "SZ-1;X9;Nieznany klient;;1 000,00;;Oferta;;15.01.2027;;;;;",
        "SZ-2;A;Etap spoza procesu;;1 000,00;;Wysłana;;15.01.2027;;;;;",
        "SZ-3;A;Nieznany opiekun;;1 000,00;;Oferta;;15.01.2027;jan.kowalski;;;;",
        "SZ-4;A;Przegrana bez powodu;;1 000,00;;Przegrana;;15.01.2027;;;;;",
        "SZ-5;A;Zła data;;1 000,00;;Oferta;;31.02.2027;;;;;",
        "SZ-6;A;Zła kwota;;12a;;Oferta;;15.01.2027;;;;;",
        "SZ-7;A;Nieznana linia;;1 000,00;;Oferta;;15.01.2027;;Kawa;;;",
        "SZ-8;A;Zły typ;rabat;1 000,00;;Oferta;;15.01.2027;;;;;",
        "SZ-9;A;Za duże prawdopodobieństwo;;1 000,00;;Oferta;120;15.01.2027;;;;;",
        "SZ-10;A;Dobry wiersz;;1 000,00;;Oferta;;15.01.2027;;;Młyn Nowak;;",
    ]
    before = state()
    outcome = run_import(
        "opportunities", write_file("z.csv", "\n".join([header, *rows]) + "\n", "cp1250"),
        actor=crm["head"],
    )  # fmt: skip
    assert errors_of(outcome) == [
        (2, "account_id", "unknown_account"),
        (3, "stage", "bad_value"),
        (4, "owner", "bad_value"),
        (5, "lost_reason", "missing_required"),
        (6, "expected_close", "bad_date"),
        (7, "value", "bad_number"),
        (8, "product_lines", "bad_value"),
        (9, "kind", "bad_value"),
        (10, "probability", "bad_value"),
    ]
    details = {e.line: e.detail for e in outcome.errors}
    assert "'Wysłana' is no stage we know" in details[3] and "negotiate" in details[3]
    assert "'jan.kowalski' is no active user" in details[4]
    assert details[5] == "the stage Lost is a loss: say why it was lost"
    assert (
        "'Kawa': no such product line in the catalogue (known: Mąki, Tłuszcze, Масло, Мука)"
        in details[8]
    )
    assert str(outcome.errors[0]).startswith("line 2, column account_id: unknown account")
    assert state() == before
    assert not Opportunity.objects.exists() and not Competitor.objects.exists()


def test_a_duplicate_id_names_the_first_line(crm, write_file, run_import):
    text = PIPELINE_PL + "SZ-101;B;Jeszcze raz;;1,00;;Oferta;;15.01.2027;;;;;\n"
    outcome = run_import("opportunities", write_file("d.csv", text, "cp1250"))
    assert errors_of(outcome) == [(5, "external_id", "duplicate_id")]
    assert outcome.errors[0].detail == "the opportunity SZ-101 is also on line 2"
    assert not Opportunity.objects.exists()


def test_a_refusal_of_the_services_lands_on_its_line_and_column(crm, write_file, run_import):
    """An opportunity cannot change accounts; a stage no longer in use takes no new ones."""
    from openkam.opportunities.models import Stage

    run_import("opportunities", write_file("a.csv", PIPELINE_PL, "cp1250"))
    Stage.objects.filter(code="develop").update(is_active=False)
    text = PIPELINE_PL.replace("SZ-101;A;", "SZ-101;B;") + (
        "SZ-200;A;Stary etap;;1,00;;Rozwój;;15.01.2027;;;;;\n"
    )
    before = state()
    outcome = run_import("opportunities", write_file("b.csv", text, "cp1250"))
    assert errors_of(outcome) == [(2, "account_id", "bad_value"), (5, "stage", "bad_value")]
    assert outcome.errors[1].detail == "That stage is no longer in use."
    assert state() == before


@pytest.mark.parametrize("persona", ["viewer", "finance", "other_kam"])
def test_an_importer_who_may_not_change_the_account_is_refused(
    crm, write_file, run_import, persona
):
    """As for contracts: a hidden account and a read-only role read the same."""
    before = state()
    outcome = run_import("opportunities", write_file("a.csv", PIPELINE_PL, "cp1250"),
                         actor=crm[persona])  # fmt: skip
    refused = [(2, "account_id", "not_allowed"), (4, "account_id", "not_allowed")]
    if persona != "other_kam":  # B is other_kam's own account
        refused.insert(1, (3, "account_id", "not_allowed"))
    assert errors_of(outcome) == refused
    assert outcome.errors[0].detail == "You may not change the opportunities of this account."
    assert state() == before


def test_the_account_s_kam_imports_their_own(crm, write_file, run_import):
    text = "\n".join(line for line in PIPELINE_PL.splitlines() if ";B;" not in line) + "\n"
    outcome = run_import("opportunities", write_file("a.csv", text, "cp1250"),
                         actor=crm["owner"])  # fmt: skip
    assert outcome.ok, outcome.errors
    assert Opportunity.objects.filter(account=crm["a"]).count() == 2


def test_a_dry_run_counts_and_writes_nothing(crm, write_file, run_import):
    before = state()
    outcome = run_import("opportunities", write_file("a.csv", PIPELINE_PL, "cp1250"),
                         dry_run=True)  # fmt: skip
    assert outcome.ok and outcome.counts["created"] == 3
    assert state() == before


def test_the_command_prints_moves_and_competitors(crm, write_file):
    out = io.StringIO()
    path = write_file("szanse.csv", PIPELINE_PL, "cp1250")
    call_command("import", "opportunities", str(path), "--no-progress", stdout=out)
    assert "created 3, updated 0, unchanged 0" in out.getvalue()
    assert "competitors recorded at accounts: 2" in out.getvalue()


def test_the_import_page_runs_an_opportunities_job(crm, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from openkam.core.jobs import execute_job
    from openkam.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(crm["head"])
    assert "Przewidywane zamknięcie" in client.get(reverse("ingest:upload")).content.decode()
    moved = PIPELINE_PL.replace(";Oferta;;", ";Negocjacje;;")
    for name, text in (("a.csv", PIPELINE_PL), ("b.csv", moved)):
        upload = SimpleUploadedFile(name, text.encode("cp1250"))
        client.post(reverse("ingest:upload"), {"kind": "opportunities", "file": upload})
        job = execute_job(Job.objects.filter(kind="import").latest("pk").pk)
        assert job.result["ok"], job.result["errors"]
    page = client.get(reverse("ingest:job_progress", args=[job.pk])).content.decode()
    assert "Opportunities moved to another stage" in page
    assert history("SZ-101") == [(None, "propose"), ("propose", "negotiate")]


# A CRM's history: deals closed before today keep their day and the note on the loss.
HISTORY_PL = (
    "Id szansy;Kontrahent;Szansa sprzedaży;Wartość;Etap;Przewidywane zamknięcie;"
    "Przyczyna utraty;Opis przegranej;Faktyczna data zamknięcia\n"
    "SZ-201;A;Olej 2026;10 000,00;Wygrana;30.06.2026;;;12.06.2026\n"
    "SZ-202;A;Cukier 2026;5 000,00;Przegrana;31.07.2026;cena;Konkurent o 4 % taniej;"
    "03.07.2026\n"
    "SZ-203;B;Mąka 2027;7 000,00;Oferta;31.01.2027;cena;Nieaktualne;01.12.2026\n"
    "SZ-204;B;Olej bez daty;3 000,00;Wygrana;30.11.2026;;;\n"
)


def test_a_crm_history_keeps_its_closing_days_and_loss_notes(crm, write_file, run_import):
    outcome = run_import("opportunities", write_file("h.csv", HISTORY_PL, "cp1250"))
    assert outcome.ok, outcome.errors
    closed = {o.external_id: (o.stage.code, o.closed_on, o.lost_reason, o.lost_note)
              for o in Opportunity.objects.select_related("stage")}  # fmt: skip
    assert closed == {
        "SZ-201": ("won", date(2026, 6, 12), "", ""),
        "SZ-202": ("lost", date(2026, 7, 3), "price", "Konkurent o 4 % taniej"),
        "SZ-203": ("propose", None, "", ""),  # still open: no closing day, no loss
        "SZ-204": ("won", crm["today"], "", ""),  # no day given: the import's
    }
    again = run_import("opportunities", write_file("h2.csv", HISTORY_PL, "cp1250"))
    assert again.counts["unchanged"] == 4


def test_a_deal_closed_in_the_crm_since_the_last_import_takes_the_crms_day(
    crm, write_file, run_import
):
    run_import("opportunities", write_file("h.csv", HISTORY_PL, "cp1250"))
    moved = HISTORY_PL.replace(
        "Oferta;31.01.2027;cena;Nieaktualne;01.12.2026",
        "Przegrana;31.01.2027;brak budżetu;Budżet przesunięty na 2027;28.11.2026",
    )
    outcome = run_import("opportunities", write_file("h2.csv", moved, "cp1250"))
    assert outcome.ok, outcome.errors
    deal = Opportunity.objects.get(external_id="SZ-203")
    assert (deal.stage.code, deal.closed_on, deal.lost_reason, deal.lost_note) == (
        "lost", date(2026, 11, 28), "no_budget", "Budżet przesunięty na 2027",
    )  # fmt: skip


def test_a_closing_day_after_today_is_refused_on_its_line(crm, write_file, run_import):
    future = HISTORY_PL.replace(";;;12.06.2026", ";;;12.06.2027")
    outcome = run_import("opportunities", write_file("f.csv", future, "cp1250"))
    assert errors_of(outcome) == [(2, "closed_on", "bad_value")]
    assert "2027-06-12 is after today" in outcome.errors[0].detail
    assert not Opportunity.objects.exists()
