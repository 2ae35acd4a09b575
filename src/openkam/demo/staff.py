"""The demo company's own people: a head of key accounts, eight KAMs of three grades
(two of them Russian-speaking), finance, a viewer and an administrator."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from openkam.users.models import Role, Team, User

TEAM_NAME = "Key Accounts Poland"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    language: str = "pl"
    senior: str = ""  # a junior's senior KAM


PEOPLE: tuple[Person, ...] = (
    Person("admin", "Adam", "Nowicki", Role.ADMIN, "en"),
    Person("head", "Anna", "Kowalska", Role.HEAD),
    Person("piotr", "Piotr", "Wiśniewski", Role.SENIOR_KAM),
    Person("olga", "Olga", "Smirnowa", Role.SENIOR_KAM, "ru"),
    Person("marek", "Marek", "Zieliński", Role.KAM),
    Person("ewa", "Ewa", "Lewandowska", Role.KAM),
    Person("tomasz", "Tomasz", "Wójcik", Role.KAM),
    Person("dmitrij", "Dmitrij", "Iwanow", Role.KAM, "ru"),
    Person("kasia", "Katarzyna", "Mazur", Role.JUNIOR_KAM, senior="piotr"),
    Person("jakub", "Jakub", "Krawczyk", Role.JUNIOR_KAM, senior="olga"),
    Person("finance", "Barbara", "Kaczmarek", Role.FINANCE),
    Person("viewer", "Zofia", "Pawlak", Role.VIEWER),
)
KAM_ROLE_ORDER = (Role.SENIOR_KAM, Role.KAM, Role.JUNIOR_KAM)


@dataclass(frozen=True)
class Staff:
    """User ids by username, and the KAMs in a fixed order (seniors, KAMs, juniors)."""

    ids: dict[str, int]

    def id(self, username: str) -> int:
        return self.ids[username]

    @property
    def head(self) -> int:
        return self.ids["head"]

    @property
    def kams(self) -> list[Person]:
        return [p for role in KAM_ROLE_ORDER for p in PEOPLE if p.role == role]


def fake_staff() -> Staff:
    """Ids without a database: for generating rows in tests of determinism."""
    return Staff(ids={p.username: i + 1 for i, p in enumerate(PEOPLE)})


def existing_usernames() -> list[str]:
    return list(
        User.objects.filter(username__in=[p.username for p in PEOPLE]).values_list(
            "username", flat=True
        )
    )


@transaction.atomic
def create_staff(password: str) -> Staff:
    """Create the users and their team; one password hash shared by all (hashing is slow)."""
    hashed = make_password(password)
    users: dict[str, User] = {}
    for person in PEOPLE:
        users[person.username] = User.objects.create(
            username=person.username,
            password=hashed,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.openkam.example",
            role=person.role,
            language=person.language,
            is_staff=person.role == Role.ADMIN,
            is_superuser=person.role == Role.ADMIN,
        )
    team = Team.objects.create(name=TEAM_NAME, head=users["head"])
    for person in PEOPLE:
        user = users[person.username]
        user.team = team if person.role not in {Role.ADMIN} else None
        user.senior = users[person.senior] if person.senior else None
        user.save(update_fields=["team", "senior"])
    return Staff(ids={name: user.pk for name, user in users.items()})
