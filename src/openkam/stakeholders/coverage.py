"""Coverage gaps on the stakeholder maps of key accounts.

Rules, per account (each person is named at most once, by the most serious gap):

1. `key_person_left`: a decision maker, economic buyer or champion left the customer
   and nobody current holds that role yet (mapping a successor resolves it);
2. `no_economic_buyer`: nobody current is mapped as the economic buyer;
3. `economic_buyer_no_relationship`: there is an economic buyer but we have no
   relationship with them (strength 1, or never contacted);
4. `decision_maker_silent` / `economic_buyer_silent`: no customer contact with them for
   N days or more, or never;
5. `champion_quiet`: a champion (by attitude or by role) not contacted for N days or more.

N is `settings.OPENKAM_COVERAGE_DAYS` (default 60). "Contact" is a done activity of a
CONTACT_KIND with the person taking part, held at an account the reader may see
(selectors.last_contact_days).

The whole check is three queries however many accounts: the accounts, their relevant
people, and the people's last-contact dates in one grouped aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openkam.accounts.models import Account, Tier
from openkam.stakeholders.models import Attitude, BuyingRole, Contact
from openkam.stakeholders.selectors import last_contact_days
from openkam.users import permissions

if TYPE_CHECKING:
    from openkam.stakeholders.selectors import ContactWithLastContact

DEFAULT_QUIET_DAYS = 60
KEY_TIERS = (Tier.KEY, Tier.STRATEGIC)
DECIDERS = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)
ROLES_TO_SUCCEED = (*DECIDERS, BuyingRole.CHAMPION)


class Gap:
    KEY_PERSON_LEFT = "key_person_left"
    NO_ECONOMIC_BUYER = "no_economic_buyer"
    ECONOMIC_BUYER_NO_RELATIONSHIP = "economic_buyer_no_relationship"
    DECISION_MAKER_SILENT = "decision_maker_silent"
    ECONOMIC_BUYER_SILENT = "economic_buyer_silent"
    CHAMPION_QUIET = "champion_quiet"


# Most serious first: the order of the list and the tie-break for one person.
SEVERITY = [
    Gap.KEY_PERSON_LEFT,
    Gap.NO_ECONOMIC_BUYER,
    Gap.ECONOMIC_BUYER_NO_RELATIONSHIP,
    Gap.ECONOMIC_BUYER_SILENT,
    Gap.DECISION_MAKER_SILENT,
    Gap.CHAMPION_QUIET,
]


@dataclass(frozen=True)
class CoverageAlert:
    account: Account
    contact: Contact | None
    kind: str
    days: int | None  # days since the last contact (or since leaving); None: never
    message: str


def quiet_days() -> int:
    return int(getattr(settings, "OPENKAM_COVERAGE_DAYS", DEFAULT_QUIET_DAYS))


def worked_key_accounts(user):
    """Key and strategic accounts the user works: a KAM's own and those they act for;
    heads and administrators all of them; read-only roles none."""
    if not permissions.can_edit_account_work(user):
        return Account.objects.none()
    return Account.objects.visible_to(user).filter(tier__in=KEY_TIERS, is_archived=False)


def coverage_alerts(
    *, user, today: date, accounts: Iterable[Account | int] | None = None
) -> list[CoverageAlert]:
    """Coverage gaps for the key accounts the user works, most serious first.

    With `accounts` given, the check runs over those of them the user may see, whatever
    their tier (the stakeholder page of any account shows its gaps).
    """
    if accounts is None:
        account_qs = worked_key_accounts(user)
    else:
        ids = [a.pk if isinstance(a, Account) else a for a in accounts]
        account_qs = Account.objects.visible_to(user).filter(pk__in=ids)
    account_list = list(account_qs.order_by("name", "pk"))
    if not account_list:
        return []
    people_qs = Contact.objects.filter(
        account_id__in=[a.pk for a in account_list], is_archived=False
    ).filter(Q(buying_role__in=ROLES_TO_SUCCEED) | Q(attitude=Attitude.CHAMPION))
    last_contacts = last_contact_days(people_qs, user=user)
    by_account: dict[int, list[Contact]] = defaultdict(list)
    for person in people_qs.order_by("last_name", "first_name", "pk"):
        cast("ContactWithLastContact", person).last_contact_on = last_contacts.get(person.pk)
        by_account[person.account_id].append(person)
    checker = _Checker(today=today, days=quiet_days())
    alerts = [
        alert
        for account in account_list
        for alert in checker.account_alerts(account, by_account.get(account.pk, []))
    ]
    alerts.sort(key=_urgency)
    return alerts


def _urgency(alert: CoverageAlert) -> tuple:
    # Never contacted sorts before any number of days.
    days = 10**6 if alert.days is None else alert.days
    return (SEVERITY.index(alert.kind), -days, alert.account.name)


def _is_champion(person: Contact) -> bool:
    return person.attitude == Attitude.CHAMPION or person.buying_role == BuyingRole.CHAMPION


class _Checker:
    def __init__(self, *, today: date, days: int) -> None:
        self.today = today
        self.days = days

    def _has_left(self, person: Contact) -> bool:
        return person.left_on is not None and person.left_on <= self.today

    def _silence(self, person: Contact) -> int | None:
        last = getattr(person, "last_contact_on", None)
        return None if last is None else (self.today - last).days

    def _is_silent(self, person: Contact) -> bool:
        silence = self._silence(person)
        return silence is None or silence >= self.days

    def account_alerts(self, account: Account, people: list[Contact]) -> list[CoverageAlert]:
        current = [p for p in people if not self._has_left(p)]
        alerts: list[CoverageAlert] = []
        named: set[int] = set()

        def add(kind: str, person: Contact | None, days: int | None, message: str) -> None:
            if person is not None:
                if person.pk in named:
                    return
                named.add(person.pk)
            alerts.append(CoverageAlert(account, person, kind, days, message))

        for person in people:
            if self._has_left(person) and not self._succeeded(person, current):
                assert person.left_on is not None  # _has_left
                days: int | None = (self.today - person.left_on).days
                add(Gap.KEY_PERSON_LEFT, person, days, _left_message(account, person))
        buyers = [p for p in current if p.buying_role == BuyingRole.ECONOMIC_BUYER]
        if not buyers:
            add(Gap.NO_ECONOMIC_BUYER, None, None, _no_buyer_message(account))
        elif not any(self._related(p) for p in buyers):
            for person in buyers:
                add(
                    Gap.ECONOMIC_BUYER_NO_RELATIONSHIP,
                    person,
                    self._silence(person),
                    _no_relationship_message(account, person),
                )
        for person in current:
            if person.buying_role in DECIDERS and self._is_silent(person):
                kind = (
                    Gap.ECONOMIC_BUYER_SILENT
                    if person.buying_role == BuyingRole.ECONOMIC_BUYER
                    else Gap.DECISION_MAKER_SILENT
                )
                days = self._silence(person)
                add(kind, person, days, _silent_message(account, person, days))
        for person in current:
            if _is_champion(person) and self._is_silent(person):
                days = self._silence(person)
                add(Gap.CHAMPION_QUIET, person, days, _quiet_message(account, person, days))
        return alerts

    def _related(self, person: Contact) -> bool:
        """We have a relationship: stronger than 1 (or not rated) and contacted at least once."""
        weak = person.relationship_strength is not None and person.relationship_strength <= 1
        return not weak and self._silence(person) is not None

    @staticmethod
    def _succeeded(person: Contact, current: list[Contact]) -> bool:
        """Somebody current holds the role (or the championship) the leaver held."""
        if person.buying_role in DECIDERS:
            return any(p.buying_role == person.buying_role for p in current)
        if _is_champion(person):
            return any(_is_champion(p) for p in current)
        return True


def _name(person: Contact) -> str:
    return str(person)


def _left_message(account: Account, person: Contact) -> str:
    role = (
        BuyingRole(person.buying_role).label
        if person.buying_role in DECIDERS
        else BuyingRole.CHAMPION.label
    )
    return _(
        "%(name)s, the %(role)s at %(account)s, left on %(day)s; nobody has taken their place"
        " on the map"
    ) % {"name": _name(person), "role": role, "account": account.name, "day": person.left_on}


def _no_buyer_message(account: Account) -> str:
    return _("No economic buyer mapped at %(account)s") % {"account": account.name}


def _no_relationship_message(account: Account, person: Contact) -> str:
    return _("No relationship with the economic buyer %(name)s at %(account)s") % {
        "name": _name(person),
        "account": account.name,
    }


def _silent_message(account: Account, person: Contact, days: int | None) -> str:
    values = {"name": _name(person), "account": account.name, "days": days}
    if person.buying_role == BuyingRole.ECONOMIC_BUYER:
        if days is None:
            return _("Never in contact with the economic buyer %(name)s at %(account)s") % values
        return (
            ngettext(
                "No contact with the economic buyer %(name)s at %(account)s for %(days)d day",
                "No contact with the economic buyer %(name)s at %(account)s for %(days)d days",
                days,
            )
            % values
        )
    if days is None:
        return _("Never in contact with the decision maker %(name)s at %(account)s") % values
    return (
        ngettext(
            "No contact with the decision maker %(name)s at %(account)s for %(days)d day",
            "No contact with the decision maker %(name)s at %(account)s for %(days)d days",
            days,
        )
        % values
    )


def _quiet_message(account: Account, person: Contact, days: int | None) -> str:
    values = {"name": _name(person), "account": account.name, "days": days}
    if days is None:
        return _("Champion %(name)s at %(account)s has never been contacted") % values
    return (
        ngettext(
            "Champion %(name)s at %(account)s gone quiet: no contact for %(days)d day",
            "Champion %(name)s at %(account)s gone quiet: no contact for %(days)d days",
            days,
        )
        % values
    )
