"""Polish and Russian pages hold no English: every page of the permission matrix, rendered
in each language, is searched for words of the product's English texts.

A word counts as English when it appears in an English source text (a msgid of the
catalogue) and in none of that language's translations, so names the translations keep
(OpenKAM, PDF, NIP, ABC) pass by themselves. Data the test world holds (people's and
companies' names, free text typed in) is taken out first. What is left is a string that
was never marked for translation, or was translated at the wrong moment (stored in
English, formatted before the language was known).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from matrix_rows.world import ROUTES, build_world

from openkam.catalogues import LOCALE_DIR

LANGUAGES = ("pl", "ru")
# Shown as typed or as the standard writes them, in every language.
ALLOWED = {
    "openkam", "email", "e-mail", "html", "json", "csv", "xlsx", "xls", "vcard", "api",
    "ics", "iban", "swift", "http", "https", "www",
    "english",  # the language menu names each language in its own words
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Text users see outside the element text: tooltips, placeholders, labels for screen readers.
SEEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-revenue-label",
                   "data-margin-label")  # fmt: skip


# Not prose: code, and the identifiers a file's header may use in any language (<code>).
HIDDEN_TAGS = ("script", "style", "template", "code")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        for name, value in attrs:
            if name in SEEN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {word.lower() for word in WORD.findall(" ".join(parser.parts))}


def _words(texts) -> set[str]:
    return {word.lower() for text in texts for word in WORD.findall(text or "")}


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, set[str]]:
    """Per language: the English words no translation of that language uses."""
    english_by_language = {}
    for language in LANGUAGES:
        po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
        english = _words(e.msgid for e in po) | _words(e.msgid_plural for e in po)
        translated = _words(e.msgstr for e in po) | _words(
            text for e in po for text in e.msgstr_plural.values()
        )
        english_by_language[language] = english - translated - ALLOWED
    return english_by_language


def _data_words(world) -> set[str]:
    """Names and free text of the test world's records: data, not product text."""
    from django.apps import apps
    from django.db import models

    words: set[str] = set()
    for model in apps.get_models():
        # Every app's records but the audit log and jobs (whose text the product writes).
        if not model.__module__.startswith("openkam.") or model._meta.app_label == "core":
            continue
        text_fields = [
            f.attname for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]  # fmt: skip
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            words |= _words(str(value) for value in row if value)
    return words


PAGES = [
    r
    for r in ROUTES
    if r.method == "GET" and not r.is_api and r.status == 200 and r.ok - {"anonymous"}
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_on_any_page(client, company, vocabulary, language):
    world = build_world(company)
    data = _data_words(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found: dict[str, set[str]] = {}
    for route in PAGES:
        persona = "head" if "head" in route.ok else sorted(route.ok - {"anonymous"})[0]
        client.force_login(company[persona])
        response = client.get(route.path.format(**world["ids"]))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        english = visible_words(response.content.decode()) & vocabulary[language]
        english -= data
        if english:
            found[route.path] = english
    assert found == {}, "\n".join(f"{path}: {' '.join(sorted(w))}" for path, w in found.items())
