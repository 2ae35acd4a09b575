"""Tender forms. They only shape input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.forms import ServiceErrorsMixin, model_fields, searchable
from openkam.tenders.models import OutcomeReason, Status, Tender
from openkam.tenders.services import LineIn
from openkam.users.models import User
from openkam.users.selectors import work_owners

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
FIELDS = (
    "title", "reference", "published_on", "deadline", "estimated_value", "currency",
    "our_total", "winning_total", "notes",
)  # fmt: skip
MAX_PRICE = Decimal("9999999999999999.99")


def competitors_at(account: Account):
    """The competitors recorded at the account (the catalogue lives in `workspace`)."""
    competitor = apps.get_model("workspace", "Competitor")
    return competitor.objects.filter(accounts__account=account).order_by("name")


def _number(raw: str, row: int, what: str, places: str = "0.01") -> Decimal | None:
    text = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value > MAX_PRICE:
        raise ValidationError(
            _("Row %(row)s: %(what)s is not a number (%(raw)s).")
            % {"row": row, "what": what, "raw": raw.strip()[:40]}
        )
    return value.quantize(Decimal(places))


def parse_lines(text: str) -> list[LineIn]:
    """One product line a row: name; quantity; our price; winning price (all but the name
    may be left out)."""
    lines = []
    for number, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        parts = [*row.split(";"), "", "", ""][:4]
        name = parts[0].strip()
        if not name or len(name) > 100:
            raise ValidationError(
                _("Row %(row)s: give the product line (at most 100 characters) first.")
                % {"row": number}
            )
        lines.append(
            LineIn(
                product_line=name,
                quantity=_number(parts[1], number, _("quantity"), "0.001"),
                our_price=_number(parts[2], number, _("our price")),
                winning_price=_number(parts[3], number, _("winning price")),
            )
        )
    return lines


def lines_text(tender: Tender) -> str:
    def shown(value: Decimal | None) -> str:
        return "" if value is None else str(value)

    return "\n".join(
        "; ".join(
            [
                line.product_line,
                shown(line.quantity),
                shown(line.our_price),
                shown(line.winning_price),
            ]
        )  # fmt: skip
        for line in tender.lines.all()
    )


class TenderForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Tender, FIELDS))
        self.fields["deadline"].widget = DATETIME
        self.fields["published_on"].widget = DATE
        self.fields["notes"].widget.attrs["rows"] = 3
        self.fields["owner"] = searchable(
            forms.ModelChoiceField(
                queryset=work_owners(),
                label=gettext_lazy("owner"),
                required=False,
                help_text=gettext_lazy("Empty: the account's KAM."),
            )  # fmt: skip
        )
        self.fields["lines"] = forms.CharField(
            required=False, max_length=20000, label=gettext_lazy("product lines"),
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=gettext_lazy(
                "One a row: product line; quantity; our price; winning price "
                "(in the tender's currency; all but the product line may be left empty)."
            ),
        )  # fmt: skip
        self.fields["competitors"] = bounds.ModelMultipleChoiceField(
            queryset=competitors_at(account), required=False,
            label=gettext_lazy("competitors taking part"),
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )  # fmt: skip

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    def clean_lines(self) -> list[LineIn]:
        return parse_lines(self.cleaned_data.get("lines") or "")

    @staticmethod
    def initial_for(tender: Tender) -> dict:
        initial = {name: getattr(tender, name) for name in FIELDS}
        initial["owner"] = tender.owner_id
        initial["lines"] = lines_text(tender)
        initial["competitors"] = [rival.pk for rival in tender.competitors.all()]
        return initial


class MoveForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=gettext_lazy("status"))
    outcome_reason = forms.ChoiceField(
        choices=[("", "—"), *OutcomeReason.choices], required=False,
        label=gettext_lazy("outcome reason"),
        help_text=gettext_lazy("Required when the tender is lost or cancelled."),
    )  # fmt: skip
    outcome_note = forms.CharField(
        required=False, max_length=2000, label=gettext_lazy("about the outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    winning_total = forms.DecimalField(
        required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2,
        label=gettext_lazy("winning price"),
    )  # fmt: skip

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"] = forms.ModelChoiceField(
            queryset=competitors_at(account), required=False, label=gettext_lazy("winner"),
            help_text=gettext_lazy("When lost: a competitor recorded at the account ..."),
        )  # fmt: skip
        self.fields["winner_name"] = forms.CharField(
            required=False, max_length=200, label=gettext_lazy("... or the winner's name"),
        )  # fmt: skip


class DocumentForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("document"))
    responsible = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=gettext_lazy("responsible")
    )
    due_on = bounds.DateField(required=False, widget=DATE, label=gettext_lazy("due on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = work_owners()


class TenderFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("all statuses")), *Status.choices], required=False,
        label=gettext_lazy("status"),
    )  # fmt: skip
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=gettext_lazy("owner"),
        empty_label=gettext_lazy("everyone"),
    )  # fmt: skip
    due_within = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label=gettext_lazy("deadline within (days)"),
        help_text=gettext_lazy("Open tenders only; passed deadlines included."),
    )  # fmt: skip

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners
