"""JSON API for contacts; they follow the visibility of their account."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from openkam.stakeholders import selectors
from openkam.stakeholders.models import Contact

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    account_id: int
    account_name: str
    first_name: str
    last_name: str
    position: str
    department: str
    email: str
    phone: str
    is_archived: bool
    source: str
    external_id: str

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name


class ContactFilters(Schema):
    account_id: int | None = None
    q: str = ""
    include_archived: bool = False


@router.get("", response=list[ContactOut], url_name="contact_list")
@paginate(PageNumberPagination, page_size=50)
def contact_list(request, filters: Query[ContactFilters]):
    return selectors.contact_list(
        user=request.auth,
        account_id=filters.account_id,
        q=filters.q,
        include_archived=filters.include_archived,
    )


@router.get("/{int:contact_id}", response=ContactOut, url_name="contact_detail")
def contact_detail(request, contact_id: int):
    return get_object_or_404(
        Contact.objects.visible_to(request.auth).select_related("account"), pk=contact_id
    )
