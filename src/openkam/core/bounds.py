"""Bounds on everything that enters from outside: ids, page numbers, dates, text, uploads.

One place per kind of input, used by every page, form, API schema and upload, so that no
value from a request reaches the database, date arithmetic or a parser out of range. A bad
value gets a clear 4xx (or a form error) and nothing is stored:

- ids and page numbers are integers 1..2**63-1, what a database id column holds. A path id
  outside that range is a 404 (`<id:pk>` in URL patterns, `{id:...}` in API paths); a query
  parameter outside it is ignored by pages (`id_or_none`, `page_number`) and refused (422)
  by the API (`Id`, `Pages`), whose page beyond the last is empty;
- dates have a year 1900..2999 wherever they enter: forms (`DateField`, `DateTimeField`,
  `bound_form_field`), API schemas (`ApiDate`, `ApiDateTime`) and query parameters
  (`date_or_none`), so that month, week and year arithmetic on a stored date never leaves
  what Python's dates hold;
- text: search terms are cut to `SEARCH_LENGTH` characters on pages (`search_text`) and
  refused above `API_SEARCH_LENGTH` by the API (`SearchText`); no request may carry a NUL
  character, which PostgreSQL refuses in text (`RejectNulMiddleware`: 400);
- uploads: at most `KAM_MAX_UPLOAD_MB` megabytes (`UploadLimitHandler` keeps no byte beyond
  it and `check_upload` tells the form why); stored file names are cut to 255 bytes
  (`stored_file_name`); a zip archive (XLSX) that would expand to more than
  `MAX_EXPANSION` times its size or `MAX_EXPANDED_BYTES` is refused before any parser
  opens it (`check_archive`).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Annotated, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import Field
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, StringConstraints

M = TypeVar("M", bound=models.Model)

# --- ids and page numbers ----------------------------------------------------------------

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def id_or_none(raw: Any) -> int | None:
    """A query parameter as an id, or None for anything that is not one (pages ignore it)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else None
    text = str(raw or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def page_number(raw: Any) -> int:
    """A `?page=` of a page: an id-sized number, anything else is the first page."""
    return id_or_none(raw) or 1


class IdConverter:
    """`<id:pk>`: only the ids a database column holds match; any other number is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def register_converters() -> None:
    """Called once when the apps are ready, before any URL pattern is read."""
    register_converter(IdConverter, "id")


def one_or_404(model_or_queryset: type[M] | QuerySet[M], **lookup: Any) -> M:
    """One record of a queryset already narrowed to what the caller may reach, or 404.

    For records that are no account's work: the user's own tokens and deputies, import
    jobs (importers only), company configuration such as templates, scoring models and
    reviews; account work goes through `accounts.access.visible_or_404`, which ends here.
    An id no database column can hold (SQLite refuses integers above 2**63) is missing too.
    """
    if isinstance(model_or_queryset, QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# An id in an API path, query or body (the path converter `{id:...}` already bounds it).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def page_offset(page: int, per_page: int) -> int | None:
    """Where a page starts; None for a page past any table (2**63 rows): it is empty."""
    offset = (page - 1) * per_page
    return offset if offset + per_page <= MAX_ID else None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by id on a form: anything but an id 1..2**63-1 is an invalid choice
    before the database is asked (Django asks `pk__in`, which no column can answer)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if id_or_none(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


class Pages(PageNumberPagination):
    """The API's page numbers: 1..2**63-1; a page beyond the last is empty."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_ID)
        page_size: int | None = Field(None, ge=1, le=MAX_ID)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        count = self._items_count(queryset)
        offset = page_offset(pagination.page, page_size)
        items = (
            queryset[offset : offset + page_size] if offset is not None and offset < count else []
        )
        return {self.items_attribute: items, "count": count}


# --- dates --------------------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2999
FIRST_DAY, LAST_DAY = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)


def date_in_range(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def _out_of_range_message() -> str:
    return _("Enter a date between the years %(first)d and %(last)d.") % {
        "first": MIN_YEAR,
        "last": MAX_YEAR,
    }


def validate_date(value: date | None) -> None:
    """Form and model validator: a date (or date and time) in years 1900..2999."""
    if value is not None and not date_in_range(value):
        raise ValidationError(_out_of_range_message(), code="date_range")


def date_or_none(raw: Any) -> date | None:
    """A query parameter as a day (YYYY-MM-DD in range), None for anything else."""
    try:
        value = date.fromisoformat(str(raw or "").strip()[:10])
    except ValueError:
        return None
    return value if date_in_range(value) else None


class DateField(forms.DateField):
    default_validators = [validate_date]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_date]


