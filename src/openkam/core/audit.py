"""Audit log: every change made through the product says who, when and what.

Writers record each field's old and new value in one canonical, JSON-safe form (datetimes
as UTC ISO 8601, dates as ISO, decimals as written, related records by id) and compare
values as what they mean, so a time given in another time zone or a decimal written with
another number of places is no change. Readers (`field_label`, `shown`) turn a recorded
value back into what a person reads: field names in the active language, times in the
local time zone, choices by their label, yes/no, related records by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.related import RelatedField
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from openkam.core.models import AuditEntry

# --- the recorded form ------------------------------------------------------------------


def _utc_iso(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).isoformat()


def _plain(value: Any, field: models.Field | None = None) -> Any:
    """JSON-safe, canonical form of a field value: datetimes as UTC ISO, dates as ISO,
    decimals as text (as written), related records by id."""
    if isinstance(value, datetime) and field is not None and _is_date_field(field):
        value = field.to_python(value)  # a date given as a datetime: its day
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return _utc_iso(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID, Promise)):
        return str(value)
    return value


class Snapshot(dict):
    """Recorded values of some fields of an instance, knowing its model (so `diff` can
    compare them by field type)."""

    def __init__(self, values: Mapping[str, Any], model: type[models.Model] | None) -> None:
        super().__init__(values)
        self.model = model


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The audited field values of an instance (FKs by id)."""
    # A model may keep fields out of its history (`audit_exclude`): e.g. a frozen JSON
    # document that has a page of its own.
    skipped = {"id", "created_at", "updated_at", *getattr(instance, "audit_exclude", ())}
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.attname not in skipped
    ]
    model = type(instance)
    return Snapshot(
        {name: _plain(getattr(instance, name), field_of(model, name)) for name in names}, model
    )


def _is_date_field(field: models.Field | None) -> bool:
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


@cache
def _fields_of(model: type[models.Model]) -> dict[str, models.Field]:
    """Field name and attname -> field, for the concrete and many-to-many fields."""
    fields: dict[str, models.Field] = {}
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        fields[f.name] = f
        fields[f.attname] = f
    return fields


def model_of(label: str | None) -> type[models.Model] | None:
    """The model of an entry's `model` label; None for a model that no longer exists."""
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    return _fields_of(model).get(name) if model is not None else None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _comparable(value: Any, field: models.Field | None) -> Any:
    """What a recorded value means, for comparison: an instant, a number, a date..."""
    if value is None or field is None or field.many_to_many:
        return value
    if isinstance(field, models.DateTimeField):
        moment = _as_datetime(value)
        return moment.astimezone(UTC) if moment else value
    target = field.target_field if isinstance(field, RelatedField) else field
    if isinstance(target, models.JSONField):
        return value
    try:
        return target.to_python(value)
    except (ValidationError, ValueError, TypeError, InvalidOperation):
        return value


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, model: type | None = None
) -> dict[str, list[Any]]:
    """The fields whose value changed, as [old, new]; values that differ only in how they
    are written (a time zone, trailing zeros, an id as text) are no change."""
    model = model or getattr(after, "model", None) or getattr(before, "model", None)
    changes = {}
    for name, value in after.items():
        old = before.get(name)
        field = field_of(model, name)
        if old != value and _comparable(old, field) != _comparable(value, field):
            changes[name] = [old, value]
    return changes


def _account_id_of(instance: models.Model) -> int | None:
    if instance._meta.label == "accounts.Account":
        return instance.pk
    return getattr(instance, "account_id", None)


def build_entry(
    *,
    actor,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    via: str = "web",
) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        account_id=_account_id_of(instance),
        changes=changes,
        via=via,
    )


def record_create(*, actor, instance: models.Model, via: str = "web") -> AuditEntry:
    changes = {name: [None, value] for name, value in snapshot(instance).items()}
    entry = build_entry(
        actor=actor, instance=instance, action=AuditEntry.Action.CREATE, changes=changes, via=via
    )
    entry.save()
    return entry


