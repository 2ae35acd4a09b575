from __future__ import annotations

from django.db.models import QuerySet

from openkam.sales.models import Order
from openkam.users.permissions import AnyUser


def orders_for(user: AnyUser, status: str = "") -> QuerySet[Order]:
    orders = Order.objects.visible_to(user).select_related("account", "credit_exception")
    return orders.filter(status=status) if status else orders
