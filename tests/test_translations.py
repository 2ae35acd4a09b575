"""The Polish and Russian catalogues: complete, consistent with the English, compiled, shown.

Every entry must be translated (no empty strings, nothing fuzzy), keep each placeholder and
HTML tag of its msgid, and use the three plural forms of each language. Pages render in the
language chosen with Django's set-language view.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest

from openkam.catalogues import LOCALE_DIR, compile_catalogue, ensure_compiled, stale_catalogues

LANGUAGES = ("pl", "ru")

# %(name)s, %s, %d, %(points).1f, %(growth)+.0f, %% ... A space after % is not taken as a
# flag: "change % from last period" is prose, although xgettext flags it as python-format.
PYTHON_FORMAT = re.compile(r"%(?:\([^)]*\))?[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_FORMAT = re.compile(r"\{\w*\}")
HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def markup(text: str) -> Counter:
    """The placeholders and HTML tags a translation must keep, with their counts."""
    return (
        Counter(PYTHON_FORMAT.findall(text))
        + Counter(BRACE_FORMAT.findall(text))
        + Counter(f"<{tag}>" for tag in HTML_TAG.findall(text))
    )


def markup_problems(entry: polib.POEntry) -> list[str]:
    """Each translation (each plural form) against the markup of its English source."""
    if entry.msgid_plural:
        expected = markup(entry.msgid_plural)
        translations = [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    else:
        expected = markup(entry.msgid)
        translations = [entry.msgstr]
    problems = []
    for translation in translations:
        found = markup(translation)
        if found != expected:
            problems.append(
                f"{entry.msgid!r} -> {translation!r}: "
                f"missing {sorted((expected - found).elements())}, "
                f"extra {sorted((found - expected).elements())}"
            )
    return problems


def test_markup_check_catches_lost_and_added_placeholders_and_tags():
    good = polib.POEntry(msgid="Hello %(name)s, <b>%s</b>", msgstr="Cześć %(name)s, <b>%s</b>")
    assert markup_problems(good) == []
    renamed = polib.POEntry(msgid="Hello %(name)s", msgstr="Cześć %(imie)s")
    assert len(markup_problems(renamed)) == 1
    lost_tag = polib.POEntry(msgid="<code>kam</code> runs", msgstr="kam działa")
    assert len(markup_problems(lost_tag)) == 1
    lost_percent = polib.POEntry(msgid="80%% of revenue", msgstr="80% przychodów")
    assert len(markup_problems(lost_percent)) == 1
    plural = polib.POEntry(
        msgid="%(n)s day",
        msgid_plural="%(n)s days",
        msgstr_plural={0: "%(n)s dzień", 1: "%(n)s dni", 2: "dni"},
    )
    assert len(markup_problems(plural)) == 1
    prose = polib.POEntry(msgid="change % from last period", msgstr="zmiana % względem okresu")
    assert markup_problems(prose) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_nothing_is_fuzzy(language):
    po = catalogue(language)
    entries = [entry for entry in po if not entry.obsolete]
    assert len(entries) > 1000  # the whole interface, not a sample
    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []
    empty = [
        entry.msgid
        for entry in entries
        if (
            any(not form.strip() for form in entry.msgstr_plural.values())
            if entry.msgid_plural
            else not entry.msgstr.strip()
        )
    ]
    assert empty == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_three_plural_forms(language):
    po = catalogue(language)
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    plurals = [entry for entry in po if entry.msgid_plural and not entry.obsolete]
    assert plurals
    assert [entry.msgid for entry in plurals if sorted(entry.msgstr_plural) != [0, 1, 2]] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(language):
    problems = [problem for entry in catalogue(language) for problem in markup_problems(entry)]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_not_left_in_english(language):
    # Words may be the same (PDF, KAM, Administrator, Segment ...); phrases of several may not.
    untouched = [
        entry.msgid
        for entry in catalogue(language)
        if not entry.msgid_plural
        and len(entry.msgid.split()) > 2
        and entry.msgstr == entry.msgid
        and "%(" not in entry.msgid
    ]
    assert untouched == []


def copy_locale(tmp_path: Path) -> Path:
    target = tmp_path / "locale"
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        destination = target / po.relative_to(LOCALE_DIR)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(po, destination)
    return target


def test_missing_and_outdated_catalogues_are_compiled_and_then_left_alone(tmp_path):
    locale = copy_locale(tmp_path)
    assert len(stale_catalogues(locale)) == 2  # a fresh clone: no .mo at all
    written = ensure_compiled(locale)
    assert sorted(mo.parent.parent.name for mo in written) == ["pl", "ru"]
    assert stale_catalogues(locale) == []
    assert ensure_compiled(locale) == []

    po = locale / "pl" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    later = mo.stat().st_mtime + 10
    os.utime(po, (later, later))  # the .po changed after the last compile
    assert stale_catalogues(locale) == [po]
    assert ensure_compiled(locale) == [mo]


def test_compiled_catalogue_translates_with_plural_forms_and_skips_fuzzy(tmp_path):
    locale = copy_locale(tmp_path)
    po_path = locale / "ru" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find("Accounts").flags.append("fuzzy")
    po.save()
    with compile_catalogue(po_path).open("rb") as handle:
        russian = gettext.GNUTranslations(handle)
    assert russian.gettext("Accounts") == "Accounts"  # fuzzy: not used, as with msgfmt
    assert russian.gettext("Plans") == "Планы"
    days = [russian.ngettext("%(days)s day ago", "%(days)s days ago", n) for n in (1, 3, 5, 21)]
    assert days == [
        "%(days)s день назад",
        "%(days)s дня назад",
        "%(days)s дней назад",
        "%(days)s день назад",
    ]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Accounts", "Planner", "Log out"]),
        ("pl", ["Klienci", "Planer", "Wyloguj się"]),
        ("ru", ["Клиенты", "Планировщик", "Выйти"]),
    ],
)
def test_pages_speak_the_language_chosen(client, company, language, words):
    client.force_login(company["owner"])
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/"})
    assert response.status_code == 302
    page = client.get("/accounts/").content.decode()
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page


def test_plural_forms_reach_the_page(client, company):
    # The owner sees accounts A and A1: two accounts is the Russian "few" form.
    client.force_login(company["owner"])
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/accounts/").content.decode()
    assert "2 клиента" in page
