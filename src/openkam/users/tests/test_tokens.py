from __future__ import annotations

from openkam.users.models import ApiToken
from openkam.users.tokens import user_for_token


def test_issued_token_identifies_its_user_and_is_stored_hashed(client, company):
    client.force_login(company["owner"])
    response = client.post("/me/tokens/", {"name": "script"})
    token = response.context["new_token"]
    assert user_for_token(token) == company["owner"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert token not in client.get("/me/tokens/").content.decode()


def test_revoked_token_no_longer_authenticates(client, company):
    client.force_login(company["owner"])
    token = client.post("/me/tokens/", {"name": "script"}).context["new_token"]
    row = ApiToken.objects.get(user=company["owner"])
    client.post(f"/me/tokens/{row.pk}/revoke/")
    assert user_for_token(token) is None


def test_cannot_revoke_someone_elses_token(client, company):
    client.force_login(company["owner"])
    client.post("/me/tokens/", {"name": "mine"})
    row = ApiToken.objects.get(user=company["owner"])
    client.force_login(company["other_kam"])
    assert client.post(f"/me/tokens/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert not row.revoked
