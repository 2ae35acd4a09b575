"""Tax identifiers: Polish NIP and Russian INN carry check digits; others are free text.

A Russian organisation also has a KPP (registration reason code): nine characters, digits
but for the fifth and sixth, which since 2013 may also be capital Latin letters.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip
from stdnum.ru import inn

VALIDATORS = {"PL": nip, "RU": inn}
KPP_RE = re.compile(r"\d{4}[\dA-Z]{2}\d{3}\Z")
_SEPARATORS = re.compile(r"[\s\-.]+")


def normalize_tax_id(tax_id: str, country: str) -> str:
    """Validate the check digits where the country has them; return the compact form.

    Raises django ValidationError with a message that names the problem.
    """
    value = (tax_id or "").strip()
    if not value:
        return ""
    module = VALIDATORS.get((country or "").upper())
    if module is None:
        return value
    compact = module.compact(value)
    if country.upper() == "PL" and compact.upper().startswith("PL"):
        compact = compact[2:]
    try:
        return module.validate(compact)
    except StdnumError:
        label = "NIP" if module is nip else "INN"
        raise ValidationError(
            _("%(value)s is not a valid %(label)s (check digit or length)")
            % {"value": value, "label": label},
            code="invalid_tax_id",
        ) from None


def compact_tax_id(tax_id: str) -> str:
    """A tax id as stored, for looking one up: no spaces, dashes or dots, upper case, a
    Polish NIP without its "PL" prefix. Check digits are not looked at."""
    compact = _SEPARATORS.sub("", tax_id or "").upper()
    if compact.startswith("PL") and compact[2:].isdigit():
        compact = compact[2:]
    return compact


def validate_kpp(value: str) -> None:
    """A Russian KPP: nine characters (empty is allowed: the field is optional)."""
    if value and not KPP_RE.match(value):
        raise ValidationError(
            _(
                "%(value)s is not a valid KPP (nine digits; the fifth and sixth may be "
                "capital Latin letters)"
            )
            % {"value": value},
            code="invalid_kpp",
        )
