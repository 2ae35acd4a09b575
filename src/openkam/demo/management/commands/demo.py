"""`kam demo`: migrate, build the demo company if absent, print the logins, serve."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.demo.build import (
    DEMO_PASSWORD,
    DemoError,
    build_demo,
    demo_exists,
    demo_interrupted,
)
from openkam.demo.credit import build_credit
from openkam.demo.opportunities import build_opportunities
from openkam.demo.pricing import build_pricing, pricing_exists
from openkam.demo.promotions import build_promotions, promotions_exist
from openkam.demo.proposals import build_proposals, proposals_exist
from openkam.demo.receivables import build_receivables
from openkam.demo.refusals import build_refusals
from openkam.demo.reset import delete_demo
from openkam.demo.spec import DEFAULT_LINES, DEFAULT_SEED
from openkam.demo.staff import PEOPLE
from openkam.demo.tenders import build_tenders
from openkam.demo.workspace.build import build_workspace, workspace_exists
from openkam.users.models import Role


class Command(BaseCommand):
    help = "Build the demo company (once) and start OpenKAM on it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="build the demo database and exit"
        )
        parser.add_argument(
            "--lines", type=int, default=DEFAULT_LINES, help="invoice lines to generate"
        )
        parser.add_argument(
            "--accounts", type=int, default=None, help="customers (default: lines / 150, >= 2000)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="the demo's today (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--force", action="store_true", help="throw the demo away and build it again"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        if options["lines"] < 1:
            raise CommandError(_("--lines must be a positive number"))
        started = time.perf_counter()
        if options["force"]:
            self._throw_away()
        self._step(_("Migrating the database"), lambda: call_command("migrate", verbosity=0))
        if demo_interrupted():
            raise CommandError(
                _("An earlier demo build did not finish; run `kam demo --force` to rebuild it.")
            )
        if demo_exists():
            self.stdout.write(
                _("The demo company is already in the database (use --force to rebuild).")
            )
            if not workspace_exists():  # built before the demo had plans and activities
                self._step(_("Wrote the key accounts' workspace"), _backfill_workspace)
            if not pricing_exists():  # built before the demo had price lists
                self._step(
                    _("Wrote price lists with tiers and volume bands, and discount rules"),
                    lambda: build_pricing(today=timezone.localdate()),
                )
            if not proposals_exist():  # built before the demo had proposals
                self._step(_proposals_step(), _backfill_proposals)
            if not promotions_exist():  # built before the demo had promotions
                self._step(
                    _("Wrote promotions and bonus programmes"),
                    lambda: build_promotions(today=timezone.localdate()),
                )
        else:
            self._build(options)
        self.stdout.write(
            _("Ready in %(seconds).1f s.") % {"seconds": time.perf_counter() - started}
        )
        self._print_logins()
        if options["no_serve"]:
            self.stdout.write(_("Start it with: python3 kam serve"))
        else:
            call_command("serve", host=options["host"], port=options["port"])

    def _throw_away(self) -> None:
        path = _sqlite_file()
        if path is not None:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.stdout.write(_("Deleted %(path)s") % {"path": path})
            return
        self._step(_("Deleting the old demo data"), delete_demo)

    def _build(self, options) -> None:
        self.stdout.write(
            _("Building the demo company (%(lines)s invoice lines, seed %(seed)s) ...")
            % {"lines": f"{options['lines']:,}", "seed": options["seed"]}
        )
        try:
            result = build_demo(
                today=options["today"],
                lines=options["lines"],
                seed=options["seed"],
                accounts=options["accounts"],
                echo=self.stdout.write,
                progress_bar=sys.stderr.isatty(),
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self._step(_("Scored the customers (default scoring model)"), _score_customers)
        self._step(
            _("Wrote plans, stakeholder maps and a year of activities for the key accounts"),
            lambda: build_workspace(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _("Wrote price lists with tiers and volume bands, and discount rules"),
            lambda: build_pricing(today=result.spec.today),
        )
        self._step(
            _("Wrote promotions and bonus programmes"),
            lambda: build_promotions(today=result.spec.today),
        )
        self._step(
            _("Computed receivables and the collection work on late payers"),
            lambda: build_receivables(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _("Set credit limits and checks, and placed orders through the credit check"),
            lambda: build_credit(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _("Filled the key accounts' pipeline: opportunities at every stage"),
            lambda: build_opportunities(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _proposals_step(),
            lambda: build_proposals(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _("Wrote the key accounts' tenders: prices, winners, checklists and deadlines"),
            lambda: build_tenders(today=result.spec.today, seed=result.spec.seed),
        )
        self._step(
            _("Closed a year of lost deals with their reasons and competitors"),
            lambda: build_refusals(today=result.spec.today, seed=result.spec.seed),
        )

    def _step(self, title: str, work) -> None:
        began = time.perf_counter()
        work()
        self.stdout.write(f"  {time.perf_counter() - began:6.1f} s  {title}")

    def _print_logins(self) -> None:
        roles = dict(Role.choices)
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(f"  {_('username'):<10} {_('name'):<22} {_('role')}")
        for person in PEOPLE:
            name = f"{person.first_name} {person.last_name}"
            self.stdout.write(f"  {person.username:<10} {name:<22} {roles[person.role]}")
        self.stdout.write("")


def _sqlite_file() -> str | None:
    """The database file when the database is a SQLite file (not in memory)."""
    settings = connection.settings_dict
    name = str(settings.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return name


def _proposals_step() -> str:
    return _("Wrote proposals at every step of approval, and the customers' answers")


def _backfill_proposals() -> None:
    """Proposals on the pipeline the demo already has, with the seed it was built with."""
    build_proposals(today=timezone.localdate(), seed=_built_seed())


def _built_seed() -> int:
    from openkam.core.models import Job
    from openkam.demo.build import JOB_KIND

    job = Job.objects.filter(kind=JOB_KIND).order_by("-created_at", "-pk").first()
    return int((job.params if job else {}).get("seed", DEFAULT_SEED))


def _backfill_workspace() -> None:
    """The workspace relative to today, with the seed the company was built with."""
    from django.utils import timezone

    from openkam.core.models import Job
    from openkam.demo.build import JOB_KIND

    job = Job.objects.filter(kind=JOB_KIND).order_by("-created_at", "-pk").first()
    seed = int((job.params if job else {}).get("seed", DEFAULT_SEED))
    build_workspace(today=timezone.localdate(), seed=seed)


def _score_customers() -> None:
    """The portfolio pages and reviews need figures and scores from the first minute, and a
    head who opens Reviews finds last quarter's review to compare with."""
    from openkam.portfolio.defaults import ensure_default_scoring_model
    from openkam.portfolio.recompute import recompute_portfolio

    model = ensure_default_scoring_model()
    recompute_portfolio()
    _last_quarters_review(model)


