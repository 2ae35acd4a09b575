"""An account workspace for the browser tests: a plan with a "meetings held" objective and
the people of the account, all made through the apps' services as a KAM would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# The three people of Alfa on the map: (first name, last name, position, influence).
PEOPLE = [
    ("Anna", "Nowak", "Chief executive", 5),
    ("Piotr", "Zieliński", "Purchasing manager", 4),
    ("Ewa", "Kowalska", "Warehouse lead", 2),
]
MEETINGS_TARGET = Decimal("12")
OBJECTIVE_TITLE = "Meet Alfa's buyers every month"


def add_workspace(company: dict) -> dict:
    """Alfa (owned by `owner`) gets this year's active plan and three mapped people."""
    from openkam.plans import services as plans
    from openkam.plans.models import ObjectiveMetric, PlanStatus
    from openkam.stakeholders import services as stakeholders
    from openkam.stakeholders.models import BuyingRole, LinkKind

    owner, account, year = company["owner"], company["a"], company["today"].year
    plan = plans.plan_create(
        actor=owner,
        account=account,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        title=f"Alfa growth plan {year}",
        template=None,
        status=PlanStatus.ACTIVE,
    )
    objective = plans.objective_create(
        actor=owner,
        plan=plan,
        title=OBJECTIVE_TITLE,
        metric=ObjectiveMetric.MEETINGS,
        target=MEETINGS_TARGET,
        due_on=plan.period_end,
    )
    roles = [BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER, BuyingRole.USER]
    people = [
        stakeholders.contact_create(
            actor=owner,
            account=account,
            first_name=first,
            last_name=last,
            position=position,
            influence=influence,
            buying_role=role,
        )
        for (first, last, position, influence), role in zip(PEOPLE, roles, strict=True)
    ]
    # Purchasing reports to the chief executive: the graph draws a line between them.
    stakeholders.contact_link_create(
        actor=owner, source=people[1], target=people[0], kind=LinkKind.REPORTS_TO
    )
    return {"plan": plan, "objective": objective, "people": people}
