"""vCard 3.0: export, import, the round trip, and bad input reported card by card."""

from __future__ import annotations

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile

from openkam.accounts import services as account_services
from openkam.core.models import AuditEntry
from openkam.stakeholders.models import BuyingRole, Contact
from openkam.stakeholders.tests.factories import person
from openkam.stakeholders.vcard import VCardImportError, export_vcards, import_vcards

FIELDS = ("first_name", "last_name", "position", "department", "email", "phone")


@pytest.fixture
def crew(company):
    a = company["a"]
    person(a, "Wiśniewska", first_name="Zofia Anna", position="Dyrektor zakupów",
           department="Zakupy", email="z.wisniewska@alfa.pl", phone="+48 600 100 200",
           buying_role=BuyingRole.ECONOMIC_BUYER)  # fmt: skip
    person(a, "Kowalski", first_name="Jan", email="jan@alfa.pl")
    person(a, "O'Brien; Smith", first_name="Łukasz, Jr.", position="Head of QA, Plant 2")
    person(a, "Archived", is_archived=True)
    return company


def _people(account) -> list[tuple]:
    rows = Contact.objects.filter(account=account, is_archived=False).order_by("last_name")
    return list(rows.values_list(*FIELDS))


def test_export_is_vcard_3_readable_by_vobject(crew, client):
    client.force_login(crew["owner"])
    response = client.get(f"/accounts/{crew['a'].pk}/stakeholders/contacts.vcf")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    assert 'filename="alfa-hurt-sa.vcf"' in response["Content-Disposition"]
    cards = list(vobject.readComponents(response.content.decode()))
    assert [c.version.value for c in cards] == ["3.0"] * 3  # the archived person is left out
    buyer = next(c for c in cards if c.n.value.family == "Wiśniewska")
    assert buyer.email.value == "z.wisniewska@alfa.pl"
    assert buyer.org.value == ["Alfa Hurt S.A.", "Zakupy"]
    assert buyer.title.value == "Dyrektor zakupów"
    assert buyer.tel.value == "+48 600 100 200"
    assert "economic buyer" in buyer.note.value


def test_round_trip_into_a_fresh_account_gives_the_same_people(crew):
    text = export_vcards(
        Contact.objects.filter(account=crew["a"], is_archived=False), account_name="Alfa"
    )
    fresh = account_services.account_create(actor=crew["head"], name="Fresh")
    result = import_vcards(actor=crew["head"], account=fresh, data=text.encode())
    assert (len(result.created), len(result.updated)) == (3, 0)
    assert _people(fresh) == _people(crew["a"])
    assert AuditEntry.objects.filter(account=fresh, via="vcard", action="create").count() == 3
    # Importing again changes nobody and creates nobody.
    again = import_vcards(actor=crew["head"], account=fresh, data=text.encode())
    assert (len(again.created), len(again.updated)) == (0, 3)
    assert _people(fresh) == _people(crew["a"])


def test_import_updates_by_email_then_by_name(crew):
    a = crew["a"]
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nowa-Nazwa;Zofia;;;\r\nFN:Zofia Nowa-Nazwa\r\n"
        "EMAIL:Z.Wisniewska@alfa.pl\r\nTITLE:Prezes\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalski;Jan;;;\r\nFN:Jan Kowalski\r\n"
        "TEL:+48 111\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ewa Nowak\r\nEND:VCARD\r\n"
    )
    result = import_vcards(actor=crew["owner"], account=a, data=data.encode())
    assert [str(c) for c in result.updated] == ["Zofia Nowa-Nazwa", "Jan Kowalski"]
    assert [(c.first_name, c.last_name) for c in result.created] == [("Ewa", "Nowak")]
    jan = Contact.objects.get(account=a, last_name="Kowalski")
    assert (jan.phone, jan.email) == ("+48 111", "jan@alfa.pl")  # empty fields keep values
    assert Contact.objects.get(account=a, email="z.wisniewska@alfa.pl").position == "Prezes"


BAD_CARDS = [
    # (file, expected errors as (card, field))
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\n"
     "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Mail\r\nEMAIL:not-an-email\r\nEND:VCARD\r\n",
     [(2, "EMAIL")]),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:a@b.pl\r\nEND:VCARD\r\n", [(1, "N")]),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\n"
     "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\nTITLE:" + "x" * 151 + "\r\nEND:VCARD\r\n"
     "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Phone\r\nTEL:" + "1" * 51 + "\r\nEND:VCARD\r\n",
     [(2, "TITLE"), (3, "TEL")]),
    ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN;broken\r\n",
     [(2, "FILE")]),
    ("", [(0, "FILE")]),
]  # fmt: skip


@pytest.mark.parametrize("data,expected", BAD_CARDS)
def test_bad_cards_are_reported_and_nothing_is_imported(crew, data, expected):
    before = _people(crew["a"])
    with pytest.raises(VCardImportError) as caught:
        import_vcards(actor=crew["owner"], account=crew["a"], data=data.encode())
    assert [(e.card, e.field) for e in caught.value.errors] == expected
    assert _people(crew["a"]) == before


def test_not_utf8_is_refused(crew):
    with pytest.raises(VCardImportError) as caught:
        import_vcards(actor=crew["owner"], account=crew["a"], data="FN:Łoś".encode("cp1250"))
    assert str(caught.value.errors[0]) == "Card 0, FILE: the file is not UTF-8 text"


def test_import_page_shows_card_errors_and_imports_good_files(crew, client):
    client.force_login(crew["owner"])
    url = f"/accounts/{crew['a'].pk}/stakeholders/import/"
    bad = SimpleUploadedFile("x.vcf", BAD_CARDS[0][0].encode(), content_type="text/vcard")
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    assert "Card 2, EMAIL: not-an-email is not an e-mail address" in response.content.decode()
    assert not Contact.objects.filter(last_name="Ok").exists()
    good = SimpleUploadedFile(
        "x.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nowak;Ewa;;;\r\nFN:Ewa Nowak\r\nEND:VCARD\r\n",
    )
    response = client.post(url, {"file": good}, follow=True)
    assert "1 person added, 0 people updated." in response.content.decode()
    assert Contact.objects.filter(account=crew["a"], last_name="Nowak").exists()


def test_single_contact_vcard(crew, client):
    jan = Contact.objects.get(last_name="Kowalski")
    client.force_login(crew["owner"])
    response = client.get(f"/stakeholders/{jan.pk}/contact.vcf")
    (card,) = vobject.readComponents(response.content.decode())
    assert (card.fn.value, card.email.value) == ("Jan Kowalski", "jan@alfa.pl")
