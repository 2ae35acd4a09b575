"""Contract pages for each persona: the owner KAM edits, another KAM meets a 404 as for a
missing contract, finance and viewers read but cannot edit; files download only to those
who see the contract; the account page, the home page and the calendar feed show the
deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openkam.contracts import services
from openkam.contracts.models import Contract, ContractFile
from openkam.contracts.tests.factories import add_line, make_contract
from openkam.core.models import AuditEntry

FORM = {
    "number": "UM/2027/1",
    "kind": "framework",
    "status": "active",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
    "notice_period": "3",
    "notice_unit": "months",
    "commitment_currency": "PLN",
    "commitment_period": "year",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def contracts(company, media):
    """On A: an active contract whose notice date (2027-01-01) is 30 days away, with a
    commitment at risk and a file; on B: one another KAM owns."""
    a = make_contract(
        company,
        "a",
        number="UM/A/1",
        kind="framework",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 3, 31),
        notice_period=89,
        notice_unit="days",
        commitment_amount=Decimal("100000"),
        commitment_currency="PLN",
        notes="Secret rebate terms",
    )
    add_line(company["a"], date(2026, 3, 3), "20000.00")
    file = services.contract_file_add(
        actor=company["owner"],
        contract=a,
        upload=SimpleUploadedFile("signed.pdf", b"%PDF signed copy"),
    )
    b = make_contract(company, "b", number="UM/B/1", ends_on=date(2027, 1, 15))
    return {"a": a, "b": b, "file": file}


def _as(client, company, who):
    client.force_login(company[who])
    return client


@pytest.mark.parametrize("who", ["owner", "deputy", "head", "finance", "viewer"])
def test_those_who_see_the_account_read_the_contract(client, company, contracts, who):
    body = _as(client, company, who).get(f"/contracts/{contracts['a'].pk}/").content.decode()
    assert "UM/A/1" in body and "Secret rebate terms" in body
    assert "notice due in 30 days" in body
    assert "commitment at risk" in body
    assert "signed.pdf" in body


@pytest.mark.parametrize("who", ["other_kam", "junior", "senior"])
def test_a_contract_you_may_not_see_answers_as_a_missing_one(client, company, contracts, who):
    client = _as(client, company, who)
    missing = Contract.objects.order_by("-pk").first().pk + 100
    pk = contracts["a"].pk
    for path in (
        f"/contracts/{pk}/",
        f"/contracts/{pk}/edit/",
        f"/contracts/files/{contracts['file'].pk}/",
        f"/accounts/{company['a'].pk}/contracts/",
        f"/accounts/{company['a'].pk}/contracts/new/",
    ):
        hidden = client.get(path)
        absent = client.get(path.replace(str(pk), str(missing), 1))
        assert hidden.status_code == absent.status_code == 404, path
    assert client.post(f"/contracts/{pk}/edit/", FORM).status_code == 404
    assert client.post(f"/contracts/files/{contracts['file'].pk}/delete/").status_code == 404


def test_the_owner_creates_and_edits(client, company, contracts):
    client = _as(client, company, "owner")
    account = company["a"]
    assert client.get(f"/accounts/{account.pk}/contracts/new/").status_code == 200
    response = client.post(
        f"/accounts/{account.pk}/contracts/new/", FORM | {"commitment_amount": "250000"}
    )
    assert response.status_code == 302
    created = Contract.objects.get(number="UM/2027/1")
    assert response["Location"] == f"/contracts/{created.pk}/"
    assert (created.account, created.commitment_amount) == (account, Decimal("250000.00"))
    response = client.post(f"/contracts/{created.pk}/edit/", FORM | {"status": "terminated"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == "terminated"
    assert AuditEntry.objects.filter(
        model="contracts.Contract", object_id=str(created.pk), action="update"
    ).exists()
    history = client.get(f"/contracts/{created.pk}/").content.decode()
    assert "terminated" in history


def test_bad_input_gets_form_errors(client, company, contracts):
    client = _as(client, company, "owner")
    account = company["a"]
    bad = FORM | {"ends_on": "2026-06-30", "commitment_amount": "10", "commitment_currency": ""}
    response = client.post(f"/accounts/{account.pk}/contracts/new/", bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "The end date is before the start date." in body
    assert "Give the currency of the volume commitment." in body
    response = client.post(
        f"/accounts/{account.pk}/contracts/new/", FORM | {"starts_on": "3026-01-01"}
    )
    assert response.status_code == 422
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    duplicate = FORM | {"number": "UM/A/1"}
    response = client.post(f"/accounts/{account.pk}/contracts/new/", duplicate)
    assert "This account already has a contract with this number." in response.content.decode()
    assert Contract.objects.filter(account=account).count() == 1


@pytest.mark.parametrize("who", ["finance", "viewer"])
def test_read_only_roles_cannot_edit(client, company, contracts, who):
    client = _as(client, company, who)
    pk = contracts["a"].pk
    body = client.get(f"/contracts/{pk}/").content.decode()
    assert f"/contracts/{pk}/edit/" not in body and "Attach file" not in body
    assert client.get(f"/contracts/{pk}/edit/").status_code == 404
    assert client.post(f"/contracts/{pk}/edit/", FORM).status_code == 404
    assert client.get(f"/accounts/{company['a'].pk}/contracts/new/").status_code == 404
    upload = SimpleUploadedFile("x.pdf", b"x")
    assert client.post(f"/contracts/{pk}/files/", {"file": upload}).status_code == 404
    file_pk = contracts["file"].pk
    assert client.post(f"/contracts/files/{file_pk}/delete/").status_code == 404
    assert ContractFile.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("finance", 200), ("head", 200),
                                            ("other_kam", 404), ("junior", 404)])  # fmt: skip
def test_files_download_only_to_those_who_see_the_contract(client, company, contracts, who, status):
    response = _as(client, company, who).get(f"/contracts/files/{contracts['file'].pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF signed copy"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="signed.pdf"' in response["Content-Disposition"]


def test_anonymous_visitors_are_sent_to_log_in(client, contracts):
    response = client.get(f"/contracts/files/{contracts['file'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_owner_uploads_and_removes_files(client, company, contracts, media):
    client = _as(client, company, "owner")
    pk = contracts["a"].pk
    response = client.post(
        f"/contracts/{pk}/files/", {"file": SimpleUploadedFile("annex 1.pdf", b"annex")}
    )
    assert response.status_code == 302
    record = ContractFile.objects.get(name="annex 1.pdf")
    assert (media / record.file.name).read_bytes() == b"annex"
    assert client.post(f"/contracts/{pk}/files/", {}).status_code == 422
    response = client.post(f"/contracts/files/{record.pk}/delete/")
    assert response.status_code == 302
    assert not ContractFile.objects.filter(pk=record.pk).exists()


def test_a_file_missing_from_the_disk_is_a_404(client, company, contracts, media):
    record = contracts["file"]
    (media / record.file.name).unlink()
    assert _as(client, company, "owner").get(f"/contracts/files/{record.pk}/").status_code == 404


def test_the_list_filters(client, company, contracts):
    make_contract(company, "a", number="UM/A/2", kind="service", status="draft")
    client = _as(client, company, "head")

    def numbers(query: str) -> set[str]:
        body = client.get(f"/contracts/?{query}").content.decode()
        return {n for n in ("UM/A/1", "UM/A/2", "UM/B/1") if n in body}

    assert numbers("") == {"UM/A/1", "UM/A/2", "UM/B/1"}
    assert numbers("kind=service") == {"UM/A/2"}
    assert numbers("status=active") == {"UM/A/1", "UM/B/1"}
    assert numbers("ending=30") == {"UM/A/1"}  # its notice date is 30 days away
    assert numbers("ending=60") == {"UM/A/1", "UM/B/1"}
    assert numbers("at_risk=1") == {"UM/A/1"}
    assert numbers("q=Beta") == {"UM/B/1"}
    assert numbers("kind=nonsense&status=&ending=-1&at_risk=yes&page=x") == {
        "UM/A/1",
        "UM/A/2",
        "UM/B/1",
    }
    owner = _as(client, company, "owner").get("/contracts/").content.decode()
    assert "UM/A/1" in owner and "UM/B/1" not in owner and "Beta Trade" not in owner


def test_the_account_page_has_a_contracts_panel(client, company, contracts):
    client = _as(client, company, "owner")
    body = client.get(f"/accounts/{company['a'].pk}/").content.decode()
    assert 'id="contracts"' in body and "UM/A/1" in body
    assert "commitment at risk" in body and "notice due in 30 days" in body
    assert "Add contract" in body
    finance = _as(client, company, "finance").get(f"/accounts/{company['a'].pk}/").content
    assert b"UM/A/1" in finance and b"Add contract" not in finance
    listing = client.get(f"/accounts/{company['a'].pk}/contracts/").content.decode()
    assert "UM/A/1" in listing and "UM/B/1" not in listing


def test_the_home_page_shows_coming_deadlines(client, company, contracts):
    body = _as(client, company, "owner").get("/").content.decode()
    assert 'id="contract-alerts"' in body
    assert "UM/A/1" in body and "notice due in 30 days" in body
    assert "UM/B/1" not in body
    other = _as(client, company, "other_kam").get("/").content.decode()
    assert "UM/B/1" in other and "ends in 44 days" in other and "UM/A/1" not in other
    finance = _as(client, company, "finance").get("/").content.decode()
    assert 'id="contract-alerts"' in finance and "UM/A/1" in finance and "UM/B/1" in finance


def test_the_calendar_feed_has_notice_dates_and_ends(client, company, contracts):
    from icalendar import Calendar

    from openkam.activities import feeds

    token = feeds.calendar_feed_reset(user=company["owner"])
    response = client.get(f"/activities/calendar/{token}.ics")
    assert response.status_code == 200
    events = {
        str(event["uid"]): (event.decoded("dtstart"), str(event["summary"]))
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    pk = contracts["a"].pk
    assert events[f"openkam-contract-{pk}-notice@openkam"] == (
        date(2027, 1, 1),
        "Notice date: contract UM/A/1 · Alfa Hurt S.A.",
    )
    assert events[f"openkam-contract-{pk}-end@openkam"] == (
        date(2027, 3, 31),
        "Contract UM/A/1 ends · Alfa Hurt S.A.",
    )
    assert not any(f"contract-{contracts['b'].pk}-" in uid for uid in events)
    assert b"DTSTART;VALUE=DATE:20270101" in response.content
