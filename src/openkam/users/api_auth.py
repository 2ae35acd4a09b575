"""API authentication: bearer tokens for scripts, the session (with CSRF) for the pages."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from openkam.users.tokens import user_for_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuthWithCsrf(SessionAuth):
    """Django session login; Ninja enforces CSRF for unsafe methods."""
