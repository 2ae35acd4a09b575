"""Form helpers every app's pages may use. They only shape input; services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def model_fields(model, names) -> dict[str, forms.Field]:
    """The model's own form fields for `names`, so forms and models never disagree."""
    return {name: model._meta.get_field(name).formfield() for name in names}


class ServiceErrorsMixin:
    """Puts a service's ValidationError on the right fields of the form."""

    #: messages with these codes belong to a field whatever the service said
    code_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return
        for item in error.error_list:
            self.add_error(self.code_fields.get(item.code), item)
