"""Which stored account a row of an invoice or payment file names: by its ERP id
(`account_id`) or by its tax id (`account_tax_id`: NIP, INN), within the file's source.

A tax id is compared in its compact form (no spaces, dashes or dots, a NIP without
"PL"), as accounts store it. One that no account of the source has is an unknown
account; one that two accounts share (branches of one company may) is ambiguous: the
row must then name the customer by its ERP id. When a row gives both, the ERP id is used.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.validators import compact_tax_id
from openkam.ingest.errors import ErrorList
from openkam.ingest.importers.base import external_id_map
from openkam.ingest.parsing import BadValue

ACCOUNT_COLUMNS = ("account_id", "account_tax_id")
SHOWN_IDS = 5  # ERP ids named in an ambiguity error


class NoSuchAccount(BadValue):
    """A tax id that names no account of the source, or more than one."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class Customers:
    def __init__(self, source: str):
        self.source = source
        self.by_id: dict[str, int] = external_id_map(Account, source)
        self._by_tax: dict[str, list[tuple[int, str]]] | None = None

    @property
    def by_tax(self) -> dict[str, list[tuple[int, str]]]:
        """Compact tax id -> [(pk, ERP id)] of the source's accounts (loaded when asked)."""
        if self._by_tax is None:
            found: dict[str, list[tuple[int, str]]] = {}
            rows = (
                Account.objects.filter(source=self.source)
                .exclude(tax_id="")
                .order_by("external_id", "pk")
                .values_list("pk", "external_id", "tax_id")
            )
            for pk, external_id, tax_id in rows.iterator(chunk_size=10_000):
                found.setdefault(compact_tax_id(tax_id), []).append((pk, external_id))
            self._by_tax = found
        return self._by_tax

    def pk_for_tax_id(self, raw: str) -> int:
        """The one account with this tax id; NoSuchAccount (a BadValue) if none or many."""
        text = raw.strip() if isinstance(raw, str) else str(raw)
        matches = self.by_tax.get(compact_tax_id(text), [])
        if len(matches) == 1:
            return matches[0][0]
        if not matches:
            raise NoSuchAccount(
                "unknown_account",
                _("no account with tax id %(tax_id)s from source %(source)s")
                % {"tax_id": repr(text), "source": repr(self.source)},
            )
        ids = ", ".join(external_id or f"#{pk}" for pk, external_id in matches[:SHOWN_IDS])
        raise NoSuchAccount(
            "ambiguous_account",
            _(
                "tax id %(tax_id)s belongs to %(count)d accounts of source %(source)s "
                "(%(ids)s): name the customer by its ERP id in an account_id column"
            )
            % {"tax_id": repr(text), "count": len(matches), "source": repr(self.source),
               "ids": ids},
        )  # fmt: skip

    def find(self, errors: ErrorList, line: int, row: dict, has) -> int | None:
        """The pk of the account a parsed row names, or None after reporting why.
        `has(column)` says whether the file has a column."""
        external_id = row.get("account_id")
        if external_id:
            pk = self.by_id.get(external_id)
            if pk is None:
                errors.add(
                    line, "account_id", "unknown_account",
                    _("no account %(account)s from source %(source)s")
                    % {"account": repr(external_id), "source": repr(self.source)},
                )  # fmt: skip
            return pk
        tax_id = row.get("account_tax_id")
        if tax_id:
            try:
                return self.pk_for_tax_id(tax_id)
            except NoSuchAccount as exc:
                errors.add(line, "account_tax_id", exc.reason, str(exc))
                return None
        present = [name for name in ACCOUNT_COLUMNS if has(name)]
        if all(row.get(name) == "" for name in present):  # else a bad cell was reported
            errors.add(
                line, present[0] if present else "account_id", "missing_required",
                _("the row names no customer: fill one of %(columns)s") % {
                    "columns": ", ".join(present or ACCOUNT_COLUMNS)},
            )  # fmt: skip
        return None
