"""Accounts: dossier fields, tax ids checked per country, parents by external id.

A parent may be another row of the same file or an account already stored from the
same source. After writing, every group root is recomputed from the parent links so
revenue rolls up to the right group; a cycle of parents is an error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.validators import normalize_tax_id
from openkam.ingest.importers.base import (
    BATCH,
    COUNTRY_RE,
    CURRENCY_RE,
    check_code,
    external_id_map,
)
from openkam.ingest.importers.records import RecordImporter

TEXT_FIELDS = ("name", "legal_form", "region", "city", "industry", "segment")


class AccountImporter(RecordImporter[Account]):
    model = Account
    audited = True
    defaults = {"country": "PL", "currency": "PLN"}

    def prepare(self) -> None:
        self.parents: dict[str, tuple[int, str]] = {}
        self.known = external_id_map(Account, self.ctx.source)

    def clean(self, line, row):
        fields = self.present(row, TEXT_FIELDS)
        ok = True
        country = check_code(self.ctx, line, row, "country", COUNTRY_RE, "PL")
        if self.ctx.has("country"):
            fields["country"] = country
        if self.ctx.has("currency"):
            fields["currency"] = check_code(self.ctx, line, row, "currency", CURRENCY_RE, "PLN")
            ok = fields["currency"] is not None
        if self.ctx.has("tax_id"):
            try:
                # Without a country column, a stored account's country would apply;
                # the file's default (PL) is the documented rule.
                fields["tax_id"] = normalize_tax_id(row.get("tax_id") or "", country or "PL")
            except ValidationError as exc:
                self.ctx.errors.add(line, "tax_id", "bad_value", " ".join(exc.messages))
                ok = False
        if self.ctx.has("parent_id") and row.get("external_id"):
            self.parents[row["external_id"]] = (line, row.get("parent_id") or "")
        return fields if ok and country is not None else None

    def check_all(self) -> None:
        for key, (line, parent) in self.parents.items():
            if not parent:
                continue
            if parent == key:
                self.ctx.errors.add(
                    line, "parent_id", "parent_cycle", _("%(key)s is its own parent") % {"key": key}
                )
            elif parent not in self.staged and parent not in self.known:
                # A row rejected for another reason is already reported; do not pile on.
                if parent not in self.parents:
                    self.ctx.errors.add(
                        line, "parent_id", "unknown_account",
                        _("no parent account %(parent)s in the file or from source %(source)s")
                        % {"parent": repr(parent), "source": repr(self.ctx.source)},
                    )  # fmt: skip

    def after_write(self) -> None:
        if self.parents:
            self._link_parents()
        self._refresh_group_roots()

    def _link_parents(self) -> None:
        by_key = {obj.external_id: obj for obj in self.created}
        by_key.update(self.stored)
        pks = external_id_map(Account, self.ctx.source)
        now = timezone.now()
        changed = []
        for key, (_line, parent) in self.parents.items():
            obj = by_key[key]
            wanted = pks[parent] if parent else None
            if obj.parent_id == wanted:
                continue
            if obj not in self.created:
                self.changes.setdefault(obj, {})["parent_id"] = [obj.parent_id, wanted]
            obj.parent_id = wanted
            obj.updated_at = now
            changed.append(obj)
        Account.objects.bulk_update(changed, ["parent_id", "updated_at"], batch_size=BATCH)

    def _refresh_group_roots(self) -> None:
        """Mirror of accounts.services.refresh_group_roots for many accounts at once."""
        rows = list(Account.objects.values_list("pk", "parent_id", "group_root_id"))
        parent_of = {pk: parent for pk, parent, _root in rows}
        roots: dict[int, int] = {}
        for pk, _parent, _root in rows:
            self._root_of(pk, parent_of, roots)
        if self.ctx.errors:
            return
        stale = [
            Account(pk=pk, group_root_id=roots[pk]) for pk, _p, root in rows if root != roots[pk]
        ]
        Account.objects.bulk_update(stale, ["group_root_id"], batch_size=BATCH)

    def _root_of(self, pk: int, parent_of: dict, roots: dict) -> int | None:
        path: list[int] = []
        node = pk
        seen = set()
        while node not in roots:
            if node in seen:
                self._report_cycle(path[path.index(node) :])
                for member in path:
                    roots[member] = member
                return None
            seen.add(node)
            path.append(node)
            parent = parent_of.get(node)
            if parent is None:
                roots[node] = node
                break
            node = parent
        root = roots[node]
        for member in path:
            roots[member] = root
        return root

    def _report_cycle(self, cycle: list[int]) -> None:
        every = [*self.created, *self.stored.values()]
        lines = {obj.pk: self.staged[obj.external_id][0] for obj in every}
        for pk in cycle:
            if pk in lines:
                self.ctx.errors.add(
                    lines[pk], "parent_id", "parent_cycle",
                    _("the parents of this account lead back to it"),
                )  # fmt: skip
                return
