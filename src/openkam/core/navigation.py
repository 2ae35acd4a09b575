"""Where a form goes back to: the page it was opened from, when that page is ours."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def return_url(request: HttpRequest, default: str) -> str:
    """`next` from the form or the query string if it is a path on this site, else
    `default` (an address from elsewhere is never followed: no open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
