"""Search folds the case of Polish and Russian letters on both databases."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account


@pytest.fixture
def towns(db):
    for name, city in [
        ("Hurtownia Łódź", "Łódź"),
        ("ООО Ромашка", "Москва"),
        ("Zakład Ąę", "Żory"),
    ]:
        Account.objects.create(name=name, city=city, source="t", external_id=name)


@pytest.mark.parametrize(
    "term,expected",
    [
        ("łódź", ["Hurtownia Łódź"]),
        ("ŁÓDŹ", ["Hurtownia Łódź"]),
        ("ромашка", ["ООО Ромашка"]),
        ("РОМАШКА", ["ООО Ромашка"]),
        ("ąę", ["Zakład Ąę"]),
        ("hurtownia", ["Hurtownia Łódź"]),
        ("lodz", []),  # folding case is not dropping accents
    ],
)
def test_icontains_folds_the_case_of_every_alphabet(towns, term, expected):
    assert list(Account.objects.filter(name__icontains=term).values_list("name", flat=True)) == (
        expected
    )


def test_like_wildcards_in_the_term_are_still_literal(towns):
    Account.objects.create(name="Rabat 50%_sklep", source="t", external_id="pct")
    assert Account.objects.filter(name__icontains="50%_").count() == 1
    assert Account.objects.filter(name__icontains="%").count() == 1


def test_the_account_list_finds_lowercase_polish_and_russian(towns, client, django_user_model):
    head = django_user_model.objects.create_user("boss", password="x", role="head")
    client.force_login(head)
    for term, name in [("łódź", "Hurtownia Łódź"), ("ромашка", "ООО Ромашка")]:
        page = client.get("/accounts/", {"q": term}).content.decode()
        assert name in page
