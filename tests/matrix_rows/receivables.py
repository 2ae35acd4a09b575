"""Permission-matrix rows for receivables (see tests/matrix_rows/__init__.py).

Who does what (src/openkam/receivables/services.py, users.permissions.keeps_receivables):

- everyone signed in reads the receivables of the accounts they see: the finance view,
  the worklist, an account's page and the API;
- collection work (promises, disputes, steps) is recorded by the KAMs who may change the
  account's work and by the money keepers (finance, heads, administrators) on every
  account they see; a viewer reads only (404 on pages, 403 on the API);
- only the money keepers split a payment across invoices and recompute the stored aging:
  to a KAM those pages are as missing as a hidden record.

Request bodies that name a record or a day (an invoice of the world, a promise for next
week) are dicts that `world()` fills in for each test.
"""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

MONEY_KEEPERS = frozenset({"finance", "head", "admin"})
# Who records collection work: whoever may change the account's work, and finance.
RECORDS_A = EDITS_A | MONEY_KEEPERS
RECORDS_B = (SEES["b"] - READ_ONLY) | MONEY_KEEPERS
RECORDS_C = (SEES["c"] - READ_ONLY) | MONEY_KEEPERS
NOBODY: frozenset[str] = frozenset()

# Filled in by world(): days relative to the test's today, ids of the world's records.
PROMISE_FORM: dict = {"amount": "250.00", "currency": "PLN", "note": "rcv matrix promise"}
STEP_FORM: dict = {"action": "call", "currency": "PLN", "note": "rcv matrix step"}
DISPUTE_FORM = {"reason": "quality", "note": "rcv matrix dispute"}
RESOLVE_FORM = {"resolution": "rcv matrix credit note promised"}
SPLIT_FORM: dict = {}
API_PROMISE: dict = {"amount": "250.00", "currency": "PLN", "note": "rcv matrix api promise"}
API_DISPUTE: dict = {"reason": "price", "note": "rcv matrix api dispute"}
API_STEP: dict = {"action": "reminder", "currency": "PLN", "note": "rcv matrix api step"}

