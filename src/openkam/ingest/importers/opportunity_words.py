"""How an opportunities file names what the product keeps as codes and records: types,
stages, lost reasons, owners, product lines.

Each is read in any case and with any spacing: a type or a lost reason by its code, its
label in English, Polish or Russian (as the pages show it) or a common synonym; a stage
by its code, its name, or (a built-in stage the company has not renamed) its name in
any of the three languages; an owner by username or e-mail; a product line as the
catalogue spells it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from openkam.ingest.parsing import BadValue, parse_int
from openkam.ledger.models import Product
from openkam.opportunities.models import DEFAULT_STAGE_NAMES, Kind, LostReason, Stage
from openkam.users.models import User
from openkam.users.selectors import work_owners

Value = TypeVar("Value")

# What CRMs and ERPs write beyond our own labels.
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    Kind.NEW: ("new", "new customer", "nowy klient", "nowa sprzedaż", "nowy biznes",
               "новый клиент", "новая продажа", "новый бизнес"),
    Kind.UPSELL: ("upsell", "up-sell", "upselling", "dosprzedaż", "допродажа", "апсейл"),
    Kind.CROSS_SELL: ("cross-sell", "cross sell", "cross-selling", "sprzedaż krzyżowa",
                      "кросс-продажа", "перекрестная продажа", "кросс-сейл"),
    Kind.RENEWAL: ("renewal", "odnowienie", "przedłużenie", "продление", "возобновление"),
}  # fmt: skip
LOST_SYNONYMS: dict[str, tuple[str, ...]] = {
    LostReason.PRICE: ("price", "cena", "za drogo", "цена", "дорого"),
    LostReason.COMPETITOR: ("competitor", "konkurencja", "konkurent", "конкурент",
                            "конкуренты"),
    LostReason.NO_BUDGET: ("budget", "budżet", "бюджет"),
    LostReason.NO_DECISION: ("no decision", "brak decyzji", "нет решения"),
    LostReason.TIMING: ("timing", "termin", "czas", "сроки", "время"),
    LostReason.PRODUCT: ("product", "produkt", "продукт"),
    LostReason.CREDIT: ("credit", "kredyt", "warunki płatności", "кредит",
                        "условия оплаты"),
    LostReason.OTHER: ("other", "inne", "inny", "другое", "прочее"),
}  # fmt: skip


def key(text: str) -> str:
    """How names compare: case, spacing and ё/е do not matter."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").casefold().split())


def in_every_language(label) -> set[str]:
    """A translatable label as each of the product's languages reads it."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(label))
    return names


def choice_words(
    choices: type[TextChoices], synonyms: Mapping[str, tuple[str, ...]]
) -> dict[str, str]:
    """Each code, label (in every language) and synonym -> the code it names."""
    words: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        for name in {value, *in_every_language(label), *synonyms.get(value, ())}:
            words[key(name)] = value
    return words


def named(words: dict[str, Value], raw: str, what: str) -> Value:
    """The value a cell names, or BadValue listing what the column accepts."""
    found = words.get(key(raw))
    if found is None:
        raise BadValue(
            _("%(value)s is no %(what)s we know (use its code or its name in English, Polish "
              "or Russian)") % {"value": repr(raw), "what": what}
        )  # fmt: skip
    return found


def stage_words() -> dict[str, Stage]:
    """Codes and names of every stage -> the stage; a stage in use wins a name it shares
    with one no longer in use, and a code wins over a name."""
    stages = sorted(Stage.objects.all(), key=lambda stage: (stage.is_active, stage.position))
    words: dict[str, Stage] = {}
    for stage in stages:
        if stage.name:
            words[key(stage.name)] = stage
        elif stage.code in DEFAULT_STAGE_NAMES:
            for name in in_every_language(DEFAULT_STAGE_NAMES[stage.code]):
                words[key(name)] = stage
    for stage in stages:
        words[key(stage.code)] = stage
    return words


def percent(raw: str) -> int:
    """A whole percent, 0 to 100: `40`, `40%`, `40 %`."""
    text = raw.strip().removesuffix("%").strip()
    try:
        value = parse_int(text)
    except BadValue:
        value = -1
    if not 0 <= value <= 100:
        raise BadValue(_("%(value)s is not a whole percent from 0 to 100") % {"value": repr(raw)})
    return value


class Owners:
    """The people work may be given to, by username or e-mail."""

    def __init__(self) -> None:
        self.by_name: dict[str, User] = {}
        self.by_email: dict[str, list[User]] = {}
        for user in work_owners():
            self.by_name[key(user.username)] = user
            if user.email:
                self.by_email.setdefault(key(user.email), []).append(user)

    def find(self, raw: str) -> User:
        user = self.by_name.get(key(raw))
        if user is not None:
            return user
        matches = self.by_email.get(key(raw), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise BadValue(
                _("%(value)s is the e-mail of more than one user: name the owner by username")
                % {"value": repr(raw)}
            )
        raise BadValue(
            _("%(value)s is no active user who may own work (give a username or an e-mail)")
            % {"value": repr(raw)}
        )


def split_names(raw: str) -> list[str]:
    """`Mąki; Tłuszcze, Słodziki` -> the names, each once (the first spelling kept)."""
    names: dict[str, str] = {}
    for part in raw.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name:
            names.setdefault(key(name), name)
    return list(names.values())


class ProductLines:
    """The catalogue's product lines, as the opportunity form offers them."""

    def __init__(self) -> None:
        lines = Product.objects.exclude(product_line="").values_list("product_line", flat=True)
        self.lines = {key(line): line for line in lines.distinct()}

    def find(self, names: Iterable[str]) -> list[str]:
        found, unknown = [], []
        for name in names:
            line = self.lines.get(key(name))
            if line is None:
                unknown.append(name)
            else:
                found.append(line)
        if unknown:
            raise BadValue(
                _("%(names)s: no such product line in the catalogue (known: %(known)s)")
                % {"names": ", ".join(repr(name) for name in unknown),
                   "known": ", ".join(sorted(self.lines.values())) or "—"}
            )  # fmt: skip
        return found
