"""Fixtures for import tests: files written in the encoding a test needs, ERP master data."""

from __future__ import annotations

import pytest


@pytest.fixture
def write_file(tmp_path):
    """write_file("x.csv", text, encoding="utf-8") -> path."""

    def write(name: str, text: str, encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def erp(db):
    """Two ERP accounts (K1, K2) and two products (P1, P2) from source "erp"."""
    from openkam.accounts.models import Account
    from openkam.ledger.models import Product

    k1 = Account.objects.create(name="Kowalski Hurt", source="erp", external_id="K1")
    k2 = Account.objects.create(name="Nowak Trade", source="erp", external_id="K2")
    for account in (k1, k2):
        account.group_root = account
        account.save()
    p1 = Product.objects.create(sku="P1", name="Mąka", source="erp", external_id="P1")
    p2 = Product.objects.create(sku="P2", name="Cukier", source="erp", external_id="P2")
    return {"k1": k1, "k2": k2, "p1": p1, "p2": p2}


@pytest.fixture
def run_import(db):
    from openkam.ingest.services import import_file

    def run(kind: str, path, **options):
        return import_file(kind=kind, path=path, **options)

    return run


def database_state():
    """Everything an import can write, to compare before and after a rejected file."""
    from openkam.accounts.models import Account
    from openkam.core.models import AuditEntry
    from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product
    from openkam.stakeholders.models import Contact

    # mypy's Django plugin checks the lookup on every model of the tuple; hasattr keeps the
    # ones without `updated_at` out.
    return {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at"))  # type: ignore[misc]
        if hasattr(model, "updated_at")
        else sorted(model.objects.values_list("pk", flat=True))
        for model in (Account, Contact, Product, Invoice, InvoiceLine, Payment, AuditEntry)
    }
