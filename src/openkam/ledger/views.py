"""One invoice with its lines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openkam.accounts import access
from openkam.ledger import selectors
from openkam.ledger.models import Invoice


@login_required
def invoice_detail(request, pk: int):
    invoice = access.visible_or_404(Invoice.objects.select_related("account"), request.user, pk=pk)
    lines = list(selectors.invoice_lines(user=request.user, invoice=invoice))
    totals = {
        "net": sum((line.net_amount for line in lines), invoice.net_total * 0),
        "cost": sum((line.cost_amount for line in lines), invoice.cost_total * 0),
    }
    totals["margin"] = totals["net"] - totals["cost"]
    context = {"nav": "accounts", "invoice": invoice, "lines": lines, "totals": totals}
    return render(request, "ledger/invoice_detail.html", context)
