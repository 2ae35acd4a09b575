"""Shared test fixtures: the personas of the permission matrix and a small company.

Personas (as in healthchecks' Alice/Bob/Charlie): `owner` owns account A, `other_kam`
owns account B, `junior` is assigned to C under senior `senior`, `deputy` stands in
for `owner` this week, plus `head`, `finance`, `viewer`.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

os.environ.setdefault("KAM_SECRET_KEY", "tests-only-secret-key")


def pytest_configure(config):
    # The .mo catalogues are build output, not in git: compile them before any page renders.
    from openkam.catalogues import ensure_compiled

    ensure_compiled()


# Rows the migrations seed (pipeline stages, the dunning ladder, the default approval
# rule). A transactional test (live_server, transaction=True) flushes the database when it
# ends; on one process pytest-django runs those tests last, but pytest-xdist deals whole
# modules to its workers, so tests that come after a flush must find the rows again.
SEEDED_BY_MIGRATIONS = (
    "openkam.opportunities.migrations.0002_default_stages",
    "openkam.receivables.migrations.0002_default_dunning_levels",
    "openkam.proposals.migrations.0002_default_rule",
)


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    in_transaction_mode = bool(marker and marker.kwargs.get("transaction"))
    return in_transaction_mode or {"transactional_db", "live_server"} & set(item.fixturenames)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the flush happens in here, when the test's fixtures end
    # After a worker's last test the test database is gone too (nextitem is None): the
    # connection points at the real database again, which must not be touched.
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_migration_rows()
    return result


def reseed_migration_rows() -> None:
    import importlib

    from django.apps import apps

    for module in SEEDED_BY_MIGRATIONS:
        importlib.import_module(module).create(apps, None)  # each is idempotent


def empty_database() -> None:
    """What a transactional test leaves: the tables emptied (flush re-creates the content
    types and permissions) and the rows the migrations seed."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    reseed_migration_rows()


# Every test runs on this clock (a Wednesday morning in Warsaw), so a test that depends on
# "today" gives the same answer at any hour and on any day CI runs it; time still moves
# on from there. One clock for the whole session, so data that module fixtures build and
# the tests that read it agree on the day. (Browser tests: see settings_test.py.)
FIXED_NOW = "2026-12-02 10:30:00+01:00"


@pytest.fixture(autouse=True, scope="session")
def _fixed_clock():
    import time_machine

    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    """Each test starts in English: a request in Polish or Russian leaves its language
    active in the thread (LocaleMiddleware does not reset it), which would otherwise
    translate the messages later tests compare."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.2 s per user; tests create dozens.
    settings.PASSWORD_HASHERS = FAST_HASHERS


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def create_user(username: str, role: str, **fields):
    from openkam.users.models import User

    return User.objects.create_user(
        username=username,
        password="pw-" + username,
        role=role,
        first_name=username.capitalize(),
        **fields,
    )


@pytest.fixture
def make_user(db):
    return create_user


@pytest.fixture
def company(db):
    """Accounts A (with subsidiary A1), B, C and users in every role."""
    return build_company()


@pytest.fixture(scope="module")
def company_kept(django_db_setup, django_db_blocker):
    """The company committed once for a whole module (for modules whose every test reads
    the same large world): each test still runs in a transaction rolled back after it
    (request `db`), so nothing one test writes reaches the next. The database is emptied
    when the module ends."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        company = build_company()
    yield company
    with django_db_blocker.unblock():
        empty_database()


def build_company() -> dict:
    """The company of the `company` fixture, for a fixture that builds it once per module."""
    from openkam.accounts import services
    from openkam.accounts.models import AssignmentRole
    from openkam.users.models import Deputy, Role

    today = timezone.localdate()
    head = create_user("head", Role.HEAD)
    admin = create_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    senior = create_user("senior", Role.SENIOR_KAM)
    owner = create_user("owner", Role.KAM)
    other_kam = create_user("other", Role.KAM)
    junior = create_user("junior", Role.JUNIOR_KAM, senior=senior)
    deputy = create_user("deputy", Role.KAM)
    past_deputy = create_user("pastdeputy", Role.KAM)
    finance = create_user("finance", Role.FINANCE)
    viewer = create_user("viewer", Role.VIEWER)

    a = services.account_create(
        actor=head, name="Alfa Hurt S.A.", tax_id="5260250995", external_id="A"
    )
    a1 = services.account_create(
        actor=head, name="Alfa Logistyka Sp. z o.o.", parent=a, external_id="A1"
    )
    b = services.account_create(actor=head, name="Beta Trade", external_id="B")
    c = services.account_create(actor=head, name="Gamma Retail", external_id="C")
    start = today - timedelta(days=400)
    services.assignment_start(actor=head, account=a, user=owner, starts_on=start)
    services.assignment_start(actor=head, account=b, user=other_kam, starts_on=start)
    services.assignment_start(
        actor=head, account=c, user=junior, role=AssignmentRole.JUNIOR, starts_on=start
    )
    Deputy.objects.create(
        principal=owner,
        deputy=deputy,
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=5),
    )
    Deputy.objects.create(
        principal=owner,
        deputy=past_deputy,
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=10),
    )
    return {
        "today": today,
        "a": a,
        "a1": a1,
        "b": b,
        "c": c,
        "head": head,
        "admin": admin,
        "senior": senior,
        "owner": owner,
        "other_kam": other_kam,
        "junior": junior,
        "deputy": deputy,
        "past_deputy": past_deputy,
        "finance": finance,
        "viewer": viewer,
    }
