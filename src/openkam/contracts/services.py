"""Writes to contracts and their files: keyword-only, atomic, validated, audited.

The caller (page, API, import) has already found the account or contract among what the
actor may see; these check the right to change that very account's work and the data.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.contracts import dates
from openkam.contracts.models import (
    MAX_NOTICE_MONTHS,
    CommitmentPeriod,
    Contract,
    ContractFile,
    NoticeUnit,
)
from openkam.core import audit, bounds
from openkam.core.models import AuditEntry
from openkam.users.permissions import Actor

CONTRACT_FIELDS = (
    "number",
    "kind",
    "status",
    "starts_on",
    "ends_on",
    "auto_renews",
    "renewal_months",
    "notice_period",
    "notice_unit",
    "payment_terms_days",
    "price_tier",
    "discount_pct",
    "commitment_amount",
    "commitment_currency",
    "commitment_period",
    "covers_group",
    "notes",
)
# Fields an ERP import may also set (the record's identity in the ERP).
IMPORT_FIELDS = ("source", "external_id")


def _require_edit(actor: Actor, record: Account | Contract) -> None:
    """The actor may change the contracts of this very record's account (accounts/access)."""
    access.require_edit(actor, record, _("You may not change contracts."))


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{where} got unknown fields: {sorted(unknown)}")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Text as written, trimmed; a currency code in capitals."""
    cleaned = dict(fields)
    for name in ("number", "price_tier", "notes"):
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    if isinstance(cleaned.get("commitment_currency"), str):
        cleaned["commitment_currency"] = cleaned["commitment_currency"].strip().upper()
    return cleaned


def check_terms(contract: Contract) -> None:
    """The rules between fields; every problem on the field it belongs to."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    start, end = contract.starts_on, contract.ends_on
    if start and end and end < start:
        add("ends_on", _("The end date is before the start date."))
    if contract.auto_renews:
        if not contract.renewal_months:
            add("renewal_months", _("Give the renewal term of a contract that renews itself."))
        if end is None:
            add("ends_on", _("A contract that renews automatically needs an end date."))
    elif contract.renewal_months:
        add(
            "renewal_months",
            _("A renewal term applies only to a contract that renews automatically."),
        )
    if contract.notice_period:
        months = contract.notice_unit == NoticeUnit.MONTHS
        if months and contract.notice_period > MAX_NOTICE_MONTHS:
            add(
                "notice_period",
                _("A notice period is at most %(months)d months.") % {"months": MAX_NOTICE_MONTHS},
            )
        elif end is not None:
            notice = dates.notice_date(end, contract.notice_period, contract.notice_unit)
            if start and notice is not None and notice < start:
                add("notice_period", _("The notice date would fall before the start date."))
            elif contract.auto_renews and contract.renewal_months:
                renewed_end = dates.term(contract, 1).end
                renewed_notice = dates.notice_date(
                    renewed_end, contract.notice_period, contract.notice_unit
                )
                if renewed_notice is not None and renewed_notice <= end:
                    add(
                        "notice_period",
                        _("The notice period must be shorter than the renewal term."),
                    )
    has_amount = contract.commitment_amount is not None
    if has_amount and not contract.commitment_currency:
        add("commitment_currency", _("Give the currency of the volume commitment."))
    if contract.commitment_currency and not has_amount:
        add("commitment_amount", _("Give the amount of the volume commitment."))
    if has_amount and contract.commitment_period == CommitmentPeriod.TERM and end is None:
        add(
            "commitment_period",
            _("A commitment over the whole term needs an end date; choose each contract year."),
        )
    if contract.covers_group and contract.account.group_root_id not in (None, contract.account_id):
        add(
            "covers_group",
            _("Only a contract with the top account of a customer group can cover the group."),
        )
    if errors:
        raise ValidationError(errors)


def _check_number(contract: Contract) -> None:
    taken = Contract.objects.filter(account_id=contract.account_id, number=contract.number)
    if contract.pk:
        taken = taken.exclude(pk=contract.pk)
    if contract.number and taken.exists():
        raise ValidationError(
            {"number": _("This account already has a contract with this number.")}
        )


def _validate(contract: Contract) -> None:
    errors: dict[str, list[str]] = {}
    try:
        contract.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for check in (check_terms, _check_number):
        try:
            check(contract)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in errors:
                    errors[name] = messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_create(*, actor: Actor, account: Account, via: str = "web", **fields: Any) -> Contract:
    _require_edit(actor, account)
    _check_fields(fields, (*CONTRACT_FIELDS, *IMPORT_FIELDS), "contract_create")
    contract = Contract(account=account, **_normalise(fields))
    _validate(contract)
    contract.save()
    audit.record_create(actor=actor, instance=contract, via=via)
    return contract


@transaction.atomic
def contract_update(
    *, actor: Actor, contract: Contract, via: str = "web", **fields: Any
) -> Contract:
    """Change a contract; records each field's old and new value."""
    _require_edit(actor, contract)
    _check_fields(fields, CONTRACT_FIELDS, "contract_update")
    fields = _normalise(fields)
    before = audit.snapshot(contract, list(fields))
    for name, value in fields.items():
        setattr(contract, name, value)
    _validate(contract)
    contract.save()
    audit.record_update(actor=actor, instance=contract, before=before, via=via)
    return contract


# --- files --------------------------------------------------------------------------------


def _file_entry(actor: Actor, record: ContractFile, action: str, via: str) -> AuditEntry:
    """A file's audit entry, on its contract's account (a file is no field of a form:
    its name, size and contract are what the history shows)."""
    values = {"contract": record.contract_id, "name": record.name, "size": record.size}
    if action == AuditEntry.Action.DELETE:
        changes = {name: [value, None] for name, value in values.items()}
    else:
        changes = {name: [None, value] for name, value in values.items()}
    entry = audit.build_entry(actor=actor, instance=record, action=action, changes=changes, via=via)
    entry.account_id = record.contract.account_id
    return entry


@transaction.atomic
def contract_file_add(
    *, actor: Actor, contract: Contract, upload: UploadedFile, via: str = "web"
) -> ContractFile:
    """Attach a file; it is stored under MEDIA_ROOT (contracts/<account>/<contract>/)."""
    _require_edit(actor, contract)
    try:
        bounds.check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = bounds.stored_file_name(upload.name or "upload")
    record = ContractFile(
        contract=contract,
        name=name,
        size=upload.size or 0,
        content_type=(upload.content_type or "")[:100],
        uploaded_by=actor,
    )
    record.file.save(name, upload, save=False)
    stored = str(record.file.name)
    try:
        record.save()
        _file_entry(actor, record, AuditEntry.Action.CREATE, via).save()
    except Exception:
        record.file.storage.delete(stored)
        raise
    return record


@transaction.atomic
def contract_file_delete(*, actor: Actor, record: ContractFile, via: str = "web") -> None:
    """Remove an attached file (put there by mistake); its history entry stays. The bytes
    go once the removal is committed."""
    _require_edit(actor, record.contract)
    entry = _file_entry(actor, record, AuditEntry.Action.DELETE, via)
    storage, name = record.file.storage, str(record.file.name)
    record.delete()
    entry.save()
    transaction.on_commit(lambda: storage.delete(name))