def record_delete(*, actor, instance: models.Model, via: str = "web") -> AuditEntry:
    """Record a record about to be deleted, with the values it had."""
    changes = {name: [value, None] for name, value in snapshot(instance).items()}
    entry = build_entry(
        actor=actor, instance=instance, action=AuditEntry.Action.DELETE, changes=changes, via=via
    )
    entry.save()
    return entry


def record_update(
    *,
    actor,
    instance: models.Model,
    before: dict[str, Any],
    via: str = "web",
    action: str = "update",
) -> AuditEntry | None:
    """Record the fields that changed since `before`; nothing if none did."""
    changes = diff(before, snapshot(instance, before.keys()), model=type(instance))
    if not changes:
        return None
    entry = build_entry(actor=actor, instance=instance, action=action, changes=changes, via=via)
    entry.save()
    return entry


# --- how a recorded value reads ---------------------------------------------------------

# Fields declared without a verbose name get Django's default (the name with spaces), which
# no catalogue translates: the history names the audited ones here. A field given a verbose
# name needs no entry (tests keep this list to the fields still without one).
UNNAMED_FIELD_LABELS = {
    "account": _("account"),
    "user": _("user"),
    "contact": _("contact"),
    "activity": _("activity"),
    "plan": _("plan"),
    "decided_by": _("decided by"),
    "created_by": _("created by"),
    "source": pgettext_lazy("link between people", "from"),
    "target": pgettext_lazy("link between people", "to"),
}

# A timestamp recorded by an older version, for a field the history no longer knows.
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)$")


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The field's verbose name in the active language; the raw name for an unknown field."""
    field = field_of(model, name)
    if field is None:
        return name
    if isinstance(field.verbose_name, Promise):
        return str(field.verbose_name)
    return str(UNNAMED_FIELD_LABELS.get(field.name, field.verbose_name))


def same(old: Any, new: Any, field: models.Field | None) -> bool:
    """Whether a recorded old and new value mean the same (an older entry may hold both
    forms of one instant)."""
    if old == new:
        return True
    if field is None:
        stamps = [v for v in (old, new) if isinstance(v, str) and _TIMESTAMP.match(v)]
        return len(stamps) == 2 and _as_datetime(old) == _as_datetime(new)
    if field.many_to_many and isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return _comparable(old, field) == _comparable(new, field)


def _local_time(value: Any) -> str | None:
    moment = _as_datetime(value)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else None


def _related(value: Any, model: type[models.Model] | None, names: Mapping) -> Any:
    """A related record by name; one the viewer may not see (or gone) keeps its bare id."""
    return names.get((model, value), value)


def related_ids(field: models.Field | None, value: Any) -> list:
    """The ids a recorded value of a relation holds (one, or a list for many-to-many)."""
    if field is None or not field.is_relation or value in (None, ""):
        return []
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, (int, str)) and not isinstance(v, bool)]


def shown(value: Any, field: models.Field | None, names: Mapping | None = None) -> Any:
    """A recorded value as a person reads it (None for nothing)."""
    names = names or {}
    if value is None or value == "" or value == []:
        return None
    if field is not None and field.is_relation:
        model = field.related_model
        if isinstance(value, list):
            return ", ".join(str(_related(v, model, names)) for v in value)
        if not isinstance(value, (list, dict)):
            return _related(value, model, names)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)  # e.g. a plan's key figures
    if field is None:
        if isinstance(value, str) and _TIMESTAMP.match(value):
            return _local_time(value) or value
        return value
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.BooleanField):
        truth = _comparable(value, field)
        if isinstance(truth, bool):
            return gettext("yes") if truth else gettext("no")
    if isinstance(field, models.DateTimeField):
        return _local_time(value) or value
    if isinstance(field, models.DateField):
        day = _comparable(value, field)
        if isinstance(day, date):
            return day.isoformat()
        moment = _as_datetime(value)  # a day an older version wrote with a time
        return timezone.localtime(moment).date().isoformat() if moment else value
    if isinstance(field, (models.DecimalField, models.FloatField)):
        try:
            return formats.number_format(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return value
    return value


# --- whose entries a reader may see ---------------------------------------------------


def _primary_key(model: type[models.Model], value: Any) -> Any:
    try:
        return model._meta.pk.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return None


def _visible_to(model: type[models.Model] | None, user):
    """The model's records `user` may see, or None for a model without a visibility rule."""
    if model is None:
        return None
    rows = model._default_manager.all()
    return rows.visible_to(user) if hasattr(rows, "visible_to") else None


def _account_paths(model: type[models.Model]) -> tuple[str, ...]:
    """The lookups from a record to the accounts it belongs to (its queryset's
    `account_paths`, see accounts/access.py)."""
    if model._meta.label == "accounts.Account":
        return ("pk",)
    paths = getattr(type(model._default_manager.all()), "account_paths", None)
    return paths() if callable(paths) else ()


def _recorded(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], dict[str, Any]]:
    """(model, object id) -> the last known value of each field the entries recorded."""
    known: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        values = known.setdefault((entry.model, entry.object_id), {})
        if entry.account_id is not None:
            values.setdefault("@account", entry.account_id)
        for name, pair in (entry.changes or {}).items():
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                value = pair[1] if pair[1] is not None else pair[0]
                if value is not None:
                    values[name] = value
    return known


