"""Case-insensitive search that knows more letters than ASCII, on SQLite too.

PostgreSQL's `icontains` compares `UPPER()` of both sides, which knows every
alphabet. SQLite's `LIKE` folds the case of ASCII letters only, so "łódź" would not
find "Łódź" and "ромашка" not "Ромашка": every search box of a Polish or Russian user
would miss. On SQLite both sides are case-folded by Python (`str.casefold`), a
function registered on each new connection; PostgreSQL keeps Django's own SQL.
"""

from __future__ import annotations

from django.db.backends.signals import connection_created
from django.db.models import Field
from django.db.models.lookups import IContains

CASEFOLD_FUNCTION = "openkam_casefold"


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


class UnicodeIContains(IContains):
    """`icontains` that folds the case of every alphabet on SQLite."""

    def as_sqlite(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        rhs_sql = self.get_rhs_op(connection, rhs_sql)  # "LIKE %s ESCAPE '\'"
        params = [*lhs_params, *(_casefold(param) for param in rhs_params)]
        return f"{CASEFOLD_FUNCTION}({lhs_sql}) {rhs_sql}", params


def register_casefold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(CASEFOLD_FUNCTION, 1, _casefold, deterministic=True)


def install() -> None:
    """Replace `icontains` on every field and give SQLite connections the function."""
    Field.register_lookup(UnicodeIContains)
    connection_created.connect(register_casefold, dispatch_uid="openkam-casefold")
