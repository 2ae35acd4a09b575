"""People at the customers: 2-6 for a key account, 1-2 for the others."""

from __future__ import annotations

import numpy as np

from openkam.demo import names
from openkam.demo.customers import Customers

RUSSIAN_LATIN = {
    "Алексей": "aleksei",
    "Ольга": "olga",
    "Дмитрий": "dmitrii",
    "Наталья": "natalia",
    "Сергей": "sergei",
    "Ирина": "irina",
    "Иванов": "ivanov",
    "Смирнова": "smirnova",
    "Кузнецов": "kuznetsov",
    "Попова": "popova",
    "Соколов": "sokolov",
    "Лебедева": "lebedeva",
}
KEY_POSITIONS = (2, 3, 8, 6, 1, 9, 5, 12, 13)  # indexes into names.POSITIONS, by importance
OTHER_POSITIONS = (3, 4, 8, 6, 0, 12)


def generate_contacts(
    rng: np.random.Generator, customers: Customers, tiers: list[str]
) -> list[tuple]:
    """Rows (account index, first, last, e-mail, phone, position, department)."""
    rows: list[tuple] = []
    for account in range(customers.count):
        is_key = tiers[account] != "standard"
        count = int(rng.integers(2, 7)) if is_key else int(rng.integers(1, 3))
        pool = KEY_POSITIONS if is_key else OTHER_POSITIONS
        positions = [pool[0]] + list(rng.choice(pool[1:], size=count - 1, replace=False))
        russian = customers.countries[account] == "RU"
        domain = _domain(customers, account)
        for position in positions:
            rows.append((account, *_person(rng, russian, domain), *names.POSITIONS[position]))
    return rows


def _domain(customers: Customers, account: int) -> str:
    if customers.countries[account] == "RU":
        return f"{customers.external_ids[account].lower()}.ru"
    name = customers.names[account].removesuffix(customers.legal_forms[account])
    words = name.replace('"', " ").split()
    stem = names.ascii_slug("".join(words[:3]))[:24] or "firma"
    return f"{stem}.pl"


def _person(rng, russian: bool, domain: str) -> tuple[str, str, str, str]:
    if russian:
        first, last = names.RUSSIAN_CONTACTS[int(rng.integers(len(names.RUSSIAN_CONTACTS)))]
        email = f"{RUSSIAN_LATIN[first]}.{RUSSIAN_LATIN[last]}@{domain}"
        phone = f"+7 9{rng.integers(10, 99)} {rng.integers(100, 999)}-{rng.integers(10, 99)}-{rng.integers(10, 99)}"
        return first, last, email, phone
    female = rng.random() < 0.5
    first = (
        names.FEMALE_FIRST[int(rng.integers(len(names.FEMALE_FIRST)))]
        if female
        else (names.MALE_FIRST[int(rng.integers(len(names.MALE_FIRST)))])
    )
    surname = names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]
    last = names.feminine(surname) if female else surname
    email = f"{names.ascii_slug(first)[0]}.{names.ascii_slug(last)}@{domain}"
    phone = f"+48 {rng.integers(500, 900)} {rng.integers(100, 999)} {rng.integers(100, 999)}"
    return first, last, email, phone
