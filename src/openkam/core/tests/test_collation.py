"""Filters list Polish and Russian words in their alphabet's order."""

from __future__ import annotations

from openkam.core.collation import sort_key

VOIVODESHIPS = [  # the official order
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
    "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
    "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie",
]  # fmt: skip


def test_polish_letters_with_diacritics_follow_their_base_letter():
    assert sorted(reversed(VOIVODESHIPS), key=sort_key) == VOIVODESHIPS


def test_russian_yo_follows_ye_and_case_is_aside():
    words = ["жук", "Ёлка", "ель", "Дом", "дом"]
    assert sorted(words, key=sort_key) == ["Дом", "дом", "ель", "Ёлка", "жук"]


def test_the_region_filter_is_in_alphabetical_order(db):
    from openkam.accounts.models import Account
    from openkam.accounts.selectors import filter_choices
    from openkam.users.models import User

    for n, region in enumerate(["zachodniopomorskie", "łódzkie", "lubelskie", "śląskie"]):
        Account.objects.create(name=f"A{n}", region=region, source="t", external_id=str(n))
    head = User.objects.create_user("boss", password="x", role="head")
    assert filter_choices(user=head)["regions"] == [
        "lubelskie", "łódzkie", "śląskie", "zachodniopomorskie",
    ]  # fmt: skip