ROUTES: list[Route] = [
    # --- across accounts: the finance view, its export, the worklist, the recompute ------
    R("receivables:list", "GET", "/receivables/", SIGNED_IN, lists_all_visible=True),
    R("receivables:list", "GET", "/receivables/?currency=PLN&kam={owner_user}&sort=dso&all=1",
      SIGNED_IN),
    R("receivables:list", "GET", "/receivables/?above_norm=1&sort=over_90", SIGNED_IN),
    R("receivables:list", "GET", "/receivables/?by=group&sort=name&all=1", SIGNED_IN),
    R("receivables:list", "GET", "/receivables/?format=xlsx", SIGNED_IN),
    R("receivables:list", "GET", "/receivables/?format=xlsx&by=group", SIGNED_IN),
    R("receivables:worklist", "GET", "/receivables/worklist/", SIGNED_IN,
      lists_all_visible=True),
    R("receivables:refresh", "POST", "/receivables/refresh/", MONEY_KEEPERS, 302),
    # --- one account's receivables ------------------------------------------------------
    R("account_receivables:account", "GET", "/accounts/{a}/receivables/", SEES_A),
    R("account_receivables:account", "GET", "/accounts/{a1}/receivables/", SEES["a1"]),
    R("account_receivables:account", "GET", "/accounts/{b}/receivables/", SEES["b"]),
    R("account_receivables:account", "GET",
      "/accounts/{a}/receivables/?as_of=2026-06-30&group=on", SEES_A),
    R("account_receivables:promise_create", "POST", "/accounts/{a}/receivables/promises/",
      RECORDS_A, 302, data=PROMISE_FORM),
    R("account_receivables:promise_withdraw", "POST",
      "/accounts/{a}/receivables/promises/{promise_a}/withdraw/", RECORDS_A, 302),
    # A record of another account, named under A's address, is missing to everyone.
    R("account_receivables:promise_withdraw", "POST",
      "/accounts/{a}/receivables/promises/{promise_b}/withdraw/", NOBODY),
    R("account_receivables:step_create", "POST", "/accounts/{a}/receivables/steps/",
      RECORDS_A, 302, data=STEP_FORM),
    R("account_receivables:step_create", "POST", "/accounts/{c}/receivables/steps/",
      RECORDS_C, 302, data=STEP_FORM),
    R("account_receivables:dispute_open", "POST",
      "/accounts/{a}/receivables/invoices/{rcv_invoice_a}/dispute/", RECORDS_A, 302,
      data=DISPUTE_FORM),
    R("account_receivables:dispute_open", "POST",
      "/accounts/{a}/receivables/invoices/{rcv_invoice_b}/dispute/", NOBODY,
      data=DISPUTE_FORM),
    R("account_receivables:dispute_resolve", "POST",
      "/accounts/{a}/receivables/disputes/{dispute_a}/resolve/", RECORDS_A, 302,
      data=RESOLVE_FORM),
    R("account_receivables:dispute_resolve", "POST",
      "/accounts/{a}/receivables/disputes/{dispute_b}/resolve/", NOBODY, data=RESOLVE_FORM),
    R("account_receivables:payment_split", "GET",
      "/accounts/{a}/receivables/payments/{payment_a}/split/", MONEY_KEEPERS),
    R("account_receivables:payment_split", "GET",
      "/accounts/{a1}/receivables/payments/{payment_a1}/split/", MONEY_KEEPERS),
    R("account_receivables:payment_split", "POST",
      "/accounts/{a}/receivables/payments/{payment_a}/split/", MONEY_KEEPERS, 302,
      data=SPLIT_FORM),
    R("account_receivables:payment_split", "GET",
      "/accounts/{a}/receivables/payments/{payment_b}/split/", NOBODY),
    # --- JSON API ----------------------------------------------------------------------
    R("api:receivables_list", "GET", "/api/receivables/", SIGNED_IN, lists_all_visible=True),
    R("api:receivables_list", "GET", "/api/receivables/?currency=pln", SIGNED_IN),
    R("api:account_receivables", "GET", "/api/receivables/accounts/{a}", SEES_A),
    R("api:account_receivables", "GET", "/api/receivables/accounts/{a1}", SEES["a1"]),
    R("api:account_receivables", "GET",
      "/api/receivables/accounts/{a}?as_of=2026-06-30&group=true", SEES_A),
    R("api:promise_create", "POST", "/api/receivables/accounts/{a}/promises", RECORDS_A, 201,
      read_only=403, data=API_PROMISE),
    R("api:promise_create", "POST", "/api/receivables/accounts/{b}/promises", RECORDS_B, 201,
      read_only=403, data=API_PROMISE),
    R("api:dispute_create", "POST", "/api/receivables/accounts/{a}/disputes", RECORDS_A, 201,
      read_only=403, data=API_DISPUTE),
    R("api:step_create", "POST", "/api/receivables/accounts/{a}/steps", RECORDS_A, 201,
      read_only=403, data=API_STEP),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: an invoice 70 days overdue (chased), one under an open dispute,
    a payment naming no invoice (to split), the payer among the people, and a running
    promise to pay and a collection step that finance recorded (finance records collection
    work on every account); then the stored aging is refreshed. Every invoice
    number, the payment's reference and each note and name are secret to those who may
    not see the account."""
    from datetime import timedelta
    from decimal import Decimal

    from openkam.ledger.models import Invoice, Payment
    from openkam.receivables import services
    from openkam.receivables.models import DunningLevel
    from openkam.receivables.refresh import refresh
    from openkam.stakeholders.services import contact_create

    today, finance = company["today"], company["finance"]
    issued = today - timedelta(days=100)
    records: dict[str, dict] = {}
    for key in ("a", "a1", "b", "c"):
        account, tag = company[key], key.upper()

        def invoice(number: str, amount: str, account=account) -> Invoice:
            return Invoice.objects.create(
                number=number, external_id=number, source="rcv", account=account,
                issued_on=issued, due_on=issued + timedelta(days=30),
                currency=account.currency, net_total=Decimal(amount),
            )  # fmt: skip

        chased = invoice(f"rcvinv{tag}z", "1000.00")
        contested = invoice(f"rcvdisinv{tag}z", "400.00")
        payment = Payment.objects.create(
            account=account, paid_on=today - timedelta(days=5), amount=Decimal("100.00"),
            currency=account.currency, invoice_number=f"rcvpayref{tag}z", source="rcv",
            external_id=f"rcvpay{tag}z",
        )  # fmt: skip
        payer = contact_create(
            actor=None, account=account, last_name=f"rcvpayer{tag}z", buying_role="payer"
        )
        promise = services.promise_create(
            actor=finance, account=account, amount=Decimal("500.00"), currency=account.currency,
            promised_on=today + timedelta(days=10), contact=payer, note=f"rcvprom{tag}z",
        )  # fmt: skip
        dispute = services.dispute_open(
            actor=finance, invoice=contested, reason="quality", note=f"rcvdisnote{tag}z"
        )
        services.step_record(
            actor=finance, account=account, currency=account.currency, action="reminder",
            done_on=today - timedelta(days=3), level=DunningLevel.objects.order_by("days")[1],
            contact=payer, note=f"rcvstep{tag}z",
        )  # fmt: skip
        records[key] = {
            "invoice": chased, "payment": payment, "promise": promise, "dispute": dispute,
        }  # fmt: skip
    refresh(today)

    next_week = (today + timedelta(days=7)).isoformat()
    PROMISE_FORM["promised_on"] = API_PROMISE["promised_on"] = next_week
    STEP_FORM["done_on"] = API_STEP["done_on"] = today.isoformat()
    STEP_FORM["next_on"] = API_STEP["next_on"] = next_week
    API_DISPUTE["invoice_id"] = records["a"]["invoice"].pk
    SPLIT_FORM.clear()
    SPLIT_FORM[f"invoice_{records['a']['invoice'].pk}"] = "60.00"
    ids = {
        "b": company["b"].pk,
        "c": company["c"].pk,
        "owner_user": company["owner"].pk,
        "rcv_invoice_a": records["a"]["invoice"].pk,
        "rcv_invoice_b": records["b"]["invoice"].pk,
        "promise_a": records["a"]["promise"].pk,
        "promise_b": records["b"]["promise"].pk,
        "dispute_a": records["a"]["dispute"].pk,
        "dispute_b": records["b"]["dispute"].pk,
        "payment_a": records["a"]["payment"].pk,
        "payment_a1": records["a1"]["payment"].pk,
        "payment_b": records["b"]["payment"].pk,
    }
    secrets = {
        key: {
            f"rcv{part}{key.upper()}z"
            for part in ("inv", "disinv", "payref", "pay", "payer", "prom", "disnote", "step")
        }
        for key in records
    }
    return ids, secrets
