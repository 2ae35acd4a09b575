"""Pages, one module per area. Every view reads through selectors that take the user."""

from openkam.web.views.accounts import account_detail, account_edit, account_list
from openkam.web.views.contacts import contact_create, contact_edit
from openkam.web.views.home import home
from openkam.web.views.invoices import invoice_detail

__all__ = [
    "account_detail",
    "account_edit",
    "account_list",
    "contact_create",
    "contact_edit",
    "home",
    "invoice_detail",
]
