"""The visibility rule and the gate, rule by rule, on the personas of the root conftest.

`owner` owns A (with subsidiary A1), `other` owns B, `junior` is assigned to C under
`senior`; `deputy` stands in for `owner` from two days ago to five days ahead and
`pastdeputy` stood in last month.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import HttpError

from openkam.accounts import access
from openkam.accounts.models import Account, Assignment
from openkam.core.models import AuditEntry
from openkam.ledger.models import Invoice
from openkam.stakeholders.models import AttitudeChange
from openkam.stakeholders.services import contact_create
from openkam.users import permissions
from openkam.users.models import Deputy, Role, User


def seen(user, on=None) -> set[str]:
    rule = access.account_visibility_q(user, on)
    accounts = Account.objects.all() if rule is None else Account.objects.filter(rule)
    return set(accounts.values_list("external_id", flat=True))


def ids(*users) -> set[int]:
    return {user.pk for user in users}


# --- deputies within their dates -----------------------------------------------------------


@pytest.fixture
def future_deputy(company, make_user):
    """`cover` will stand in for `other` (account B) from in ten days, for a week."""
    cover = make_user("cover", Role.KAM)
    today = company["today"]
    Deputy.objects.create(
        principal=company["other_kam"],
        deputy=cover,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=16),
    )
    return cover


def test_a_deputy_sees_nothing_before_the_deputyship_begins(company, future_deputy):
    today = company["today"]
    assert seen(future_deputy) == set()
    assert seen(future_deputy, on=today + timedelta(days=9)) == set()
    assert permissions.acting_for_user_ids(future_deputy) == ids(future_deputy)
    assert not Account.objects.visible_to(future_deputy).exists()


def test_a_deputy_sees_from_the_first_to_the_last_day(company, future_deputy):
    today = company["today"]
    for day in (10, 13, 16):
        assert seen(future_deputy, on=today + timedelta(days=day)) == {"B"}
        assert permissions.acting_for_user_ids(future_deputy, today + timedelta(days=day)) == ids(
            future_deputy, company["other_kam"]
        )
    assert seen(future_deputy, on=today + timedelta(days=17)) == set()


def test_a_past_deputy_saw_the_accounts_in_their_time(company):
    today = company["today"]
    assert seen(company["past_deputy"]) == set()
    assert seen(company["past_deputy"], on=today - timedelta(days=20)) == {"A", "A1"}
    assert seen(company["past_deputy"], on=today - timedelta(days=9)) == set()


def test_being_named_principal_gives_nothing_of_the_deputys(company):
    # `owner` is the one away: the deputy's own accounts (none) are not the owner's to see.
    assert permissions.acting_for_user_ids(company["owner"]) == ids(company["owner"])
    assert permissions.acting_for_user_ids(company["deputy"]) == ids(
        company["deputy"], company["owner"]
    )


def test_a_deputy_for_a_senior_also_works_the_seniors_juniors(company, make_user):
    cover = make_user("seniorcover", Role.KAM)
    today = company["today"]
    Deputy.objects.create(principal=company["senior"], deputy=cover, starts_on=today, ends_on=today)
    assert permissions.acting_for_user_ids(cover) == ids(
        cover, company["senior"], company["junior"]
    )
    assert seen(cover) == {"C"}
    assert seen(cover, on=today + timedelta(days=1)) == set()


def test_a_senior_works_their_juniors_accounts_and_a_junior_not_the_seniors(company):
    assert permissions.acting_for_user_ids(company["senior"]) == ids(
        company["senior"], company["junior"]
    )
    assert permissions.acting_for_user_ids(company["junior"]) == ids(company["junior"])


def test_a_kam_with_juniors_who_is_not_senior_does_not_see_theirs(company, make_user):
    # The juniors' accounts come with the senior grade, not with the `senior` link alone.
    plain = make_user("plain", Role.KAM)
    User.objects.filter(pk=company["junior"].pk).update(senior=plain)
    assert permissions.acting_for_user_ids(plain) == ids(plain)


# --- who sees everything, who nothing ----------------------------------------------------


@pytest.mark.parametrize("persona", ["head", "admin", "finance", "viewer"])
def test_roles_that_see_every_account(company, persona):
    user = company[persona]
    assert permissions.sees_all_accounts(user)
    assert access.account_visibility_q(user) is None
    assert not permissions.works_accounts(user)
    assert permissions.acting_for_user_ids(user) == set()


def test_a_superuser_with_a_kam_role_sees_everything(company):
    owner = company["owner"]
    owner.is_superuser = True
    owner.save()
    assert permissions.sees_all_accounts(owner)
    assert seen(owner) == {"A", "A1", "B", "C"}


@pytest.mark.parametrize("persona", ["owner", "senior", "junior"])
def test_kams_of_every_grade_work_accounts(company, persona):
    assert permissions.works_accounts(company[persona])
    assert not permissions.sees_all_accounts(company[persona])


def test_an_inactive_user_has_no_rights_at_all(company):
    for persona in ("owner", "head", "admin"):
        user = company[persona]
        user.is_active = False
        user.save()
        assert not permissions.is_active_user(user)
        assert not permissions.sees_all_accounts(user)
        assert not permissions.works_accounts(user)
        assert not permissions.can_edit_account_work(user)
        assert not permissions.can_manage_portfolios(user)
        assert not permissions.can_import(user)
        assert permissions.acting_for_user_ids(user) == set()
        assert seen(user) == set()


@pytest.mark.parametrize("nobody", [None, AnonymousUser()])
def test_nobody_and_anonymous_have_no_rights(company, nobody):
    assert not permissions.is_active_user(nobody)
    assert not permissions.sees_all_accounts(nobody)
    assert not permissions.works_accounts(nobody)
    assert not permissions.can_edit_account_work(nobody)
    assert not permissions.can_manage_portfolios(nobody)
    assert not permissions.can_import(nobody)
    assert not permissions.can_manage_deputies_for(nobody, company["owner"])
    assert permissions.acting_for_user_ids(nobody) == set()
    assert seen(nobody) == set()
    assert list(access.visible(Account, nobody)) == []


def test_a_user_without_a_known_role_sees_nothing(company, make_user):
    stranger = make_user("stranger", "")
    assert permissions.is_active_user(stranger)
    assert seen(stranger) == set()
    assert not Account.objects.visible_to(stranger).exists()


def test_the_day_is_the_local_day(company):
    from django.utils import timezone

    assert permissions.today() == timezone.localdate()


def test_an_assignment_starting_later_shows_its_account_only_from_then(company):
    from openkam.accounts import services

    today = company["today"]
    services.assignment_start(
        actor=company["head"],
        account=company["c"],
        user=company["owner"],
        starts_on=today + timedelta(days=3),
    )
    assert seen(company["owner"]) == {"A", "A1"}
    assert seen(company["owner"], on=today + timedelta(days=3)) == {"A", "A1", "C"}


# --- what each role may do -------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,edits,manages",
    [
        ("admin", True, True),
        ("head", True, True),
        ("senior", True, False),
        ("owner", True, False),
        ("junior", True, False),
        ("finance", False, False),
        ("viewer", False, False),
    ],
)
def test_role_rights(company, persona, edits, manages):
    user = company[persona]
    assert permissions.can_edit_account_work(user) is edits
    assert permissions.can_manage_portfolios(user) is manages
    assert permissions.can_import(user) is manages


def test_a_superuser_may_do_everything_whatever_the_role(company):
    viewer = company["viewer"]
    viewer.is_superuser = True
    viewer.save()
    assert permissions.can_edit_account_work(viewer)
    assert permissions.can_manage_portfolios(viewer)
    assert permissions.can_import(viewer)


def test_refusals_for_non_managers(company):
    with pytest.raises(PermissionDenied) as caught:
        permissions.require_portfolio_manager(company["owner"])
    assert str(caught.value) == "Only a head of key accounts or an administrator may do this."
    with pytest.raises(Http404):
        permissions.portfolio_manager_or_404(company["owner"])
    permissions.require_portfolio_manager(company["head"])
    permissions.portfolio_manager_or_404(company["admin"])


def test_who_may_name_whose_deputy(company):
    owner, other = company["owner"], company["other_kam"]
    assert permissions.can_manage_deputies_for(owner, owner)
    assert not permissions.can_manage_deputies_for(owner, other)
    assert permissions.can_manage_deputies_for(company["head"], other)
    assert permissions.can_manage_deputies_for(company["admin"], owner)
    # A viewer is not a KAM: no deputy to name, even for themselves.
    assert not permissions.can_manage_deputies_for(company["viewer"], company["viewer"])
    owner.is_active = False
    owner.save()
    assert not permissions.can_manage_deputies_for(owner, owner)


# --- the gate ----------------------------------------------------------------------------


@pytest.fixture
def records(company):
    """An invoice and a contact with an attitude change on A and on B."""
    from datetime import date

    made: dict[str, object] = {}
    for key in ("a", "b"):
        account = company[key]
        made[f"invoice_{key}"] = Invoice.objects.create(
            number=f"FV/{key}",
            external_id=f"FV/{key}",
            account=account,
            issued_on=date(2026, 1, 5),
        )
        contact = contact_create(actor=None, account=account, last_name=f"Contact {key}")
        made[f"change_{key}"] = AttitudeChange.objects.create(
            contact=contact, attitude="supporter", changed_by=company["head"]
        )
    return made


def test_records_follow_their_account_also_through_a_longer_path(company, records):
    owner, head = company["owner"], company["head"]
    assert list(AttitudeChange.objects.visible_to(owner)) == [records["change_a"]]
    assert set(AttitudeChange.objects.visible_to(head)) == {
        records["change_a"],
        records["change_b"],
    }
    assert list(access.visible(Invoice, owner)) == [records["invoice_a"]]
    narrowed = Invoice.objects.filter(number__startswith="FV/")
    assert list(access.visible(narrowed, company["other_kam"])) == [records["invoice_b"]]


def test_a_model_without_a_visibility_rule_is_refused(company):
    with pytest.raises(TypeError) as caught:
        access.visible(User, company["head"])
    assert str(caught.value) == "User has no visibility rule"


def test_one_record_or_404(company):
    a = company["a"]
    assert access.one_or_404(Account, pk=a.pk) == a
    assert access.one_or_404(Account.objects.filter(external_id="A"), pk=a.pk) == a
    for pk in (10**6, "abc", 2**70, None):
        with pytest.raises(Http404):
            access.one_or_404(Account, pk=pk)
    with pytest.raises(Http404):
        access.one_or_404(Account.objects.filter(external_id="B"), pk=a.pk)


def test_a_hidden_record_is_a_404_and_a_visible_one_is_returned(company, records):
    owner = company["owner"]
    assert access.visible_or_404(Invoice, owner, pk=records["invoice_a"].pk) == records["invoice_a"]
    with pytest.raises(Http404):
        access.visible_or_404(Invoice, owner, pk=records["invoice_b"].pk)


def test_pages_that_change_a_record(company, records):
    a_invoice, b_invoice = records["invoice_a"], records["invoice_b"]
    assert access.editable_or_404(Invoice, company["owner"], pk=a_invoice.pk) == a_invoice
    assert access.editable_or_404(Invoice, company["head"], pk=b_invoice.pk) == b_invoice
    with pytest.raises(Http404):
        access.editable_or_404(Invoice, company["owner"], pk=b_invoice.pk)
    with pytest.raises(Http404):  # sees it, but reads only
        access.editable_or_404(Invoice, company["viewer"], pk=a_invoice.pk)
    access.require_edit_role_or_404(company["owner"])
    with pytest.raises(Http404):
        access.require_edit_role_or_404(company["finance"])


def test_api_writes_tell_read_only_from_hidden(company, records):
    a_invoice, b_invoice = records["invoice_a"], records["invoice_b"]
    assert access.api_editable_or_404(Invoice, company["owner"], pk=a_invoice.pk) == a_invoice
    with pytest.raises(Http404):
        access.api_editable_or_404(Invoice, company["owner"], pk=b_invoice.pk)
    with pytest.raises(HttpError) as caught:
        access.api_editable_or_404(Invoice, company["finance"], pk=a_invoice.pk)
    assert caught.value.status_code == 403
    assert str(caught.value) == "Your role may read account work but not change it."
    access.require_api_edit_role(company["owner"])
    with pytest.raises(HttpError) as caught:
        access.require_api_edit_role(company["viewer"])
    assert caught.value.status_code == 403


def test_the_account_of_a_record(company, records):
    a = company["a"]
    assert access.account_of(a) == a
    assert access.account_of(records["invoice_a"]) == a
    assert access.account_of(records["change_a"]) == a  # contact__account
    # A record whose queryset names no path (a plain manager) reaches it through `account`.
    entry = AuditEntry.objects.filter(account=a).earliest("pk")
    assert not hasattr(AuditEntry.objects.all(), "account_path")
    assert access.account_of(entry) == a
    assignment = Assignment.objects.get(account=a)
    assert access.account_of(assignment) == a
    assert access.may_edit(company["owner"], assignment)
    assert not access.may_edit(company["other_kam"], assignment)


def test_who_may_change_a_records_work(company, records):
    change_a, change_b = records["change_a"], records["change_b"]
    assert access.may_edit(company["owner"], change_a)
    assert not access.may_edit(company["owner"], change_b)
    assert access.may_edit(company["head"], change_b)
    assert access.may_edit(company["deputy"], change_a)
    assert not access.may_edit(company["viewer"], change_a)
    assert not access.may_edit(None, change_a)


def test_services_refuse_an_actor_who_may_not_change_the_account(company, records):
    access.require_edit(None, records["invoice_b"])  # the system itself
    access.require_edit(company["owner"], records["invoice_a"])
    with pytest.raises(PermissionDenied) as caught:
        access.require_edit(company["owner"], records["invoice_b"])
    assert str(caught.value) == "You may not change the work on this account."
    with pytest.raises(PermissionDenied) as caught:
        access.require_edit(company["finance"], company["a"], "Finance reads only.")
    assert str(caught.value) == "Finance reads only."


def test_who_may_own_account_work(company):
    assert permissions.may_own_account_work(company["owner"])
    assert permissions.may_own_account_work(company["head"])
    for persona in ("finance", "viewer", "admin"):
        assert not permissions.may_own_account_work(company[persona]), persona
    company["other_kam"].is_active = False
    assert not permissions.may_own_account_work(company["other_kam"])  # left the company
    assert not permissions.may_own_account_work(None)
