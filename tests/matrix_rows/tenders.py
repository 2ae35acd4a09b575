"""Permission-matrix rows for tenders (see tests/matrix_rows/__init__.py).

Who does what (src/openkam/tenders/services.py, `may_edit`): everyone signed in reads the
tenders of the accounts they see (the list, its alerts and export name only those);
whoever may change the issuer's work creates, edits, moves them and ticks their
checklist; finance and viewers read only (404 on pages, 403 on the API).
"""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

DEADLINE = "2026-12-20T12:00"
NEW_FORM = {"title": "tender matrix new", "deadline": DEADLINE, "currency": "PLN",
            "lines": "Mąka; 10; 2.50"}  # fmt: skip
EDIT_FORM = {"title": "tender matrix edit", "deadline": DEADLINE, "currency": "PLN"}
MOVE_FORM = {"status": "cancelled", "outcome_reason": "other"}
DOCUMENT_FORM = {"name": "tender matrix document"}
API_NEW: dict = {"title": "tender matrix api", "currency": "PLN",
                 "deadline": "2026-12-20T12:00:00+01:00"}  # fmt: skip
API_PATCH = {"title": "tender matrix api patch"}
API_MOVE = {"status": "cancelled", "outcome_reason": "other"}

ROUTES: list[Route] = [
    # --- across accounts ----------------------------------------------------------------
    R("tenders:list", "GET", "/tenders/", SIGNED_IN, lists_all_visible=True),
    R("tenders:list", "GET", "/tenders/?status=preparing&due_within=30", SIGNED_IN,
      lists_all_visible=True),
    R("tenders:list", "GET", "/tenders/?format=xlsx", SIGNED_IN),
    # --- one tender ---------------------------------------------------------------------
    R("tenders:detail", "GET", "/tenders/{tender_a}/", SEES_A),
    R("tenders:detail", "GET", "/tenders/{tender_a1}/", SEES["a1"]),
    R("tenders:detail", "GET", "/tenders/{tender_b}/", SEES["b"]),
    R("tenders:detail", "GET", "/tenders/{tender_c}/", SEES["c"]),
    R("tenders:edit", "POST", "/tenders/{tender_a}/edit/", EDITS_A, 302, data=EDIT_FORM),
    R("tenders:edit", "POST", "/tenders/{tender_c}/edit/", SEES["c"] - READ_ONLY, 302,
      data=EDIT_FORM),
    R("tenders:move", "POST", "/tenders/{tender_a}/move/", EDITS_A, 302, data=MOVE_FORM),
    R("tenders:move", "POST", "/tenders/{tender_b}/move/", SEES["b"] - READ_ONLY, 302,
      data=MOVE_FORM),
    R("tenders:document_add", "POST", "/tenders/{tender_a}/documents/new/", EDITS_A, 302,
      data=DOCUMENT_FORM),
    R("tenders:document_toggle", "POST", "/tenders/{tender_a}/documents/{tdoc_a}/toggle/",
      EDITS_A, 302),
    R("tenders:document_toggle", "POST", "/tenders/{tender_b}/documents/{tdoc_b}/toggle/",
      SEES["b"] - READ_ONLY, 302),
    # A document of another tender named under this one is missing.
    R("tenders:document_toggle", "POST", "/tenders/{tender_a}/documents/{tdoc_b}/toggle/",
      frozenset(), 302),
    # --- one account's tenders ----------------------------------------------------------
    R("account_tenders:list", "GET", "/accounts/{a}/tenders/", SEES_A),
    R("account_tenders:list", "GET", "/accounts/{c}/tenders/", SEES["c"]),
    R("account_tenders:create", "POST", "/accounts/{a}/tenders/new/", EDITS_A, 302,
      data=NEW_FORM),
    R("account_tenders:create", "POST", "/accounts/{a1}/tenders/new/", SEES["a1"] - READ_ONLY,
      302, data=NEW_FORM),
    # --- JSON API ----------------------------------------------------------------------
    R("api:tenders_list", "GET", "/api/tenders/", SIGNED_IN),
    R("api:tenders_list", "GET", "/api/tenders/?account_id={b}&due_within=30", SIGNED_IN),
    R("api:tender_create", "POST", "/api/tenders/", EDITS_A, 201, read_only=403, data=API_NEW),
    R("api:tender_detail", "GET", "/api/tenders/{tender_a}", SEES_A),
    R("api:tender_detail", "GET", "/api/tenders/{tender_c}", SEES["c"]),
    R("api:tender_update", "PATCH", "/api/tenders/{tender_a}", EDITS_A, read_only=403,
      data=API_PATCH),
    R("api:tender_move", "POST", "/api/tenders/{tender_b}/move", SEES["b"] - READ_ONLY,
      read_only=403, data=API_MOVE),
    R("api:tender_document_toggle", "POST", "/api/tenders/{tender_a}/documents/{tdoc_a}/toggle",
      EDITS_A, read_only=403),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: a tender in preparation due in a few days, with a document and a
    title secret to those who may not see the issuer."""
    from datetime import timedelta

    from django.utils import timezone

    from openkam.tenders import services
    from openkam.tenders.services import LineIn

    tenders = {}
    for key in ("a", "a1", "b", "c"):
        account = company[key]
        tenders[key] = services.tender_create(
            actor=None, account=account, title=f"tendertitle{key.upper()}z",
            deadline=timezone.now() + timedelta(days=3), currency=account.currency,
            notes=f"tendernotes{key.upper()}z", lines=[LineIn("Mąka")],
            documents=[f"tenderdoc{key.upper()}z"],
        )  # fmt: skip
    API_NEW["account_id"] = company["a"].pk
    ids = {f"tender_{key}": tender.pk for key, tender in tenders.items()}
    ids |= {f"tdoc_{key}": tender.documents.get().pk for key, tender in tenders.items()}
    secrets = {
        key: {f"tender{part}{key.upper()}z" for part in ("title", "notes", "doc")}
        for key in tenders
    }
    return ids, secrets
