"""The refresh of stored receivables as a background job (see core/jobs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from openkam.receivables.refresh import refresh
from openkam.users import permissions

REFRESH_KIND = "receivables_refresh"


def refresh_title(params: dict) -> str:
    return _("Recompute receivables as of %(date)s") % {"date": params.get("as_of") or "—"}


def run_refresh(job, reporter) -> dict:
    as_of = date.fromisoformat(job.params.get("as_of") or permissions.today().isoformat())
    written = refresh(as_of)
    reporter.log(_("%(count)d account balances stored") % {"count": written})
    return {"as_of": as_of.isoformat(), "summaries": written}
