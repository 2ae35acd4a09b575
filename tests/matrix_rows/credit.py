"""Permission-matrix rows for credit: limits, checks and exceptions (see
tests/matrix_rows/__init__.py).

Who does what (src/openkam/credit/services.py):

- everyone signed in reads the credit of the accounts they see (the account's credit
  page, the desk, an exception, the API);
- the money keepers (finance, heads, administrators; `may_keep_credit`) set limits and
  record checks on every account they see. To anyone else the write is as missing as a
  hidden record on the pages (404); the API answers 403 for an account the caller sees
  and 404 for one they do not;
- an exception is withdrawn by whoever may change the account's work (`access.may_edit`)
  and decided only by a head or an administrator who did not ask for it (`may_decide`):
  the world has one asked by the owner and one asked by the head on A.

Request bodies that name a day are dicts that `world()` fills in for each test.
"""

from __future__ import annotations

from dataclasses import dataclass

from matrix_rows import EDITS_A, SEES, SEES_A, SIGNED_IN, R, Route

MONEY_KEEPERS = frozenset({"finance", "head", "admin"})
DECIDERS = frozenset({"head", "admin"})


@dataclass(frozen=True)
class Gated(Route):
    """A write gated beyond visibility: whoever sees account A (and A1, seen by the
    same people) but is not in `ok` gets `read_only` (the API's 403), not a 404."""

    def expected(self, persona: str) -> int:
        if persona != "anonymous" and persona not in self.ok and persona in SEES_A:
            return self.read_only
        return super().expected(persona)


# Filled in by world(): days relative to the test's today.
LIMIT_FORM: dict = {"amount": "7000.00", "currency": "PLN", "scope": "account",
                    "note": "crd matrix limit"}  # fmt: skip
CHECK_FORM: dict = {"source": "crd matrix bureau", "risk_class": "B", "rating": "BB"}
DECIDE_FORM = {"decision": "approve", "note": "crd matrix approved"}
API_LIMIT: dict = {"amount": "7000.00", "currency": "PLN", "note": "crd matrix api limit"}
API_CHECK: dict = {"source": "crd matrix api bureau", "risk_class": "C", "rating": "CCC"}
API_DECIDE = {"approve": False, "note": "crd matrix api rejected"}

