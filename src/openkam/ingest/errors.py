"""What went wrong in an import file, and where: line, column, reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Reason codes, stable for scripts and tests; the labels are for people.
REASONS = {
    "wrong_encoding": _("wrong encoding"),
    "wrong_columns": _("wrong columns"),
    "missing_required": _("missing required field"),
    "bad_number": _("bad number"),
    "bad_date": _("bad date"),
    "bad_value": _("bad value"),
    "unknown_account": _("unknown account"),
    "unknown_product": _("unknown product"),
    "duplicate_id": _("duplicate id in the file"),
    "conflicting_header": _("conflicting invoice header"),
    "parent_cycle": _("account hierarchy cycle"),
    "bad_file": _("unreadable file"),
    "ambiguous_account": _("ambiguous account"),
    "not_allowed": _("not allowed"),
}

MAX_REPORTED = 1000


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: `line` is the physical line in the file (the header is line 1)."""

    line: int
    column: str
    reason: str
    detail: str = ""

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason))

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
            "detail": self.detail,
        }

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        detail = f": {self.detail}" if self.detail else ""
        return f"{where}: {self.reason_label}{detail}"


@dataclass
class ErrorList:
    """Collects every error but keeps only the first `cap` in memory."""

    cap: int = MAX_REPORTED
    items: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, column: str, reason: str, detail: str = "") -> None:
        self.count += 1
        if len(self.items) < self.cap:
            self.items.append(RowError(line, column, reason, detail))

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    @property
    def omitted(self) -> int:
        return self.count - len(self.items)

    def sorted(self) -> list[RowError]:
        return sorted(self.items)


class ImportFileError(Exception):
    """The file cannot be read at all (wrong columns, wrong format): no rows are read.

    It carries every problem found at once (each unknown header, each missing column);
    `error` is the first of them."""

    def __init__(self, error: RowError | list[RowError]):
        errors = [error] if isinstance(error, RowError) else list(error)
        if not errors:
            raise ValueError("an ImportFileError needs at least one error")
        super().__init__("; ".join(str(item) for item in errors))
        self.errors = errors
        self.error = errors[0]
