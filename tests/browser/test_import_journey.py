"""Journey 1 in the browser: a head uploads the ERP's accounts file and watches the
import job finish on its page, which polls its progress without a reload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
SAMPLE_ACCOUNTS = ["Alfa Hurt", "Alfa Logistyka", "Beta Market", 'ООО "Ромашка"', 'АО "Север"']


@pytest.fixture
def head(live_server, make_user):
    from openkam.users.models import Role

    return make_user("head", Role.HEAD)


@pytest.fixture
def media(settings, tmp_path):
    # The live server runs in this process, so it stores uploads here too.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def wait_until(page, condition, *, tries: int = 100) -> None:
    """Let the browser run (routes fire only inside Playwright calls) until condition()."""
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the browser never did what the test waited for")


def upload_file(page, kind: str, path: Path, source: str = "") -> None:
    """From any page: the Import link in the navigation, the form filled, sent."""
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="Import").click()
    page.select_option("#id_kind", kind)
    if source:
        page.fill("#id_source", source)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()


def upload_sample_accounts(page) -> None:
    upload_file(page, "accounts", SAMPLES / "accounts.csv")


def test_head_imports_accounts_and_the_job_page_shows_the_result_without_reload(
    page, login, head, media
):
    from openkam.core.jobs import execute_job
    from openkam.core.models import Job

    login("head")
    # Hold the page's progress polls while the job runs, so the live server and this
    # thread never use the database at once; the held polls then bring the result.
    held_polls = []
    holding = True

    def hold(route):
        if holding:
            held_polls.append(route)
        else:
            route.continue_()

    page.route("**/progress/", hold)
    upload_sample_accounts(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("accounts.csv")
    page.evaluate("window.stillTheSamePage = true")
    wait_until(page, lambda: held_polls)

    job = execute_job(Job.objects.get(kind="import").pk)  # what `kam worker` does
    assert job.status == Job.Status.SUCCEEDED, job.log
    holding = False
    for poll in held_polls:
        poll.continue_()

    progress = page.locator("#job-progress")
    expect(progress).to_contain_text("Imported")
    expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))
    assert page.evaluate("window.stillTheSamePage === true")


def test_imported_accounts_appear_in_the_list_with_their_own_script(page, login, head, media):
    from openkam.core.jobs import execute_job
    from openkam.core.models import Job

    login("head")
    upload_sample_accounts(page)
    page.goto("about:blank")  # nothing polls while the job runs
    execute_job(Job.objects.get(kind="import").pk)
    page.goto(reverse("accounts:list"))
    accounts_table = page.locator("#account-results")
    for name in SAMPLE_ACCOUNTS:
        expect(accounts_table).to_contain_text(name)


ENOVA_ACCOUNTS = (
    "Kod klienta;Pełna nazwa;NIP;Miejscowość;Opiekun\n"
    "E001;Hurtownia Wisła Sp. z o.o.;5260250995;Kraków;Jan\n"
    "E002;Delikatesy Odra S.A.;;Wrocław;Ewa\n"
)


def test_head_maps_an_erps_headers_once_and_the_next_file_needs_no_mapping(
    page, login, head, media, tmp_path
):
    """Journey 1: the ERP's own headers are matched on the page, column by column with
    the file's first values, remembered for the source, and not asked for again."""
    from openkam.accounts.models import Account
    from openkam.core.jobs import execute_job
    from openkam.core.models import Job

    export = tmp_path / "klienci.csv"
    export.write_bytes(ENOVA_ACCOUNTS.encode("cp1250"))
    login("head")
    upload_file(page, "accounts", export, source="enova")

    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    expect(page.locator("table")).to_contain_text(
        "Hurtownia Wisła Sp. z o.o. · Delikatesy Odra S.A."
    )
    # "NIP" and "Miejscowość" are known aliases: already chosen.
    expect(page.get_by_label("NIP")).to_have_value("tax_id")
    page.get_by_label("Kod klienta").select_option("external_id")
    page.get_by_label("Pełna nazwa").select_option("name")
    page.get_by_label("Opiekun").select_option("-")
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("klienci.csv")
    page.goto("about:blank")  # nothing polls while the job runs
    job = execute_job(Job.objects.get(kind="import").pk)
    assert job.result["ok"], job.result
    assert Account.objects.get(source="enova", external_id="E001").city == "Kraków"

    # The next export from the same ERP goes straight to its import; the mapping is listed.
    page.goto(reverse("ingest:upload"))
    expect(page.locator("body")).to_contain_text("Saved column mappings")
    page.goto(reverse("home"))
    upload_file(page, "accounts", export, source="enova")
    expect(page.get_by_role("heading", level=1)).to_contain_text("klienci.csv")
