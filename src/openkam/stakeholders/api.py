"""JSON API for contacts; they follow the visibility of their account."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.core import bounds
from openkam.stakeholders import selectors
from openkam.stakeholders.models import Contact

router = Router(tags=["contacts"])


class ContactOut(OnAccountOut):
    id: int
    first_name: str
    last_name: str
    position: str
    department: str
    email: str
    phone: str
    is_archived: bool
    source: str
    external_id: str


class ContactFilters(Schema):
    account_id: bounds.Id | None = None
    q: bounds.SearchText = ""
    include_archived: bool = False


@router.get("", response=list[ContactOut], url_name="contact_list")
@paginate(bounds.Pages, page_size=50)
def contact_list(request, filters: Query[ContactFilters]):
    return selectors.contact_list(
        user=request.auth,
        account_id=filters.account_id,
        q=filters.q,
        include_archived=filters.include_archived,
    )


@router.get("/{id:contact_id}", response=ContactOut, url_name="contact_detail")
def contact_detail(request, contact_id: int):
    return access.visible_or_404(
        Contact.objects.select_related("account"), request.auth, pk=contact_id
    )
