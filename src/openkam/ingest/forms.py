"""The upload form: what to import, how the file is written, and the ERP's own headers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.core import bounds
from openkam.ingest import columns as cols
from openkam.ingest.defaults import BadDefault, check_codes
from openkam.ingest.errors import ImportFileError
from openkam.ingest.models import ImportBatch, SourceDefaults
from openkam.ingest.services import DEFAULT_SOURCE

KIND_CHOICES = ImportBatch.Kind.choices
ENCODING_CHOICES = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", _("UTF-16 (Excel's Unicode text)")),
    ("windows-1250", _("Windows-1250 (Central European)")),
    ("windows-1251", _("Windows-1251 (Cyrillic)")),
]
DELIMITER_CHOICES = [("", _("Detect")), (";", ";"), (",", ","), ("tab", _("Tab"))]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("File (CSV, XLSX or XLS)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count changes, write nothing"), required=False
    )
    source = forms.CharField(
        label=_("Source system"), max_length=40, initial=DEFAULT_SOURCE, required=False
    )
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITER_CHOICES, required=False)
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Optional: headers we do not know are asked for on the next page. Or one per "
            "line: the ERP's header = our column, e.g. “Nr dok.=invoice_number”; "
            "“Header=-” ignores a column."
        ),
    )
    remember = forms.BooleanField(
        label=_("Remember the column mapping for this source"),
        required=False,
        initial=True,
        help_text=_("Later imports from the same source (here and from the command line) use it."),
    )

    def clean_file(self):
        upload = bounds.check_upload(self.cleaned_data["file"])
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx", ".xls")):
            raise forms.ValidationError(_("Upload a .csv, .txt, .tsv, .xlsx or .xls file."))
        if name.endswith(".xlsx"):
            bounds.check_archive(upload, size=upload.size)
            upload.seek(0)
        return upload

    def clean_mapping(self):
        lines = [line.strip() for line in self.cleaned_data["mapping"].splitlines()]
        try:
            return cols.parse_mapping_pairs([line for line in lines if line])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean() or {}
        if "kind" in data and "mapping" in data:
            try:
                cols.check_mapping(data["kind"], data["mapping"])
            except ValueError as exc:
                self.add_error("mapping", str(exc))
        data["source"] = (data.get("source") or DEFAULT_SOURCE).strip()
        return data


class MappingForm(forms.Form):
    """One choice per header of the file: which of our columns it is, or ignore it."""

    remember = forms.BooleanField(
        label=_("Remember the column mapping for this source"), required=False, initial=True
    )

    def __init__(self, *args, kind: str, header: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.header = kind, header
        choices = [("", _("— choose —")), (cols.IGNORE, _("ignore this column"))] + [
            (c.name, f"{c.label} · {c.name}" + (f" ({note})" if note else ""))
            for c in cols.COLUMNS[kind]
            for note in [cols.required_note(kind, c)]
        ]
        for index, cell in self.cells():
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=cell,
                choices=choices,
                required=False,
                initial=cols.column_for(kind, cell, mapping) or "",
            )

    def cells(self) -> list[tuple[int, str]]:
        return [(i, cell.strip()) for i, cell in enumerate(self.header) if cell and cell.strip()]

    def clean(self):
        data = super().clean() or {}
        mapping = {}
        for index, cell in self.cells():
            column = data.get(f"col_{index}")
            if not column:
                self.add_error(f"col_{index}", _("Choose one of our columns or ignore it."))
            else:
                mapping[cell] = column
        if not self.errors:
            try:
                cols.resolve_header(self.kind, self.header, mapping)
            except ImportFileError as exc:
                raise forms.ValidationError([error.detail for error in exc.errors]) from None
        data["mapping"] = mapping
        return data


class SourceDefaultsForm(forms.Form):
    """What a source's files leave unsaid, set once: empty fields keep the built-in rules."""

    prefix = "defaults"

    source = forms.CharField(label=_("Source system"), max_length=40, initial=DEFAULT_SOURCE)
    country = forms.CharField(
        label=_("Default country"),
        max_length=2,
        required=False,
        help_text=_(
            "Two letters, e.g. PL or RU: the country of a customer without one, whose tax "
            "id is checked for it. Empty: PL, or RU for a file with an INN or KPP column."
        ),
    )
    currency = forms.CharField(
        label=_("Default currency"),
        max_length=3,
        required=False,
        help_text=_("Three letters, e.g. PLN or RUB: the currency of a row without one."),
    )
    date_order = forms.ChoiceField(
        label=_("Date order"),
        choices=SourceDefaults.DateOrder.choices,
        required=False,
        help_text=_("How to read a date like 03/04/2026."),
    )

    def clean(self):
        data = super().clean() or {}
        data["source"] = (data.get("source") or "").strip()
        if not data["source"] and "source" not in self.errors:
            self.add_error("source", _("Name the source system."))
        try:
            data["country"], data["currency"] = check_codes(
                data.get("country", ""), data.get("currency", "")
            )
        except BadDefault as exc:
            self.add_error(exc.field, str(exc))
        return data
