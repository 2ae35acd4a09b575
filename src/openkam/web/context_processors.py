"""Template context shared by every page: the navigation the user may use."""

from __future__ import annotations

from openkam.users import permissions


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "can_import": permissions.can_import(user),
        "can_edit": permissions.can_edit_account_work(user),
    }
