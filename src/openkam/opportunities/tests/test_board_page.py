"""The pipeline board as a head reads it: each column shows the opportunities closing
soonest, says how many more there are and links to them in the list; each card's "move
to" list starts at its own stage and offers won, never lost (lost needs a reason)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from openkam.opportunities import selectors, services
from openkam.opportunities.models import Stage


def _deal(company, title: str, days: int, code: str = "qualify", account: str = "a"):
    return services.opportunity_create(
        actor=None, account=company[account], title=title, value=Decimal("1000"),
        currency="PLN", expected_close=company["today"] + timedelta(days=days),
        stage=Stage.objects.get(code=code),
    )  # fmt: skip


def test_a_column_shows_the_soonest_and_counts_the_rest(company):
    for day in (30, 10, 20):
        _deal(company, f"Deal {day}", day)
    _deal(company, "Other stage", 1, code="propose")
    columns = selectors.board(company["head"], limit=2)
    qualify, develop, propose = columns[0], columns[1], columns[2]
    assert [card.title for card in qualify.cards] == ["Deal 10", "Deal 20"]
    assert (qualify.not_shown, develop.not_shown, propose.not_shown) == (1, 0, 0)
    # The totals still count every card of the stage, shown or not.
    assert qualify.totals()[0]["count"] == 3


def test_the_board_links_the_rest_to_the_list_filtered_by_stage(client, company):
    for day in range(1, selectors.CARDS_PER_COLUMN + 3):
        _deal(company, f"Deal {day:02}", day)
    qualify = Stage.objects.get(code="qualify")
    client.force_login(company["head"])
    page = client.get(reverse("pipeline:board")).content.decode()
    assert "and 2 more, closing later: see the list" in page
    assert f'href="{reverse("pipeline:list")}?stage={qualify.pk}"' in page
    assert f"Deal {selectors.CARDS_PER_COLUMN:02}" in page
    assert f"Deal {selectors.CARDS_PER_COLUMN + 1:02}" not in page
    listed = client.get(reverse("pipeline:list"), {"stage": qualify.pk}).content.decode()
    assert f"Deal {selectors.CARDS_PER_COLUMN + 2:02}" in listed


def test_the_list_filtered_by_stage_holds_only_that_stage(client, company):
    _deal(company, "Early deal", 5)
    _deal(company, "Late deal", 5, code="negotiate")
    client.force_login(company["head"])
    negotiate = Stage.objects.get(code="negotiate")
    listed = client.get(reverse("pipeline:list"), {"stage": negotiate.pk}).content.decode()
    assert "Late deal" in listed and "Early deal" not in listed


def test_a_cards_move_list_starts_at_its_stage_and_offers_won_not_lost(client, company):
    deal = _deal(company, "Moving deal", 5, code="propose")
    client.force_login(company["head"])
    page = client.get(reverse("pipeline:board")).content.decode()
    select = re.search(rf'<select name="stage" id="move-{deal.pk}">(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="(\d+)"( selected)?>', select.group(1))
    chosen = [int(pk) for pk, selected in options if selected]
    assert chosen == [deal.stage_id]
    offered = {Stage.objects.get(pk=int(pk)).code for pk, _ in options}
    assert offered == {"qualify", "develop", "propose", "negotiate", "won"}


def test_the_board_shows_a_kam_none_of_another_kams_cards_nor_their_count(client, company):
    for day in range(1, 4):
        _deal(company, f"Beta deal {day}", day, account="b")
    _deal(company, "Alfa deal", 2)
    client.force_login(company["owner"])
    columns = selectors.board(company["owner"], limit=1)
    assert [card.title for card in columns[0].cards] == ["Alfa deal"]
    assert columns[0].not_shown == 0
    page = client.get(reverse("pipeline:board")).content.decode()
    assert "Beta deal" not in page and "more, closing later" not in page
