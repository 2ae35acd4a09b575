"""The documented columns of each import kind, the ERP header aliases we know, and mapping.

A header cell is matched, in order, against the user's mapping, our documented column
names and the built-in Polish and Russian aliases (case, spaces and punctuation at the
ends do not matter). A mapping target of `-` ignores a column.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from openkam.ingest.errors import ImportFileError, RowError

TEXT, NUMBER, MONEY, QUANTITY, DATE, INT = "text", "number", "money", "quantity", "date", "int"
IGNORE = "-"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    max_length: int = 0
    aliases: tuple[str, ...] = ()
    # What the column holds where one kind means something else by a shared name (the
    # `kind` of an opportunity is not a contract's type); empty: COLUMN_LABELS says.
    help: str | Promise = ""

    @property
    def label(self) -> str:
        """What the column holds, in the reader's language (the name stays the header)."""
        return str(self.help or COLUMN_LABELS.get(self.name, self.name))


# The column names are the headers a file may use in any language; these say what each is.
COLUMN_LABELS = {
    "external_id": gettext_lazy("the record's id in the ERP"),
    "name": gettext_lazy("name"),
    "legal_form": gettext_lazy("legal form"),
    "tax_id": gettext_lazy("tax id (NIP, INN)"),
    "kpp": gettext_lazy("KPP (Russian registration reason code, nine digits)"),
    "country": gettext_lazy("country (two letters)"),
    "region": gettext_lazy("region"),
    "city": gettext_lazy("city"),
    "industry": gettext_lazy("industry"),
    "segment": gettext_lazy("segment"),
    "currency": gettext_lazy("currency (three letters)"),
    "parent_id": gettext_lazy("the parent customer's ERP id"),
    "account_id": gettext_lazy("the customer's ERP id"),
    "account_tax_id": gettext_lazy("the customer's tax id (NIP, INN), instead of its ERP id"),
    "last_name": gettext_lazy("last name"),
    "first_name": gettext_lazy("first name"),
    "position": gettext_lazy("position"),
    "department": gettext_lazy("department"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "sku": gettext_lazy("product code (SKU)"),
    "product_line": gettext_lazy("product line"),
    "unit": gettext_lazy("unit of measure"),
    "invoice_number": gettext_lazy("invoice number"),
    "line_no": gettext_lazy("line number on the invoice"),
    "invoice_date": gettext_lazy("invoice date"),
    "due_date": pgettext_lazy("invoice", "due date"),
    "quantity": gettext_lazy("quantity"),
    "net_amount": gettext_lazy("net amount"),
    "gross_amount": gettext_lazy("gross amount (with VAT)"),
    "cost_amount": gettext_lazy("cost (purchase value)"),
    "return_reason": gettext_lazy("reason for a return"),
    "payment_date": gettext_lazy("payment date"),
    "number": gettext_lazy("contract number"),
    "kind": gettext_lazy("contract type: framework, supply or service"),
    "status": gettext_lazy("status: active (default), draft, ended or terminated"),
    "start_date": gettext_lazy("start date"),
    "end_date": gettext_lazy("end date (empty: open-ended)"),
    "auto_renews": gettext_lazy("renews automatically (yes/no)"),
    "renewal_months": gettext_lazy("renewal term (months)"),
    "notice_days": gettext_lazy("notice period (days)"),
    "payment_terms_days": gettext_lazy("payment terms (days)"),
    "price_tier": gettext_lazy("price tier"),
    "discount_pct": gettext_lazy("agreed discount (%)"),
    "commitment_amount": gettext_lazy("volume commitment (net)"),
    "commitment_currency": gettext_lazy("currency of the volume commitment"),
    "amount": gettext_lazy("amount"),
    "document_number": gettext_lazy("the ERP's document number (an invoice, a credit note)"),
    "document_date": gettext_lazy("document date"),
    "as_of": gettext_lazy("the day the open items are as of (one day per file)"),
    "price_list": gettext_lazy("price list name"),
    "valid_from": gettext_lazy("valid from (date)"),
    "valid_to": gettext_lazy("valid to (date; empty: until further notice)"),
    "tier": gettext_lazy("price tier (a column of the price list)"),
    "unit_price": gettext_lazy("unit price (net)"),
    "min_quantity": gettext_lazy("from quantity (a volume band; empty: the list price)"),
    "band_mode": gettext_lazy("volume bands priced by: range or slab"),
    "min_amount": gettext_lazy("minimum line value"),
    "max_discount_pct": gettext_lazy("largest discount without approval (%)"),
    "priority": gettext_lazy("priority (the highest wins)"),
    "note": gettext_lazy("note"),
    "title": gettext_lazy("the opportunity's title"),
    "value": gettext_lazy("the opportunity's value"),
    "stage": gettext_lazy("stage: its code or its name (English, Polish or Russian)"),
    "probability": gettext_lazy("probability (%); empty: the stage's"),
    "expected_close": gettext_lazy("expected close (date)"),
    "owner": gettext_lazy("owner: username or e-mail; empty: the account's KAM"),
    "product_lines": gettext_lazy("product lines, separated by ; or ,"),
    "competitors": gettext_lazy("competitors' names, separated by ; or ,"),
    "lost_reason": gettext_lazy("lost reason (required at a lost stage)"),
    "lost_note": gettext_lazy("about the loss (at a lost stage)"),
    "closed_on": gettext_lazy("closed on (date, at a won or lost stage; empty: the import's day)"),
    "description": gettext_lazy("description"),
}


def _c(name, type=TEXT, required=False, max_length=0, aliases=(), help=""):
    return Column(name, type, required, max_length, tuple(aliases), help)


ACCOUNT_ID_ALIASES = (
    "Kontrahent", "Kod kontrahenta", "Id kontrahenta", "Nabywca",
    "Контрагент", "Код контрагента", "Покупатель",
)  # fmt: skip
ACCOUNT_TAX_ID_ALIASES = (
    "NIP", "NIP nabywcy", "NIP kontrahenta", "ИНН", "ИНН покупателя", "ИНН контрагента",
)  # fmt: skip
SKU_ALIASES = ("Indeks", "Kod towaru", "Symbol", "Артикул", "Код товара")
PRODUCT_LINE_ALIASES = ("Grupa towarowa", "Grupa", "Группа", "Товарная группа")
VALID_FROM_ALIASES = (
    "Obowiązuje od", "Ważny od", "Ważna od", "Data od", "Действует с", "Действует от",
    "Дата начала действия", "Дата начала",
)  # fmt: skip
VALID_TO_ALIASES = (
    "Obowiązuje do", "Ważny do", "Ważna do", "Data do", "Действует по", "Действует до",
    "Дата окончания действия", "Дата окончания",
)  # fmt: skip
# 1C calls a price list's column its "price type" (Вид цен: Оптовая, Розничная).
TIER_ALIASES = (
    "Poziom cen", "Grupa cenowa", "Rodzaj ceny", "Kolumna cennika", "Вид цен", "Тип цен",
    "Колонка прайса",
)  # fmt: skip
MIN_QUANTITY_ALIASES = (
    "Od ilości", "Ilość od", "Próg ilościowy", "Minimalna ilość", "От количества",
    "Количество от", "Минимальное количество",
)  # fmt: skip

COLUMNS: dict[str, tuple[Column, ...]] = {
    "accounts": (
        _c("external_id", required=True, max_length=100,
           aliases=("Kod kontrahenta", "Kod", "Identyfikator", "Код", "Код контрагента")),
        _c("name", required=True, max_length=250,
           aliases=("Nazwa", "Nazwa kontrahenta", "Nazwa pełna", "Наименование", "Контрагент",
                    "Полное наименование")),
        _c("legal_form", max_length=40, aliases=("Forma prawna", "ОПФ",
           "Организационно-правовая форма")),
        _c("tax_id", max_length=32, aliases=("NIP", "ИНН")),
        _c("kpp", max_length=9, aliases=("КПП", "KPP")),
        _c("country", max_length=2, aliases=("Kraj", "Страна")),
        _c("region", max_length=100, aliases=("Województwo", "Region", "Регион")),
        _c("city", max_length=100, aliases=("Miasto", "Miejscowość", "Город")),
        _c("industry", max_length=100, aliases=("Branża", "Отрасль")),
        _c("segment", max_length=100, aliases=("Segment", "Сегмент")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("parent_id", max_length=100,
           aliases=("Kontrahent nadrzędny", "Kod nadrzędnego", "Centrala",
                    "Головной контрагент", "Код головного контрагента")),
    ),
    "contacts": (
        _c("external_id", required=True, max_length=100,
           aliases=("Kod osoby", "Identyfikator", "Код", "Код контакта")),
        _c("account_id", required=True, max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("last_name", required=True, max_length=100, aliases=("Nazwisko", "Фамилия")),
        _c("first_name", max_length=100, aliases=("Imię", "Имя")),
        _c("position", max_length=150, aliases=("Stanowisko", "Должность")),
        _c("department", max_length=150, aliases=("Dział", "Отдел", "Подразделение")),
        _c("email", max_length=254, aliases=("E-mail", "Email", "Адрес электронной почты",
                                             "Эл. почта")),
        _c("phone", max_length=50, aliases=("Telefon", "Телефон")),
    ),
    "products": (
        _c("sku", required=True, max_length=64,
           aliases=("Indeks", "Kod towaru", "Symbol", "Артикул", "Код товара")),
        _c("name", required=True, max_length=250,
           aliases=("Nazwa", "Nazwa towaru", "Наименование", "Номенклатура")),
        _c("product_line", max_length=100,
           aliases=("Grupa towarowa", "Grupa", "Группа", "Товарная группа")),
        _c("unit", max_length=20, aliases=("Jednostka", "J.m.", "Jm", "Ед. изм.", "Единица")),
    ),
    "invoices": (
        _c("invoice_number", required=True, max_length=64,
           aliases=("Numer faktury", "Nr faktury", "Numer dokumentu", "Номер документа",
                    "Номер счета-фактуры", "Номер")),
        _c("line_no", INT, aliases=("Lp.", "Lp", "Pozycja", "Nr pozycji", "Номер строки",
                                    "№ п/п", "N п/п")),
        _c("invoice_date", DATE, required=True,
           aliases=("Data wystawienia", "Data faktury", "Data", "Дата", "Дата документа")),
        _c("due_date", DATE, aliases=("Termin płatności", "Срок оплаты")),
        _c("account_id", max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("sku", required=True, max_length=64,
           aliases=("Indeks", "Kod towaru", "Symbol", "Артикул", "Код товара")),
        _c("quantity", QUANTITY, required=True, aliases=("Ilość", "Количество")),
        _c("net_amount", MONEY, required=True,
           aliases=("Wartość netto", "Netto", "Сумма без НДС", "Сумма")),
        _c("gross_amount", MONEY,
           aliases=("Wartość brutto", "Brutto", "Kwota brutto", "Сумма с НДС", "Всего с НДС",
                    "Сумма всего")),
        _c("cost_amount", MONEY, aliases=("Koszt", "Wartość zakupu", "Себестоимость")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("return_reason", max_length=200, aliases=("Przyczyna zwrotu", "Причина возврата")),
    ),
    "payments": (
        # Optional: settlement exports often have no payment number (see PaymentImporter).
        _c("external_id", max_length=100,
           aliases=("Numer wpłaty", "Numer dokumentu", "Id płatności", "Номер платежа",
                    "Номер документа")),
        _c("account_id", max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("payment_date", DATE, required=True,
           aliases=("Data płatności", "Data zapłaty", "Data", "Дата оплаты", "Дата")),
        _c("amount", MONEY, required=True, aliases=("Kwota", "Kwota wpłaty", "Сумма")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("invoice_number", max_length=64,
           aliases=("Numer faktury", "Nr faktury", "Dokument", "Dokument rozliczany", "Faktura",
                    "Номер счета-фактуры", "Счет-фактура", "Номер счета")),
    ),
    # An ERP's open items (its receivables report) as of one day, when the ERP keeps the
    # ledger (importers/open_items.py). Amount: what is left to pay, negative for a credit.
    "open_items": (
        _c("account_id", max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("document_number", required=True, max_length=64,
           aliases=("Numer dokumentu", "Nr dokumentu", "Dokument", "Numer faktury",
                    "Nr faktury", "Документ", "Номер документа", "Документ расчетов",
                    "Документ расчетов с контрагентом", "Счет-фактура")),
        _c("document_date", DATE,
           aliases=("Data dokumentu", "Data wystawienia", "Data faktury", "Дата документа")),
        _c("due_date", DATE,
           aliases=("Termin płatności", "Termin", "Срок оплаты", "Дата оплаты по договору")),
        _c("amount", MONEY, required=True,
           aliases=("Pozostało do zapłaty", "Pozostało", "Do zapłaty", "Kwota pozostała",
                    "Saldo", "Należność", "Остаток", "Остаток долга", "Сумма долга",
                    "Задолженность", "Сумма задолженности", "Долг")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("as_of", DATE,
           aliases=("Stan na dzień", "Na dzień", "Data stanu", "На дату", "Дата остатков",
                    "Дата отчета")),
    ),
    # Contracts go in through the contracts app's services, matched by customer and
    # number (importers/contracts.py).
    "contracts": (
        _c("account_id", max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("number", required=True, max_length=64,
           aliases=("Numer umowy", "Nr umowy", "Numer", "Номер договора", "Номер")),
        _c("kind", required=True, max_length=40,
           # Not 1C's "Вид договора": there it says with whom (a buyer, a supplier).
           aliases=("Typ umowy", "Rodzaj umowy", "Typ", "Тип договора")),
        _c("status", max_length=40, aliases=("Status", "Stan", "Статус", "Состояние")),
        _c("start_date", DATE, required=True,
           aliases=("Data rozpoczęcia", "Obowiązuje od", "Data od", "Data zawarcia",
                    "Дата начала", "Действует с", "Дата начала действия")),
        _c("end_date", DATE,
           aliases=("Data zakończenia", "Obowiązuje do", "Data do", "Дата окончания",
                    "Действует по", "Срок действия", "Дата окончания действия")),
        _c("auto_renews", max_length=20,
           aliases=("Automatyczne przedłużenie", "Autoprzedłużenie", "Przedłużana automatycznie",
                    "Пролонгация", "Автопролонгация", "Автоматическая пролонгация")),
        _c("renewal_months", INT,
           aliases=("Okres przedłużenia (mies.)", "Okres przedłużenia",
                    "Срок пролонгации (мес.)", "Срок пролонгации")),
        _c("notice_days", INT,
           aliases=("Okres wypowiedzenia (dni)", "Okres wypowiedzenia", "Dni wypowiedzenia",
                    "Срок уведомления (дней)", "Срок уведомления")),
        _c("payment_terms_days", INT,
           aliases=("Termin płatności (dni)", "Termin płatności", "Dni płatności",
                    "Отсрочка платежа (дней)", "Отсрочка платежа", "Срок оплаты (дней)")),
        _c("price_tier", max_length=100,
           aliases=("Cennik", "Poziom cen", "Grupa cenowa", "Вид цен", "Тип цен")),
        _c("discount_pct", max_length=20,
           aliases=("Rabat (%)", "Rabat", "Upust", "Скидка (%)", "Скидка")),
        _c("commitment_amount", MONEY,
           aliases=("Minimalny obrót", "Zobowiązanie wolumenowe", "Obrót zobowiązany",
                    "Объем закупок", "Сумма обязательств", "Сумма договора")),
        _c("commitment_currency", max_length=3,
           aliases=("Waluta", "Waluta umowy", "Валюта", "Валюта договора")),
    ),
    # A price list, one row per product and tier; a row with a minimum quantity is a
    # volume band of that product and tier (importers/price_lists.py).
    "price_lists": (
        _c("price_list", required=True, max_length=100,
           aliases=("Cennik", "Nazwa cennika", "Прайс-лист", "Наименование прайс-листа",
                    "Прайс")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("valid_from", DATE, required=True, aliases=VALID_FROM_ALIASES),
        _c("valid_to", DATE, aliases=VALID_TO_ALIASES),
        _c("sku", required=True, max_length=64, aliases=SKU_ALIASES),
        _c("tier", required=True, max_length=100, aliases=TIER_ALIASES),
        _c("unit_price", MONEY, required=True,
           aliases=("Cena", "Cena netto", "Cena jednostkowa", "Цена", "Цена без НДС",
                    "Цена за единицу")),
        _c("min_quantity", QUANTITY, aliases=MIN_QUANTITY_ALIASES),
        _c("band_mode", max_length=40,
           aliases=("Rodzaj progów", "Sposób naliczania progów", "Тип ступеней",
                    "Способ расчета по объему")),
    ),
    # Discount rules by name (importers/discount_rules.py).
    "discount_rules": (
        _c("name", required=True, max_length=100,
           aliases=("Nazwa reguły", "Reguła", "Nazwa", "Название правила", "Правило",
                    "Наименование")),
        _c("tier", max_length=100, aliases=TIER_ALIASES),
        _c("segment", max_length=100, aliases=("Segment", "Сегмент")),
        _c("product_line", max_length=100, aliases=PRODUCT_LINE_ALIASES),
        _c("min_quantity", QUANTITY, aliases=MIN_QUANTITY_ALIASES),
        _c("min_amount", MONEY,
           aliases=("Od wartości", "Wartość od", "Minimalna wartość", "От суммы", "Сумма от",
                    "Минимальная сумма")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("max_discount_pct", required=True, max_length=20,
           aliases=("Maks. rabat (%)", "Maksymalny rabat", "Rabat maksymalny", "Rabat (%)",
                    "Rabat", "Максимальная скидка (%)", "Максимальная скидка", "Скидка (%)",
                    "Скидка")),
        _c("priority", INT, aliases=("Priorytet", "Приоритет")),
        _c("valid_from", DATE, required=True, aliases=VALID_FROM_ALIASES),
        _c("valid_to", DATE, aliases=VALID_TO_ALIASES),
        _c("note", max_length=2000, aliases=("Uwagi", "Opis", "Комментарий", "Примечание")),
    ),
    # Orders go in through the sales app's credit gate, matched by customer and number
    # (importers/orders.py).
    "orders": (
        _c("account_id", max_length=100, aliases=ACCOUNT_ID_ALIASES),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("number", required=True, max_length=60,
           aliases=("Numer zamówienia", "Nr zamówienia", "Numer", "Номер заказа", "Номер")),
        _c("order_date", DATE, required=True,
           aliases=("Data zamówienia", "Data", "Дата заказа", "Дата")),
        _c("amount", MONEY, required=True,
           aliases=("Wartość netto", "Kwota netto", "Netto", "Wartość", "Сумма без НДС",
                    "Сумма")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("status", max_length=40, aliases=("Status", "Stan", "Статус", "Состояние")),
        _c("note", max_length=2000, aliases=("Uwagi", "Opis", "Комментарий", "Примечание")),
    ),
    # Opportunities from a CRM or an ERP's sales module, by their id there, through the
    # opportunities app's services (importers/opportunities.py).
    "opportunities": (
        _c("external_id", required=True, max_length=100,
           aliases=("Id szansy", "Identyfikator szansy", "Numer szansy", "Nr szansy",
                    "Kod szansy", "Identyfikator", "ID сделки", "Идентификатор сделки",
                    "Код сделки", "Номер сделки", "Идентификатор")),
        _c("account_id", max_length=100,
           aliases=(*ACCOUNT_ID_ALIASES, "Klient", "Kod klienta", "Клиент", "Код клиента")),
        _c("account_tax_id", max_length=32, aliases=ACCOUNT_TAX_ID_ALIASES),
        _c("title", required=True, max_length=200,
           aliases=("Szansa sprzedaży", "Szansa", "Nazwa", "Nazwa szansy", "Tytuł", "Temat",
                    "Сделка", "Название", "Название сделки", "Наименование", "Тема")),
        _c("kind", max_length=40,
           aliases=("Typ", "Rodzaj", "Typ szansy", "Rodzaj szansy", "Тип", "Тип сделки",
                    "Вид сделки"),
           help=gettext_lazy("type: new business, upsell, cross-sell or renewal; empty: "
                             "upsell")),
        _c("value", MONEY, required=True,
           aliases=("Wartość", "Wartość szansy", "Kwota", "Сумма", "Сумма сделки",
                    "Бюджет", "Стоимость")),
        _c("currency", max_length=3, aliases=("Waluta", "Валюта")),
        _c("stage", max_length=100,
           aliases=("Etap", "Etap sprzedaży", "Faza", "Этап", "Этап сделки", "Стадия",
                    "Стадия сделки")),
        _c("probability", max_length=10,
           aliases=("Prawdopodobieństwo", "Prawdopodobieństwo (%)", "Szansa (%)",
                    "Вероятность", "Вероятность (%)")),
        _c("expected_close", DATE, required=True,
           aliases=("Przewidywane zamknięcie", "Spodziewane zamknięcie",
                    "Przewidywana data zamknięcia", "Planowana data zamknięcia",
                    "Data zamknięcia", "Ожидаемая дата закрытия", "Ожидаемое закрытие",
                    "Планируемая дата закрытия", "Дата закрытия")),
        _c("owner", max_length=254,
           aliases=("Opiekun", "Opiekun klienta", "Właściciel", "Handlowiec",
                    "Ответственный", "Менеджер", "Владелец")),
        _c("product_lines", max_length=1000,
           aliases=("Linie produktów", "Linie produktowe", "Grupy towarowe", "Grupa towarowa",
                    "Товарные линейки", "Товарные группы", "Товарная группа",
                    "Группы товаров")),
        _c("competitors", max_length=1000,
           aliases=("Konkurenci", "Konkurencja", "Конкуренты")),
        _c("lost_reason", max_length=100,
           aliases=("Przyczyna utraty", "Powód utraty", "Przyczyna przegranej",
                    "Powód przegranej", "Причина проигрыша", "Причина отказа",
                    "Причина потери")),
        _c("lost_note", max_length=5000,
           aliases=("Opis przegranej", "Komentarz do przegranej", "Uwagi do przegranej",
                    "Комментарий к проигрышу", "Комментарий к причине",
                    "Подробности проигрыша")),
        _c("closed_on", DATE,
           aliases=("Data wygrania lub przegrania", "Faktyczna data zamknięcia",
                    "Data faktycznego zamknięcia", "Zamknięta dnia", "Фактическая дата закрытия",
                    "Дата фактического закрытия", "Закрыта", "Дата завершения")),
        _c("description", max_length=5000,
           aliases=("Opis", "Uwagi", "Описание", "Комментарий", "Примечание")),
    ),
}  # fmt: skip

# A file must have at least one column of each group: the customer by ERP id or tax id.
ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {
    "invoices": (("account_id", "account_tax_id"),),
    "payments": (("account_id", "account_tax_id"),),
    "open_items": (("account_id", "account_tax_id"),),
    "contracts": (("account_id", "account_tax_id"),),
    "orders": (("account_id", "account_tax_id"),),
    "opportunities": (("account_id", "account_tax_id"),),
}

KINDS = tuple(COLUMNS)

_PUNCT_ENDS = re.compile(r"^[\s:*]+|[\s:*]+$")
_INNER_SPACE = re.compile(r"\s+")


def header_key(text: str) -> str:
    """How header cells compare: case-, space- and trailing-colon-insensitive."""
    text = text.replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е")
    return _INNER_SPACE.sub(" ", _PUNCT_ENDS.sub("", text)).casefold()


def parse_mapping_pairs(pairs: list[str]) -> dict[str, str]:
    """`["Nr dok.=invoice_number", ...]` -> {header: column}."""
    mapping = {}
    for pair in pairs:
        header, sep, column = pair.rpartition("=")
        if not sep or not header.strip() or not column.strip():
            raise ValueError(
                _("mapping %(pair)s is not of the form 'ERP header=our_column'")
                % {"pair": repr(pair)}
            )
        mapping[header.strip()] = column.strip()
    return mapping


def load_mapping_file(path: Path) -> dict[str, str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: the mapping file must be a JSON object of header: column")
    return data


def check_mapping(kind: str, mapping: dict[str, str]) -> None:
    names = {column.name for column in COLUMNS[kind]} | {IGNORE}
    unknown = sorted(set(mapping.values()) - names)
    if unknown:
        raise ValueError(
            _("mapping names unknown %(kind)s column(s) %(unknown)s; known: %(known)s")
            % {"kind": kind, "unknown": ", ".join(unknown),
               "known": ", ".join(sorted(names - {IGNORE}))}
        )  # fmt: skip


def rank_header(kind: str, cells: list[str], mapping: dict[str, str]) -> tuple[bool, int]:
    """(is it a whole header, how many of its cells name a column): for finding the
    header below a title, or the row meant as one when none is whole."""
    try:
        resolve_header(kind, cells, mapping)
    except ImportFileError:
        lookup = _lookup(kind, mapping)
        return False, sum(header_key(cell or "") in lookup for cell in cells)
    return True, len(cells)


def column_for(kind: str, header: str, mapping: dict[str, str]) -> str | None:
    """Our column (or IGNORE) a header cell means, None if it means nothing known."""
    return _lookup(kind, mapping).get(header_key(header or ""))


def _lookup(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    columns = COLUMNS[kind]
    lookup = {header_key(alias): c.name for c in columns for alias in c.aliases}
    lookup.update({header_key(c.name): c.name for c in columns})
    lookup.update({header_key(k): v for k, v in mapping.items()})
    return lookup


def resolve_header(
    kind: str, header: list[str], mapping: dict[str, str], line: int = 1
) -> dict[str, int]:
    """Column name -> index in the row; ImportFileError naming every unknown header,
    every column named twice and every missing column at once (each its own error,
    reported on the header's `line`)."""
    columns = COLUMNS[kind]
    lookup = _lookup(kind, mapping)
    positions: dict[str, int] = {}
    problems: list[RowError] = []
    for index, cell in enumerate(header):
        cell = (cell or "").strip()
        if not cell:
            continue
        name = lookup.get(header_key(cell))
        if name is None:
            problems.append(RowError(line, cell, "wrong_columns", _unknown_help(kind, cell)))
            continue
        if name == IGNORE:
            continue
        if name in positions:
            problems.append(
                RowError(line, cell, "wrong_columns",
                         _("more than one column means %(column)s: %(first)s and %(cell)s; map "
                           "the one to leave out to '-'")
                         % {"column": name, "first": repr(header[positions[name]].strip()),
                            "cell": repr(cell)})
            )  # fmt: skip
            continue
        positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            problems.append(RowError(line, column.name, "wrong_columns", _missing_help(column)))
    for group in ONE_OF.get(kind, ()):
        if not any(name in positions for name in group):
            problems.append(
                RowError(line, group[0], "wrong_columns",
                         _("the file needs one of the columns %(columns)s; none is in the "
                           "header (map the file's header to one of them)")
                         % {"columns": ", ".join(group)})
            )  # fmt: skip
    if problems:
        raise ImportFileError(problems)
    return positions


def required_note(kind: str, column: Column) -> str:
    """How a column is required, for the mapping page: "required", "this or ...", ""."""
    if column.required:
        return str(_("required"))
    for group in ONE_OF.get(kind, ()):
        if column.name in group:
            others = ", ".join(name for name in group if name != column.name)
            return _("required: this or %(columns)s") % {"columns": others}
    return ""


def _missing_help(column: Column) -> str:
    aliases = ", ".join(column.aliases)
    if aliases:
        return _(
            "required column %(column)s (%(label)s) is missing: name it in the header "
            "(also accepted: %(aliases)s) or map the file's header to it"
        ) % {"column": column.name, "label": column.label, "aliases": aliases}
    return _(
        "required column %(column)s (%(label)s) is missing: name it in the header or map "
        "the file's header to it"
    ) % {"column": column.name, "label": column.label}


def _unknown_help(kind: str, cell: str) -> str:
    shown = cell if cell.isprintable() else cell.encode("unicode_escape").decode("ascii")
    return _(
        "unknown column %(quoted)s: use the documented %(kind)s columns (%(columns)s), or map "
        "it to one of them (import page: “%(column)s=<column>” in the column mapping; command "
        "line: --map '%(column)s=<column>'); mapping it to '-' ignores it"
    ) % {
        "quoted": repr(shown),
        "kind": kind,
        "columns": ", ".join(c.name for c in COLUMNS[kind]),
        "column": shown,
    }
