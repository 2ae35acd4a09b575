"""vCard files are read in the web request: a file with more cards than it may hold is
refused whole, with a message that says how many it may."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from openkam.stakeholders import vcard
from openkam.stakeholders.models import Contact


def _cards(count: int) -> bytes:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nowak{0};Jan\r\nFN:Jan Nowak{0}\r\nEND:VCARD\r\n"
    return "".join(card.format(i) for i in range(count)).encode()


def test_a_file_with_too_many_cards_is_refused_and_nothing_is_imported(client, company):
    client.force_login(company["owner"])
    upload = SimpleUploadedFile("people.vcf", _cards(vcard.MAX_CARDS + 1))
    response = client.post(f"/accounts/{company['a'].pk}/stakeholders/import/", {"file": upload})
    assert response.status_code == 422
    assert "more than 2000 cards" in response.content.decode()
    assert not Contact.objects.filter(last_name__startswith="Nowak").exists()


def test_a_file_with_as_many_cards_as_allowed_is_read():
    assert len(vcard.parse_vcards(_cards(3))) == 3