# Last quarter the head held back a few promotions and kept one weak key account, with
# reasons; today's review proposes those changes again (JOURNEYS.md, journey 2).
HELD_BACK_PROMOTIONS = 3
KEPT_AGAINST_PROPOSAL = 1


def _last_quarters_review(model) -> None:
    from datetime import timedelta

    from django.db.models import Value
    from django.db.models.functions import Replace
    from django.utils import timezone

    from openkam.accounts.models import KeyStatusChange
    from openkam.portfolio.models import Review, ReviewItem
    from openkam.portfolio.reviews import services as reviews
    from openkam.users.models import Role, User

    head = User.objects.filter(role=Role.HEAD).order_by("pk").first()
    if head is None:
        return
    review = reviews.review_create(actor=head, scoring_model=model)
    items = list(review.items.order_by("rank"))
    promotions = [i for i in items if i.change == ReviewItem.Change.PROMOTE]
    demotions = [i for i in items if i.change == ReviewItem.Change.DEMOTE]
    overridden = {
        i.pk: _("Not yet: wait for another quarter of orders.")
        for i in promotions[-HELD_BACK_PROMOTIONS:]
    }
    overridden |= {
        i.pk: _("Keep for now: the contract renewal is under way.")
        for i in demotions[:KEPT_AGAINST_PROPOSAL]
    }
    for item in items:
        reason = overridden.get(item.pk)
        reviews.review_decide(
            actor=head,
            item=item,
            accept=reason is None,
            final_tier=item.current_tier,
            reason=reason or "",
        )
    reviews.review_close(actor=head, review=review)
    quarter_ago = timezone.now() - timedelta(days=91)
    Review.objects.filter(pk=review.pk).update(created_at=quarter_ago, closed_at=quarter_ago)
    review.items.update(decided_at=quarter_ago)
    today, then = f"{review.created_at:%Y-%m-%d}", f"{quarter_ago:%Y-%m-%d}"
    KeyStatusChange.objects.filter(decided_at__gt=quarter_ago, reason__contains=today).update(
        decided_at=quarter_ago, reason=Replace("reason", Value(today), Value(then))
    )
