"""Permission-matrix rows for contracts and their files (see tests/matrix_rows/__init__.py).

Request bodies that must name a record (the account of a new contract in the API) are
dicts that `world()` fills in for each test. The world's contract file is written under
MEDIA_ROOT, which the matrix's fixtures point at a temporary folder.
"""

from __future__ import annotations

from matrix_rows import EDITS_A, SEES, SEES_A, SIGNED_IN, R, Route

CONTRACT_FORM = {
    "number": "ctr_matrix_edit",
    "kind": "framework",
    "status": "active",
    "starts_on": "2026-01-01",
    "ends_on": "2027-12-31",
    "notice_period": "3",
    "notice_unit": "months",
    "commitment_amount": "100000",
    "commitment_currency": "PLN",
    "commitment_period": "year",
}
NEW_CONTRACT = CONTRACT_FORM | {"number": "ctr_matrix_new"}
API_CREATE: dict = {"number": "ctr_matrix_api", "kind": "supply", "starts_on": "2026-01-01"}

ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("contracts:list", "GET", "/contracts/", SIGNED_IN, lists_all_visible=True),
    R("contracts:list", "GET", "/contracts/?kind=supply&status=active&ending=90&at_risk=1&q=a",
      SIGNED_IN),
    R("account_contracts:list", "GET", "/accounts/{a}/contracts/", SEES_A),
    R("account_contracts:list", "GET", "/accounts/{a1}/contracts/", SEES["a1"]),
    R("account_contracts:create", "GET", "/accounts/{a}/contracts/new/", EDITS_A),
    R("account_contracts:create", "POST", "/accounts/{a}/contracts/new/", EDITS_A, 302,
      data=NEW_CONTRACT),
    R("contracts:detail", "GET", "/contracts/{contract_a}/", SEES_A),
    R("contracts:detail", "GET", "/contracts/{contract_a1}/", SEES["a1"]),
    R("contracts:edit", "GET", "/contracts/{contract_a}/edit/", EDITS_A),
    R("contracts:edit", "POST", "/contracts/{contract_a}/edit/", EDITS_A, 302,
      data=CONTRACT_FORM),
    # The body cannot carry a file (rows are static): those allowed get the form's 422.
    R("contracts:file_upload", "POST", "/contracts/{contract_a}/files/", EDITS_A, 422),
    R("contracts:file_download", "GET", "/contracts/files/{contract_file_a}/", SEES_A),
    R("contracts:file_download", "GET", "/contracts/files/{contract_file_a1}/", SEES["a1"]),
    R("contracts:file_delete", "POST", "/contracts/files/{contract_file_a}/delete/", EDITS_A,
      302),
    # --- JSON API ----------------------------------------------------------------------
    R("api:contract_list", "GET", "/api/contracts", SIGNED_IN, lists_all_visible=True),
    R("api:contract_list", "GET",
      "/api/contracts?account_id={a}&kind=framework&status=active&ending_within=400&at_risk=true",
      SIGNED_IN),
    R("api:contract_detail", "GET", "/api/contracts/{contract_a}", SEES_A),
    R("api:contract_detail", "GET", "/api/contracts/{contract_a1}", SEES["a1"]),
    R("api:contract_list", "POST", "/api/contracts", EDITS_A, 201, read_only=403,
      data=API_CREATE),
    R("api:contract_detail", "PATCH", "/api/contracts/{contract_a}", EDITS_A, read_only=403,
      data={"notes": "ctr matrix api note", "status": "terminated"}),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """An active contract on a, a1, b and c, ending soon and with a commitment, and a file
    on a and a1; each one's number, notes and file name are secret to those who may not
    see its account."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from openkam.contracts import services

    today: date = company["today"]
    contracts, files = {}, {}
    for key in ("a", "a1", "b", "c"):
        tag = key.upper()
        contracts[key] = services.contract_create(
            actor=None,
            account=company[key],
            number=f"ctrnum{tag}z",
            kind="supply",
            status="active",
            starts_on=date(2026, 1, 1),
            ends_on=today + timedelta(days=45),
            commitment_amount=Decimal("1000000"),
            commitment_currency=company[key].currency,
            notes=f"ctrnote{tag}z",
        )
        files[key] = services.contract_file_add(
            actor=None,
            contract=contracts[key],
            upload=SimpleUploadedFile(f"ctrfile{tag}z.pdf", f"ctrbytes{tag}z".encode()),
        )
    API_CREATE["account_id"] = company["a"].pk
    ids = {
        "contract_a": contracts["a"].pk,
        "contract_a1": contracts["a1"].pk,
        "contract_file_a": files["a"].pk,
        "contract_file_a1": files["a1"].pk,
    }
    secrets = {
        key: {f"ctr{part}{key.upper()}z" for part in ("num", "note", "file", "bytes")}
        for key in contracts
    }
    return ids, secrets
