"""vCard 3.0 export and import of an account's contacts (with vobject).

Export writes one card per person: name, organisation (account; department), title,
e-mail, phone, and the map role as a note. Import reads every card first and applies
nothing unless all of them are good (each problem names its card number and field);
a card updates the account's person with the same e-mail, or else the same name, and
creates a new person otherwise. Writes go through the contact services (audited).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, Q
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.stakeholders import services
from openkam.stakeholders.models import Contact

MAX_BYTES = 5 * 1024 * 1024
# Cards are read and written in the web request: a file may hold this many at the most.
MAX_CARDS = 2000
# Contact field -> the vCard property it comes from, for error messages.
PROPERTY_OF = {
    "first_name": "N",
    "last_name": "N",
    "position": "TITLE",
    "department": "ORG",
    "email": "EMAIL",
    "phone": "TEL",
}
CARD_FIELDS = tuple(PROPERTY_OF)


# --- export ------------------------------------------------------------------------------


def contact_card(contact: Contact, account_name: str) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    card.add("fn").value = str(contact) or contact.last_name
    org = [account_name] + ([contact.department] if contact.department else [])
    card.add("org").value = org
    if contact.position:
        card.add("title").value = contact.position
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        phone = card.add("tel")
        phone.value = contact.phone
        phone.type_param = "WORK"
    if contact.buying_role:
        card.add("note").value = _("Buying role: %(role)s") % {
            "role": contact.get_buying_role_display()
        }
    card.add("uid").value = f"openkam-contact-{contact.pk}"
    return card


def export_vcards(contacts, *, account_name: str | None = None) -> str:
    """Cards for the given contacts (each names its own account unless one is given)."""
    return "".join(
        contact_card(contact, account_name or contact.account.name).serialize()
        for contact in contacts
    )


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardError:
    card: int  # 1-based position in the file
    field: str  # the vCard property, e.g. EMAIL
    message: str

    def __str__(self) -> str:
        return _("Card %(card)d, %(field)s: %(message)s") % {
            "card": self.card,
            "field": self.field,
            "message": self.message,
        }


class VCardImportError(Exception):
    def __init__(self, errors: list[CardError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: list[Contact] = field(default_factory=list)
    updated: list[Contact] = field(default_factory=list)


def _text(card, name: str) -> str:
    prop = card.contents.get(name)
    if not prop:
        return ""
    value = prop[0].value
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _fields_of(card) -> dict[str, str]:
    """The contact fields a card carries (strings, possibly empty)."""
    first, last = "", ""
    if "n" in card.contents:
        name = card.contents["n"][0].value
        first = " ".join(filter(None, [_join(name.given), _join(name.additional)])).strip()
        last = _join(name.family).strip()
    if not last:
        # Cards without a family name: the last word of the formatted name.
        parts = _text(card, "fn").rsplit(" ", 1)
        first, last = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    org = card.contents.get("org")
    org_parts = org[0].value if org else []
    department = ", ".join(p.strip() for p in org_parts[1:] if p.strip()) if org_parts else ""
    return {
        "first_name": first,
        "last_name": last,
        "position": _text(card, "title"),
        "department": department,
        "email": _text(card, "email").lower(),
        "phone": _text(card, "tel"),
    }


def _join(value) -> str:
    return " ".join(value) if isinstance(value, list) else str(value or "")


def _validate(number: int, fields: dict[str, str]) -> list[CardError]:
    errors = []
    if not fields["last_name"]:
        errors.append(CardError(number, "N", _("the card has no name")))
    if fields["email"]:
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors.append(
                CardError(
                    number,
                    "EMAIL",
                    _("%(value)s is not an e-mail address") % {"value": fields["email"]},
                )
            )
    for name in CARD_FIELDS:
        model_field = Contact._meta.get_field(name)
        limit = model_field.max_length if isinstance(model_field, CharField) else None
        if limit is not None and len(fields[name]) > limit:
            errors.append(
                CardError(
                    number,
                    PROPERTY_OF[name],
                    _("longer than %(limit)d characters") % {"limit": limit},
                )
            )
    return errors


def parse_vcards(data: bytes) -> list[dict[str, str]]:
    """Every card's contact fields, or VCardImportError listing every bad card."""
    if len(data) > MAX_BYTES:
        raise VCardImportError([CardError(0, "FILE", _("the file is larger than 5 MB"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VCardImportError([CardError(0, "FILE", _("the file is not UTF-8 text"))]) from None
    if text.upper().count("BEGIN:VCARD") > MAX_CARDS:
        raise VCardImportError([CardError(0, "FILE", _too_many_cards())])
    cards: list[dict[str, str]] = []
    errors: list[CardError] = []
    try:
        for number, component in enumerate(vobject.readComponents(text), start=1):
            if number > MAX_CARDS:
                errors = [CardError(0, "FILE", _too_many_cards())]
                break
            if component.name != "VCARD":
                errors.append(CardError(number, component.name, _("not a vCard")))
                continue
            fields = _fields_of(component)
            errors.extend(_validate(number, fields))
            cards.append(fields)
    except Exception as error:  # vobject raises several kinds on broken input
        number = len(cards) + 1
        detail = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        errors.append(
            CardError(number, "FILE", _("cannot be read: %(detail)s") % {"detail": detail})
        )
    if not cards and not errors:
        errors.append(CardError(0, "FILE", _("the file holds no vCards")))
    if errors:
        raise VCardImportError(errors)
    return cards


def _too_many_cards() -> str:
    return _("the file holds more than %(count)d cards; split it into smaller files") % {
        "count": MAX_CARDS
    }


def _match(account: Account, fields: dict[str, str]) -> Contact | None:
    people = Contact.objects.filter(account=account)
    if fields["email"]:
        found = people.filter(email__iexact=fields["email"]).order_by("pk").first()
        if found:
            return found
    return (
        people.filter(
            Q(last_name__iexact=fields["last_name"]) & Q(first_name__iexact=fields["first_name"])
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def import_vcards(*, actor, account: Account, data: bytes) -> ImportResult:
    """Create or update the account's people from a .vcf file; all or nothing."""
    cards = parse_vcards(data)
    result = ImportResult()
    errors: list[CardError] = []
    for number, fields in enumerate(cards, start=1):
        existing = _match(account, fields)
        try:
            if existing is None:
                result.created.append(
                    services.contact_create(actor=actor, account=account, via="vcard", **fields)
                )
            else:
                # Empty properties leave what we know in place.
                changes = {k: v for k, v in fields.items() if v}
                result.updated.append(
                    services.contact_update(actor=actor, contact=existing, via="vcard", **changes)
                )
        except ValidationError as error:
            errors.extend(_service_errors(number, error))
    if errors:
        transaction.set_rollback(True)
        raise VCardImportError(errors)
    return result


def _service_errors(number: int, error: ValidationError) -> list[CardError]:
    if not hasattr(error, "error_dict"):
        return [CardError(number, "CARD", message) for message in error.messages]
    return [
        CardError(number, PROPERTY_OF.get(name, name.upper()), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]