def _gone_record_visible(model, values: dict[str, Any], user, cache_: dict) -> bool:
    """Whether a record that no longer exists was one `user` could see: every account it
    belonged to (through the foreign keys its entries recorded) must be visible.

    Its own account is the entry's (visible: the history is read on it) when the entries
    do not say otherwise; any further account that cannot be told makes it hidden."""
    paths = _account_paths(model)
    if not paths or paths == ("pk",):
        return False
    for index, path in enumerate(paths):
        head = path.split("__")[0]
        try:
            field = model._meta.get_field(head)
        except LookupError:
            return False
        value = values.get(field.attname, values.get(field.name))
        if value is None and index == 0:
            if head != "account":
                continue  # its own account: the entry's
            value = values.get("@account")
        related = getattr(field, "related_model", None)
        if related is None or value is None:
            return False
        pk = _primary_key(related, value)
        if pk is None:
            return False
        key = (related, pk)
        if key not in cache_:
            rows = _visible_to(related, user)
            cache_[key] = rows is not None and rows.filter(pk=pk).exists()
        if not cache_[key]:
            return False
    return True


def hidden_records(entries: Iterable[AuditEntry], user) -> set[tuple[str, str]]:
    """(model, object id) of the entries' records that `user` may not see.

    A history shows what happened to records as a reader may see them today: an entry about
    a record hidden from the reader (a link to a person at a group account hidden from
    them, with its note) is left out, as if it had never been. A record that still exists
    follows its model's `visible_to`; one that is gone is judged by the accounts its
    entries recorded it under. Records of models without a visibility rule stay visible
    (their entries are already on an account the reader sees). One query per model with
    entries, and a few more only for records that are hidden or gone.
    """
    entries = list(entries)
    ids: dict[str, set[str]] = {}
    for entry in entries:
        ids.setdefault(entry.model, set()).add(entry.object_id)
    hidden: set[tuple[str, str]] = set()
    gone: dict[str, set[str]] = {}
    for label, object_ids in ids.items():
        model = model_of(label)
        visible = _visible_to(model, user)
        if model is None or visible is None:
            continue
        keys = {_primary_key(model, value): value for value in object_ids}
        keys.pop(None, None)
        hidden.update((label, value) for value in object_ids if value not in keys.values())
        seen = set(visible.filter(pk__in=list(keys)).values_list("pk", flat=True))
        unseen = [pk for pk in keys if pk not in seen]
        if not unseen:
            continue
        existing = set(model._default_manager.filter(pk__in=unseen).values_list("pk", flat=True))
        hidden.update((label, keys[pk]) for pk in existing)
        gone.setdefault(label, set()).update(keys[pk] for pk in unseen if pk not in existing)
    if gone:
        query = models.Q()
        for label, object_ids in gone.items():
            query |= models.Q(model=label, object_id__in=object_ids)
        known = _recorded(AuditEntry.objects.filter(query).order_by("at", "id"))
        checked: dict = {}
        for label, object_ids in gone.items():
            model = model_of(label)
            for object_id in object_ids:
                values = known.get((label, object_id), {})
                if not _gone_record_visible(model, values, user, checked):
                    hidden.add((label, object_id))
    return hidden