ROUTES: list[Route] = [
    # --- the desk and exceptions --------------------------------------------------------
    R("credit:desk", "GET", "/credit/", SIGNED_IN, lists_all_visible=True),
    R("credit:exception", "GET", "/credit/exceptions/{crd_exception_a}/", SEES_A),
    R("credit:exception", "GET", "/credit/exceptions/{crd_exception_a1}/", SEES["a1"]),
    R("credit:exception", "GET", "/credit/exceptions/{crd_exception_b}/", SEES["b"]),
    R("credit:exception", "GET", "/credit/exceptions/{crd_exception_c}/", SEES["c"]),
    R("credit:exception_decide", "POST", "/credit/exceptions/{crd_exception_a}/decide/",
      DECIDERS, 302, data=DECIDE_FORM),
    # Asked by the head: only the administrator decides it.
    R("credit:exception_decide", "POST", "/credit/exceptions/{crd_head_exception_a}/decide/",
      DECIDERS - {"head"}, 302, data=DECIDE_FORM),
    R("credit:exception_decide", "POST", "/credit/exceptions/{crd_exception_c}/decide/",
      DECIDERS, 302, data=DECIDE_FORM),
    R("credit:exception_withdraw", "POST", "/credit/exceptions/{crd_exception_a}/withdraw/",
      EDITS_A, 302),
    R("credit:exception_withdraw", "POST", "/credit/exceptions/{crd_exception_c}/withdraw/",
      SEES["c"] - {"finance", "viewer"}, 302),
    # --- one account's credit -----------------------------------------------------------
    R("account_credit:account", "GET", "/accounts/{a}/credit/", SEES_A),
    R("account_credit:account", "GET", "/accounts/{a1}/credit/", SEES["a1"]),
    R("account_credit:account", "GET", "/accounts/{b}/credit/", SEES["b"]),
    R("account_credit:limit_create", "POST", "/accounts/{a}/credit/limits/", MONEY_KEEPERS,
      302, data=LIMIT_FORM),
    R("account_credit:limit_create", "POST", "/accounts/{b}/credit/limits/", MONEY_KEEPERS,
      302, data=LIMIT_FORM),
    R("account_credit:check_create", "POST", "/accounts/{a}/credit/checks/", MONEY_KEEPERS,
      302, data=CHECK_FORM),
    R("account_credit:check_create", "POST", "/accounts/{c}/credit/checks/", MONEY_KEEPERS,
      302, data=CHECK_FORM),
    # --- JSON API ----------------------------------------------------------------------
    R("api:account_credit", "GET", "/api/credit/accounts/{a}", SEES_A),
    R("api:account_credit", "GET", "/api/credit/accounts/{a1}", SEES["a1"]),
    R("api:account_credit", "GET", "/api/credit/accounts/{b}", SEES["b"]),
    Gated("api:limit_create", "POST", "/api/credit/accounts/{a}/limits", MONEY_KEEPERS, 201,
          read_only=403, data=API_LIMIT),
    Gated("api:limit_create", "POST", "/api/credit/accounts/{a1}/limits", MONEY_KEEPERS, 201,
          read_only=403, data=API_LIMIT),
    Gated("api:check_create", "POST", "/api/credit/accounts/{a}/checks", MONEY_KEEPERS, 201,
          read_only=403, data=API_CHECK),
    R("api:exceptions_list", "GET", "/api/credit/exceptions", SIGNED_IN),
    R("api:exceptions_list", "GET", "/api/credit/exceptions?status=pending", SIGNED_IN),
    R("api:exception_detail", "GET", "/api/credit/exceptions/{crd_exception_a}", SEES_A),
    R("api:exception_detail", "GET", "/api/credit/exceptions/{crd_exception_a1}", SEES["a1"]),
    R("api:exception_detail", "GET", "/api/credit/exceptions/{crd_exception_b}", SEES["b"]),
    Gated("api:exception_decide", "POST", "/api/credit/exceptions/{crd_exception_a}/decide",
          DECIDERS, read_only=403, data=API_DECIDE),
    Gated("api:exception_decide", "POST",
          "/api/credit/exceptions/{crd_head_exception_a}/decide", DECIDERS - {"head"},
          read_only=403, data=API_DECIDE),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: a credit limit and a check set by finance, and an exception
    awaiting a decision, asked by the account's KAM (the owner on A and A1); on A one
    more, asked by the head. Each note, source, rating and reason is secret to those who
    may not see the account."""
    from decimal import Decimal

    from openkam.credit import services

    today = company["today"]
    finance = company["finance"]
    asker = {"a": "owner", "a1": "owner", "b": "other_kam", "c": "junior"}
    exceptions = {}
    for key in ("a", "a1", "b", "c"):
        account, tag = company[key], key.upper()
        services.limit_set(
            actor=finance, account=account, amount=Decimal("100.00"),
            currency=account.currency, valid_from=today, note=f"crdlimnote{tag}z",
        )  # fmt: skip
        services.check_record(
            actor=finance, account=account, checked_on=today, source=f"crdsource{tag}z",
            risk_class="B", rating=f"crdrating{tag}z", note=f"crdchecknote{tag}z",
        )  # fmt: skip
        exceptions[key] = services.exception_request(
            actor=company[asker[key]], account=account, currency=account.currency,
            amount=Decimal("5000.00"), subject=f"crdsubject{tag}z",
            reason=f"crdreason{tag}z",
        )  # fmt: skip
    head_exception = services.exception_request(
        actor=company["head"], account=company["a"], currency=company["a"].currency,
        amount=Decimal("6000.00"), subject="crdheadsubjectAz", reason="crdheadreasonAz",
    )  # fmt: skip

    day = today.isoformat()
    LIMIT_FORM["valid_from"] = API_LIMIT["valid_from"] = day
    CHECK_FORM["checked_on"] = API_CHECK["checked_on"] = day
    ids = {
        "a": company["a"].pk,
        "a1": company["a1"].pk,
        "b": company["b"].pk,
        "c": company["c"].pk,
        "crd_head_exception_a": head_exception.pk,
    } | {f"crd_exception_{key}": exception.pk for key, exception in exceptions.items()}
    secrets = {
        key: {
            f"crd{part}{key.upper()}z"
            for part in ("limnote", "source", "rating", "checknote", "subject", "reason")
        }
        for key in exceptions
    }
    secrets["a"] |= {"crdheadsubjectAz", "crdheadreasonAz"}
    return ids, secrets
