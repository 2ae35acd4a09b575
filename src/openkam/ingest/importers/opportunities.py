"""Opportunities from a CRM or an ERP's sales module, through the opportunities services.

A row is matched to a stored opportunity by (source, external id): a new id is created,
a stored one is changed where the file differs, an identical one is left alone; the same
file twice changes nothing. A stored opportunity whose stage the file changes is moved
(a row of stage history, as a move on the page); the other fields are then updated. The
services check and audit every write, so their refusals (and an importer who may not
change the account: not allowed) land on the row's line and the file's column, and the
import's one transaction then keeps nothing.

Empty cells of the type, stage, currency, probability and owner columns give a new
opportunity its defaults (upsell, the first stage, the account's currency, the stage's
probability, the account's KAM) and leave a stored one as it is. A competitor named in
the file that is not yet recorded at the account is recorded there (and named in the
catalogue if new), as on the account's Competitors page: the file is what the CRM knows.

A won or lost row may carry the day it closed in the CRM (a history imported today keeps
its dates, so "won this quarter" and the win rate by period come out right) and, when
lost, a note on the loss; at an open stage both are dropped, as the services would.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.ingest.importers import opportunity_words as words
from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, iter_rows
from openkam.ingest.importers.customers import Customers
from openkam.ingest.parsing import BadValue
from openkam.opportunities import services
from openkam.opportunities.models import Kind, LostReason, Opportunity, Outcome, Stage
from openkam.users import permissions
from openkam.workspace import services as rivals
from openkam.workspace.models import AccountCompetitor, Competitor

# Fields compared with a stored opportunity and changed through opportunity_update.
COMPARED = ("title", "kind", "value", "currency", "expected_close", "description", "owner",
            "probability", "lost_reason", "lost_note", "closed_on")  # fmt: skip
# Only meaningful once the deal is over; at an open stage the services clear them.
CLOSED_ONLY = ("closed_on",)
LOST_ONLY = ("lost_reason", "lost_note")
MAX_COMPETITOR_NAME = 200


class OpportunityImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.customers = Customers(ctx.source)
        self.kinds = words.choice_words(Kind, words.KIND_SYNONYMS)
        self.reasons = words.choice_words(LostReason, words.LOST_SYNONYMS)
        self.stages = words.stage_words()
        self.owners = words.Owners()
        self.lines = words.ProductLines()
        self.staged: list[tuple[int, int, dict[str, Any]]] = []  # (line, account pk, fields)
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "moved": 0,
                       "competitors_added": 0}  # fmt: skip

    # --- reading ------------------------------------------------------------
    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        first_line: dict[str, int] = {}
        for line, row, ok in iter_rows(self.ctx):
            account = self.customers.find(self.ctx.errors, line, row, self.ctx.has)
            fields = self._fields(line, row)
            if not ok or account is None or fields is None:
                continue
            external_id = fields["external_id"]
            if external_id in first_line:
                self.ctx.errors.add(
                    line, "external_id", "duplicate_id",
                    _("the opportunity %(id)s is also on line %(line)d")
                    % {"id": external_id, "line": first_line[external_id]},
                )  # fmt: skip
                continue
            first_line[external_id] = line
            self.staged.append((line, account, fields))

    def _fields(self, line: int, row: dict) -> dict[str, Any] | None:
        """The services' fields of a parsed row (only the file's columns; None for an
        empty cell that means "the default"), or None after reporting a bad cell."""
        fields: dict[str, Any] = {
            "external_id": row.get("external_id") or "",
            "title": row.get("title") or "",
            "value": Decimal(row["value"]) if row.get("value") else None,
            "expected_close": (
                date.fromisoformat(row["expected_close"]) if row.get("expected_close") else None
            ),
        }
        if self.ctx.has("description"):
            fields["description"] = row.get("description") or ""
        if self.ctx.has("lost_note"):
            fields["lost_note"] = (row.get("lost_note") or "").strip() or None
        if self.ctx.has("closed_on") and row.get("closed_on"):
            fields["closed_on"] = date.fromisoformat(row["closed_on"])
        ok = True
        for column, convert in (
            ("kind", lambda raw: words.named(self.kinds, raw, _("opportunity type"))),
            ("stage", self._stage),
            ("probability", words.percent),
            ("owner", self.owners.find),
            ("lost_reason", lambda raw: words.named(self.reasons, raw, _("lost reason"))),
            ("product_lines", lambda raw: self.lines.find(words.split_names(raw))),
            ("competitors", _competitor_names),
            ("currency", _currency),
        ):
            if not self.ctx.has(column) or column not in row:
                continue
            try:
                fields[column] = convert(row[column]) if row[column] else None
            except BadValue as exc:
                self.ctx.errors.add(line, column, "bad_value", str(exc))
                ok = False
        if fields["value"] is not None and fields["value"] < 0:
            self.ctx.errors.add(line, "value", "bad_value", _("the value may not be negative"))
            ok = False
        ok = self._closed_by_today(line, fields) and ok
        return fields if ok and self._loss_explained(line, fields) else None

    def _closed_by_today(self, line: int, fields: dict[str, Any]) -> bool:
        closed_on = fields.get("closed_on")
        if closed_on is None or closed_on <= permissions.today():
            return True
        self.ctx.errors.add(
            line, "closed_on", "bad_value",
            _("%(day)s is after today: a deal cannot have closed in the future")
            % {"day": closed_on.isoformat()},
        )  # fmt: skip
        return False

    def _stage(self, raw: str) -> Stage:
        stage = self.stages.get(words.key(raw))
        if stage is None:
            known = ", ".join(sorted({s.code for s in self.stages.values() if s.is_active}))
            raise BadValue(
                _("%(value)s is no stage we know (use a stage's code or its name in English, "
                  "Polish or Russian: %(known)s)") % {"value": repr(raw), "known": known}
            )  # fmt: skip
        return stage

    def _loss_explained(self, line: int, fields: dict[str, Any]) -> bool:
        """A lost opportunity needs its reason; at any other stage a reason is dropped (the
        services clear it, and keeping it would make every later import an update)."""
        stage = fields.get("stage")
        if stage is not None and stage.is_open:
            for name in CLOSED_ONLY:
                fields.pop(name, None)
        if stage is None or stage.outcome != Outcome.LOST:
            if stage is not None:
                for name in LOST_ONLY:
                    fields.pop(name, None)
            return True
        if fields.get("lost_reason"):
            return True
        self.ctx.errors.add(
            line, "lost_reason", "missing_required",
            _("the stage %(stage)s is a loss: say why it was lost") % {"stage": stage.label},
        )  # fmt: skip
        return False

    # --- writing ------------------------------------------------------------
    def write_all(self) -> dict[str, int]:
        """Each row through the services (inside the import's transaction); a refusal is
        a row error, and the import is then rolled back."""
        accounts = Account.objects.in_bulk({account for _line, account, _f in self.staged})
        stored = self._stored()
        for line, account, fields in self.staged:
            try:
                self._write_one(accounts[account], stored.get(fields["external_id"]), fields)
            except ValidationError as exc:
                self._report(line, exc)
            except PermissionDenied as exc:
                self.ctx.errors.add(line, self._account_column(), "not_allowed", str(exc))
        return dict(self.counts)

    def _stored(self) -> dict[str, Opportunity]:
        """Every stored opportunity the file names, whoever may see it: one the importer
        may not change is refused by the services (not allowed), never created twice."""
        ids = [fields["external_id"] for _line, _account, fields in self.staged]
        query = (
            Opportunity.objects.filter(source=self.ctx.source, external_id__in=ids)
            .select_related("account", "stage")
            .prefetch_related("product_lines", "competitors")
        )
        return {opportunity.external_id: opportunity for opportunity in query}

    def _write_one(self, account: Account, stored: Opportunity | None, fields: dict) -> None:
        if self.ctx.actor is not None and not services.may_sell(self.ctx.actor, account):
            # Before any competitor is recorded: the refusal is the opportunities' own.
            raise PermissionDenied(_("You may not change the opportunities of this account."))
        if stored is None:
            self._create(account, fields)
            return
        if stored.account_id != account.pk:
            raise ValidationError({self._account_column(): _(
                "the opportunity %(id)s is stored for another account; an opportunity "
                "cannot move to another account"
            ) % {"id": fields["external_id"]}})  # fmt: skip
        moved = self._move(stored, fields)
        changed = self._update(stored, fields)
        self.counts["moved"] += moved
        self.counts["updated" if moved or changed else "unchanged"] += 1

    def _create(self, account: Account, fields: dict) -> None:
        stage = fields.get("stage")
        if stage is not None and not stage.is_active:
            raise ValidationError({"stage": _("That stage is no longer in use.")})
        extra = {name: fields[name] for name in ("kind", "owner", "description", *LOST_ONLY,
                                                 *CLOSED_ONLY)
                 if fields.get(name) is not None}  # fmt: skip
        services.opportunity_create(
            actor=self.ctx.actor, account=account, title=fields["title"],
            value=fields["value"], currency=fields.get("currency") or account.currency,
            expected_close=fields["expected_close"], stage=fields.get("stage"),
            probability=fields.get("probability"),
            product_lines=fields.get("product_lines") or (),
            competitors=self._competitors(account, fields.get("competitors") or []),
            via="import", source=self.ctx.source, external_id=fields["external_id"], **extra,
        )  # fmt: skip
        self.counts["created"] += 1

    def _move(self, opportunity: Opportunity, fields: dict) -> bool:
        """To the file's stage, with the history row a move on the page writes."""
        stage = fields.get("stage")
        if stage is None or stage.pk == opportunity.stage_id:
            return False
        services.opportunity_move(
            actor=self.ctx.actor, opportunity=opportunity, stage=stage,
            lost_reason=fields.get("lost_reason") or "",
            lost_note=fields.get("lost_note") or opportunity.lost_note,
            via="import",
        )  # fmt: skip
        return True

    def _update(self, opportunity: Opportunity, fields: dict) -> bool:
        """The fields the file changes (after a move: against the moved opportunity)."""
        wanted = {name: fields[name] for name in COMPARED if fields.get(name) is not None}
        if opportunity.stage.outcome != Outcome.OPEN:
            wanted.pop("probability", None)  # won is 100%, lost 0%, whatever the file says
        if opportunity.stage.is_open:
            for name in CLOSED_ONLY:
                wanted.pop(name, None)
        if opportunity.stage.outcome != Outcome.LOST:
            for name in LOST_ONLY:
                wanted.pop(name, None)
        changes = {name: value for name, value in wanted.items()
                   if getattr(opportunity, name) != value}  # fmt: skip
        lines = None
        if "product_lines" in fields:
            have = {line.product_line for line in opportunity.product_lines.all()}
            if set(fields["product_lines"] or ()) != have:
                lines = fields["product_lines"] or []
        competitors = None
        if "competitors" in fields:
            names = fields["competitors"] or []
            have = {words.key(rival.name) for rival in opportunity.competitors.all()}
            if {words.key(name) for name in names} != have:
                competitors = self._competitors(opportunity.account, names)
        if not changes and lines is None and competitors is None:
            return False
        services.opportunity_update(
            actor=self.ctx.actor, opportunity=opportunity, product_lines=lines,
            competitors=competitors, via="import", **changes,
        )  # fmt: skip
        return True

    def _competitors(self, account: Account, names: list[str]) -> list[Competitor]:
        """The named competitors, each recorded at the account if it is not yet there."""
        present = {
            words.key(row.competitor.name): row.competitor
            for row in AccountCompetitor.objects.filter(account=account).select_related(
                "competitor"
            )
        }
        found = []
        for name in names:
            competitor = present.get(words.key(name))
            if competitor is None:
                competitor = rivals.competitor_get_or_create(actor=self.ctx.actor, name=name)
                rivals.account_competitor_add(
                    actor=self.ctx.actor, account=account, competitor=competitor
                )
                self.counts["competitors_added"] += 1
            found.append(competitor)
        return found

    def _account_column(self) -> str:
        return "account_id" if self.ctx.has("account_id") else "account_tax_id"

    def _report(self, line: int, error: ValidationError) -> None:
        """Each refusal on the file's column it is about (the fields are named as the
        columns, but for the account and the form's whole-record errors)."""
        for name, messages in error.message_dict.items():
            column = "" if name == "__all__" else name
            for message in messages:
                self.ctx.errors.add(line, column, "bad_value", message)

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""


def _competitor_names(raw: str) -> list[str]:
    names = words.split_names(raw)
    long = [name for name in names if len(name) > MAX_COMPETITOR_NAME]
    if long:
        raise BadValue(
            _("a competitor's name is longer than %(n)d characters") % {"n": MAX_COMPETITOR_NAME}
        )
    return names


def _currency(raw: str) -> str:
    currency = raw.strip().upper()
    if not CURRENCY_RE.match(currency):
        raise BadValue(_("%(value)s is not an ISO code") % {"value": repr(raw)})
    return currency
