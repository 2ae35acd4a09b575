"""The back office for competitors loads and audits its edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.core.models import AuditEntry
from openkam.workspace import services


@pytest.fixture
def row(company):
    rival = services.competitor_create(actor=company["head"], name="Rival Ltd")
    return services.account_competitor_add(
        actor=company["head"], account=company["a"], competitor=rival
    )


@pytest.mark.parametrize("name", ["competitor", "accountcompetitor"])
def test_pages_load(client, company, row, name):
    client.force_login(company["admin"])
    obj_id = row.competitor_id if name == "competitor" else row.pk
    for url in (
        reverse(f"admin:workspace_{name}_changelist"),
        reverse(f"admin:workspace_{name}_change", args=[obj_id]),
    ):
        assert client.get(url).status_code == 200


def test_edit_in_admin_is_audited(client, company, row):
    client.force_login(company["admin"])
    url = reverse("admin:workspace_accountcompetitor_change", args=[row.pk])
    form = {
        "account": company["a"].pk,
        "competitor": row.competitor_id,
        "product_lines": "",
        "share_of_wallet": "15",
        "notes": "",
    }
    assert client.post(url, form).status_code == 302
    entry = AuditEntry.objects.get(model="workspace.AccountCompetitor", via="admin")
    assert entry.changes == {"share_of_wallet": [None, "15"]}
