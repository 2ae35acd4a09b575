"""NIP (Poland) and INN (Russia) check digits; other countries are free text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from openkam.accounts.validators import normalize_tax_id


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("5260250995", "5260250995"),
        ("526-025-09-95", "5260250995"),
        ("PL 526 025 09 95", "5260250995"),
    ],
)
def test_valid_polish_nip_is_normalised(raw, expected):
    assert normalize_tax_id(raw, "PL") == expected


@pytest.mark.parametrize("raw", ["5260250994", "526025099", "52602509955", "abcdefghij"])
def test_invalid_polish_nip_is_rejected(raw):
    with pytest.raises(ValidationError, match="not a valid NIP"):
        normalize_tax_id(raw, "PL")


@pytest.mark.parametrize("raw", ["7707083893", "500100732259"])
def test_valid_russian_inn_passes(raw):
    assert normalize_tax_id(raw, "RU") == raw


@pytest.mark.parametrize("raw", ["7707083894", "500100732250", "123"])
def test_invalid_russian_inn_is_rejected(raw):
    with pytest.raises(ValidationError, match="not a valid INN"):
        normalize_tax_id(raw, "RU")


def test_other_countries_keep_free_text():
    assert normalize_tax_id(" DE123456789 ", "DE") == "DE123456789"


def test_empty_tax_id_is_allowed():
    assert normalize_tax_id("", "PL") == ""
