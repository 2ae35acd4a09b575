"""Tax identifiers: Polish NIP and Russian INN carry check digits; others are free text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip
from stdnum.ru import inn

VALIDATORS = {"PL": nip, "RU": inn}


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
