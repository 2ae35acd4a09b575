"""Accounts: dossier fields, tax ids checked per country, parents by external id.

A tax id is checked for the row's country; a row without one (no country column, or an
empty cell) takes the file's country: the source's default country if it has one, else
Russia for a file with an INN or KPP column (1C), else Poland. A tax id that fails
says which country it was checked for and why, and how to change that.

A parent may be another row of the same file or an account already stored from the
same source. After writing, every group root is recomputed from the parent links so
revenue rolls up to the right group; a cycle of parents is an error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.validators import normalize_tax_id, validate_kpp
from openkam.ingest.columns import header_key
from openkam.ingest.defaults import BUILTIN_COUNTRY
from openkam.ingest.importers.base import (
    BATCH,
    COUNTRY_RE,
    CURRENCY_RE,
    check_code,
    external_id_map,
)
from openkam.ingest.importers.records import RecordImporter

TEXT_FIELDS = ("name", "legal_form", "region", "city", "industry", "segment")
# Headers of a Russian export (1C): its tax ids are INNs.
RUSSIAN_TAX_HEADERS = {"инн", "inn", "кпп", "kpp"}


class AccountImporter(RecordImporter[Account]):
    model = Account
    audited = True

    def prepare(self) -> None:
        self.parents: dict[str, tuple[int, str]] = {}
        self.known = external_id_map(Account, self.ctx.source)
        self.country, self.country_from = self._file_country()
        self.defaults = {"country": self.country, "currency": self.ctx.currency}

    def _file_country(self) -> tuple[str, str]:
        """The country of a row without one, and where it comes from."""
        if self.ctx.defaults.country:
            return self.ctx.defaults.country, "source"
        header = self.ctx.table.header
        russian = any(
            header_key(header[index] or "") in RUSSIAN_TAX_HEADERS
            for name, index in self.ctx.positions.items()
            if name in ("tax_id", "kpp") and index < len(header)
        )
        if (russian or self.ctx.has("kpp")) and not self.ctx.has("country"):
            return "RU", "header"
        return BUILTIN_COUNTRY, "builtin"

    def clean(self, line, row):
        fields = self.present(row, TEXT_FIELDS)
        ok = True
        country = check_code(self.ctx, line, row, "country", COUNTRY_RE, self.country)
        if self.ctx.has("country"):
            fields["country"] = country
        if self.ctx.has("currency"):
            fields["currency"] = check_code(
                self.ctx, line, row, "currency", CURRENCY_RE, self.ctx.currency
            )
            ok = fields["currency"] is not None
        if self.ctx.has("tax_id") and country is not None:
            try:
                # Without a country column, a stored account's country would apply;
                # the file's country is the documented rule.
                fields["tax_id"] = normalize_tax_id(row.get("tax_id") or "", country)
            except ValidationError as exc:
                given = bool(row.get("country"))
                self.ctx.errors.add(
                    line, "tax_id", "bad_value",
                    f"{' '.join(exc.messages)}; {self._why_country(country, given)}",
                )  # fmt: skip
                ok = False
        if self.ctx.has("kpp"):
            fields["kpp"] = "".join((row.get("kpp") or "").split()).upper()
            try:
                validate_kpp(fields["kpp"])
            except ValidationError as exc:
                self.ctx.errors.add(line, "kpp", "bad_value", " ".join(exc.messages))
                ok = False
        if self.ctx.has("parent_id") and row.get("external_id"):
            self.parents[row["external_id"]] = (line, row.get("parent_id") or "")
        return fields if ok and country is not None else None

    def _why_country(self, country: str, given: bool) -> str:
        """Which country a tax id was checked for, why, and how to change it."""
        if given:
            return _("checked as a tax id of %(country)s, the row's country") % {
                "country": country}  # fmt: skip
        how = _(
            "a country column, or the source's default country (import page, or kam import "
            "--country XX --save-defaults), changes it"
        )
        values = {"country": country, "source": repr(self.ctx.source), "how": how}
        if self.country_from == "source":
            return (
                _(
                    "checked as a tax id of %(country)s, the default country of source "
                    "%(source)s; %(how)s"
                )
                % values
            )
        if self.country_from == "header":
            return (
                _(
                    "checked as a tax id of %(country)s, assumed because the file has an INN or "
                    "KPP column and no country column; %(how)s"
                )
                % values
            )
        return (
            _(
                "checked as a tax id of %(country)s, the built-in default for a row without a "
                "country; %(how)s"
            )
            % values
        )

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
