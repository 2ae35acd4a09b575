"""`kam import`: summary on stdout, errors listed, exit code 1 on a rejected file."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openkam.ledger.models import Invoice

GOOD = (
    "Numer faktury;Data wystawienia;Kontrahent;Indeks;Ilość;Wartość netto;Uwagi\n"
    "FV/1;01.03.2024;K1;P1;2;1 234,56;pilne\n"
)


def kam_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue()


def test_import_prints_a_summary(erp, write_file):
    output = kam_import("invoices", write_file("i.csv", GOOD), "--map", "Uwagi=-")
    assert "created 1, updated 0, unchanged 0" in output
    assert Invoice.objects.filter(number="FV/1").exists()


def test_mapping_file_is_applied(erp, write_file, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Uwagi": "return_reason"}))
    kam_import("invoices", write_file("i.csv", GOOD), "--mapping-file", mapping)
    assert Invoice.objects.get(number="FV/1").lines.get().return_reason == "pilne"


def test_dry_run_writes_nothing(erp, write_file):
    output = kam_import("invoices", write_file("i.csv", GOOD), "--map", "Uwagi=-", "--dry-run")
    assert "dry run" in output
    assert not Invoice.objects.exists()


def test_rejected_file_lists_errors_and_fails(erp, write_file):
    path = write_file("i.csv", GOOD.replace("01.03.2024", "31.02.2024"))
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import", "invoices", str(path), "--map", "Uwagi=-", "--no-progress", stdout=out
        )
    assert raised.value.returncode == 1
    assert "2\tinvoice_date\tbad date" in out.getvalue()
    assert not Invoice.objects.exists()


def test_unknown_mapping_target_is_refused(erp, write_file):
    with pytest.raises(CommandError, match="unknown invoices column"):
        kam_import("invoices", write_file("i.csv", GOOD), "--map", "Uwagi=remarks")


@pytest.mark.django_db(transaction=True)
def test_exit_code_is_1_when_the_file_is_rejected(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "a.csv"
    path.write_text("external_id,name\nX1,\n")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["kam", "import", "accounts", str(path), "--no-progress"]).execute()
    assert exited.value.code == 1
    assert "2\tname\tmissing required field" in capsys.readouterr().out
