"""Past prices: latest decision first whatever the order of entry, the newer tender first
on one day, at most 50 lines by default, a standalone issuer's own tenders, the winning
price kept in the lines read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openkam.accounts.models import Account
from openkam.tenders import selectors, services
from openkam.tenders.models import Tender


def _decide(tender, day):
    services.tender_move(actor=None, tender=tender, status="lost", outcome_reason="price",
                         winner_name="Młyn Kowalski")  # fmt: skip
    Tender.objects.filter(pk=tender.pk).update(decided_on=day)
    return tender


def _order(user, issuer, lines, **kwargs):
    rows = selectors.past_prices(user, issuer, lines, **kwargs)
    return [(row.tender.title, row.product_line) for row in rows]


def test_the_latest_decision_first_then_the_newer_tender(company, make_tender):
    a = company["a"]
    _decide(make_tender(title="Entered first, decided last",
                        lines=(("Mąka", "1", "2", "1.9"),)), date(2026, 9, 1))  # fmt: skip
    _decide(make_tender(title="Entered second, decided first",
                        lines=(("Mąka", "1", "2", "1.9"),)), date(2026, 3, 1))  # fmt: skip
    _decide(make_tender(title="Older on the day", lines=(("Mąka", "1", "2", None),)),
            date(2026, 1, 10))  # fmt: skip
    _decide(make_tender(title="Newer on the day", lines=(("Cukier", "1", "2", None),)),
            date(2026, 1, 10))  # fmt: skip
    assert _order(company["owner"], a, ["Mąka", "Cukier"]) == [
        ("Entered first, decided last", "Mąka"),
        ("Entered second, decided first", "Mąka"),
        ("Newer on the day", "Cukier"),
        ("Older on the day", "Mąka"),
    ]


def test_on_one_day_the_newer_tender_comes_first_whatever_its_lines(company, make_tender):
    _decide(make_tender(title="Older", lines=(("Cukier", "1", "2", None),)), date(2026, 2, 1))
    _decide(make_tender(title="Newer", lines=(("Mąka", "1", "2", None),)), date(2026, 2, 1))
    assert _order(company["owner"], company["a"], ["Mąka", "Cukier"]) == [
        ("Newer", "Mąka"), ("Older", "Cukier"),
    ]  # fmt: skip


def test_the_lines_of_one_tender_by_product_line_not_by_entry(company, make_tender):
    lines = [(name, "1", "2", None) for name in ("Owies", "Mąka", "Żyto", "Cukier")]
    _decide(make_tender(title="One", lines=lines), date(2026, 2, 1))
    found = _order(company["owner"], company["a"], ["Żyto", "Owies", "Mąka", "Cukier"])
    assert [line for _title, line in found] == ["Cukier", "Mąka", "Owies", "Żyto"]


def test_at_most_fifty_lines_by_default(company, make_tender):
    names = [f"Line {i:02}" for i in range(51)]
    _decide(make_tender(lines=[(name, "1", "2", None) for name in names]), date(2026, 5, 1))
    rows = selectors.past_prices(company["owner"], company["a"], names)
    assert [row.product_line for row in rows] == names[:50]


def test_a_standalone_issuer_finds_its_own_tenders(company, make_tender):
    c = company["c"]
    Account.objects.filter(pk=c.pk).update(group_root=None)
    c.refresh_from_db()
    _decide(make_tender(c, title="Of C"), date(2026, 5, 1))
    assert _order(company["head"], c, ["Mąka"]) == [("Of C", "Mąka")]


def test_the_lines_read_back_keep_the_winning_price(make_tender):
    tender = make_tender(lines=(("Mąka", "10", "2.50", "2.40"),))
    assert services.lines_of(tender) == [
        services.LineIn("Mąka", Decimal("10.000"), Decimal("2.50"), Decimal("2.40"))
    ]
