"""Plain-text summary of an import, for the terminal and the job log."""

from __future__ import annotations

from django.utils.translation import gettext as _


def summary_lines(outcome) -> list[str]:
    counts = outcome.counts
    lines = [
        _("%(kind)s from %(file)s (%(encoding)s): %(rows)d rows read")
        % {
            "kind": outcome.kind,
            "file": outcome.file_name,
            "encoding": outcome.encoding or "?",
            "rows": outcome.rows,
        }
    ]
    if outcome.header_line > 1:
        lines.append(
            _("header found on line %(line)d; the lines above it were skipped")
            % {"line": outcome.header_line}
        )
    for row in getattr(outcome, "skipped", []):
        lines.append(
            _("line %(line)d skipped: %(detail)s") % {"line": row.line, "detail": row.detail}
        )
    if outcome.ok and "items" in counts:
        lines.append(
            _("open items stored: %(items)d of %(accounts)d customers, %(matched)d of them "
              "matched to an imported invoice")
            % {"items": counts["items"], "accounts": counts["accounts"],
               "matched": counts["matched_invoices"]}
        )  # fmt: skip
        if counts.get("ledger_differs"):
            lines.append(
                _("the ERP's open total differs from the invoices and payments imported for "
                  "%(n)d customer(s)") % {"n": counts["ledger_differs"]}
            )  # fmt: skip
    elif outcome.ok:
        lines.append(
            _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d")
            % {name: counts.get(name, 0) for name in ("created", "updated", "unchanged")}
        )
        if counts.get("price_lists_created"):
            lines.append(_("price lists created: %(n)d") % {"n": counts["price_lists_created"]})
        if counts.get("held"):
            lines.append(_("orders held for credit: %(n)d") % {"n": counts["held"]})
        if counts.get("moved"):
            lines.append(_("opportunities moved to another stage: %(n)d") % {"n": counts["moved"]})
        if counts.get("competitors_added"):
            lines.append(
                _("competitors recorded at accounts: %(n)d") % {"n": counts["competitors_added"]}
            )
        if "lines_written" in counts:
            lines.append(_("invoice lines written: %(n)d") % {"n": counts["lines_written"]})
        if outcome.dry_run:
            lines.append(_("dry run: nothing was written"))
        return lines
    lines.append(_("REJECTED: %(n)d error(s), nothing was written") % {"n": outcome.error_count})
    lines.append(_("line\tcolumn\treason"))
    for error in outcome.errors:
        detail = f" ({error.detail})" if error.detail else ""
        lines.append(f"{error.line}\t{error.column or '-'}\t{error.reason_label}{detail}")
    if outcome.omitted:
        lines.append(_("... and %(n)d more error(s)") % {"n": outcome.omitted})
    return lines
