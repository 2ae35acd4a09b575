"""Form helpers every app's pages may use. They only shape input; services validate and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from openkam.core import bounds

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


ChoiceFieldT = TypeVar("ChoiceFieldT", bound=forms.Field)


def searchable(field: ChoiceFieldT) -> ChoiceFieldT:
    """A choice of one account or person among many: typed to search in the browser
    (static/openkam/pickers.js). The choices and the validation stay the field's own."""
    field.widget.attrs.update(
        {"class": "searchable", "data-no-results": gettext_lazy("Nothing matches")}
    )
    return field


def model_form_field(model: type[models.Model], name: str) -> forms.Field:
    """The model's own form field for one of its fields; a date only within the years
    every page can show (openkam.core.bounds)."""
    field = model._meta.get_field(name)
    form_field = field.formfield() if isinstance(field, models.Field) else None
    if form_field is None:
        raise TypeError(f"{model.__name__}.{name} has no form field")
    return bounds.bound_form_field(form_field)


def model_fields(model: type[models.Model], names: Iterable[str]) -> dict[str, forms.Field]:
    """The model's own form fields for `names`, so forms and models never disagree."""
    return {name: model_form_field(model, name) for name in names}


class ServiceErrorsMixin(_FormBase):
    """Puts a service's ValidationError on the right fields of the form."""

    #: messages with these codes belong to a field whatever the service said
    code_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return
        for item in error.error_list:
            self.add_error(self.code_fields.get(item.code) if item.code else None, item)