def bound_form_field(field: forms.Field) -> forms.Field:
    """A form field made from a model field: dates get the range check."""
    if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
        if validate_date not in field.validators:
            field.validators.append(validate_date)
    return field


def _check_api_date(value: Any) -> Any:
    if value is not None and not date_in_range(value):
        raise ValueError(_out_of_range_message())
    return value


ApiDate = Annotated[date, AfterValidator(_check_api_date)]
ApiDateTime = Annotated[datetime, AfterValidator(_check_api_date)]

# --- text ---------------------------------------------------------------------------------

SEARCH_LENGTH = 100  # pages cut a search term to this
API_SEARCH_LENGTH = 200  # the API refuses a longer one
SearchText = Annotated[str, StringConstraints(max_length=API_SEARCH_LENGTH)]


def search_text(raw: Any, length: int = SEARCH_LENGTH) -> str:
    return str(raw or "").strip()[:length]


_NUL_IN_JSON = re.compile(rb"\\u0000", re.IGNORECASE)


def carries_nul(request: HttpRequest) -> bool:
    """Does the request's address, query, form or JSON body hold a NUL character?"""
    if "\x00" in request.path:
        return True
    if any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    ):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        body = request.body
        return b"\x00" in body or bool(_NUL_IN_JSON.search(body))
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.POST.lists()
        )
    return False


class RejectNulMiddleware:
    """No text we store or search may hold a NUL (PostgreSQL refuses it): answer 400."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return HttpResponseBadRequest(_("The request holds a NUL character."))
        return self.get_response(request)


# --- uploads -------------------------------------------------------------------------------

FILE_NAME_BYTES = 255  # what file systems hold in one name
MAX_EXPANSION = 100  # an archive may expand to this many times its size...
MAX_EXPANDED_BYTES = 1024**3  # ...and to this at the most
MAX_ARCHIVE_MEMBERS = 10_000


def max_upload_bytes() -> int:
    return settings.KAM_MAX_UPLOAD_MB * 1024 * 1024


def _too_large_message() -> str:
    return _("The file is larger than %(limit)d MB.") % {"limit": settings.KAM_MAX_UPLOAD_MB}


class TooLargeUpload(UploadedFile):
    """What a form gets for a file over the limit: its name and size, none of its bytes."""

    too_large = True

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(io.BytesIO(), name, content_type, size)


class UploadLimitHandler(FileUploadHandler):
    """The first upload handler: passes a file on to the next handlers until the limit,
    then keeps nothing more of it and hands the form a `TooLargeUpload` to refuse."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.too_large or self.received > max_upload_bytes():
            self.too_large = True
            return None  # the later handlers get none of it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None  # the next handler completes the file
        return TooLargeUpload(self.file_name or "upload", self.content_type or "", self.received)


def check_upload(upload: UploadedFile) -> UploadedFile:
    """For upload forms: refuse a file over the limit with a message that says so."""
    if getattr(upload, "too_large", False) or (upload.size or 0) > max_upload_bytes():
        raise ValidationError(_too_large_message(), code="file_too_large")
    return upload


def stored_file_name(name: str, *, prefix: str = "") -> str:
    """`prefix` + the file's own name, cut (keeping its extension) to what one file name may
    hold in bytes; no folders, no NUL."""
    base = PurePath(str(name).replace("\\", "/").replace("\x00", "")).name or "upload"
    room = FILE_NAME_BYTES - len(prefix.encode())
    stem, dot, suffix = base.rpartition(".")
    if not dot or len(suffix.encode()) > 16:
        stem, suffix = base, ""
    ending = f".{suffix}" if suffix else ""
    stem_bytes = stem.encode()[: max(room - len(ending.encode()), 1)]
    return prefix + stem_bytes.decode(errors="ignore") + ending


def check_archive(source: str | PurePath | IO[bytes], *, size: int | None = None) -> None:
    """Refuse a zip archive (an XLSX) that would expand beyond `MAX_EXPANSION` times its
    size or `MAX_EXPANDED_BYTES`, from its directory, before anything unpacks it. Anything
    that is no zip archive passes: its own reader says what is wrong with it."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if size is None:
        size = sum(member.compress_size for member in members)
    expanded = sum(member.file_size for member in members)
    limit = min(MAX_EXPANSION * max(size, 1), MAX_EXPANDED_BYTES)
    if len(members) > MAX_ARCHIVE_MEMBERS or expanded > limit:
        raise ValidationError(
            _(
                "The file unpacks to %(expanded)d MB, more than this application reads "
                "(%(limit)d MB); save it again without unused sheets or as CSV."
            )
            % {"expanded": expanded // 1024**2, "limit": limit // 1024**2},
            code="archive_too_large",
        )
