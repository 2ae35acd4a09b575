"""Whose a new opportunity is when none is named: the account's owner on the day; of two
owners at once (one assigned back-dated), the one who took the account first, and of two
who took it the same day, the one assigned first."""

from __future__ import annotations

from datetime import timedelta

from openkam.accounts.models import Assignment, AssignmentRole
from openkam.opportunities.services import default_owner


def test_of_two_owners_at_once_the_one_who_took_the_account_first(company):
    a, today = company["a"], company["today"]
    # Assigned after the owner, from a day before theirs (nothing to hand over then).
    Assignment.objects.create(
        account=a, user=company["senior"], role=AssignmentRole.OWNER,
        starts_on=today - timedelta(days=500),
    )  # fmt: skip
    assert default_owner(a, today) == company["senior"]
    assert default_owner(a, today - timedelta(days=450)) == company["senior"]  # alone then


def test_of_two_owners_from_the_same_day_the_one_assigned_first(company):
    c, today = company["c"], company["today"]
    # Stored in the reverse of their ids.
    for pk, user in ((900002, company["senior"]), (900001, company["deputy"])):
        Assignment.objects.create(
            pk=pk, account=c, user=user, role=AssignmentRole.OWNER, starts_on=today
        )
    assert default_owner(c, today) == company["deputy"]


def test_an_account_with_no_owner_that_day_gives_none(company):
    assert default_owner(company["c"], company["today"]) is None  # C has a junior only


def test_the_owner_is_read_with_their_user_in_one_statement(company, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert default_owner(company["a"], company["today"]).username == "owner"
