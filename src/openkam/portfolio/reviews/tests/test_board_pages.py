"""The portfolio board page: loads per KAM, warnings, reassignment with history, exports."""

# ruff: noqa: F811 (pytest fixtures imported from review_fixtures)

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.portfolio.models import AnalysisSettings
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews.board import portfolio_reassign
from openkam.portfolio.reviews.tests.review_fixtures import (  # noqa: F401 (fixtures)
    add_customers,
    count_queries,
    scored,
)
from openkam.portfolio.tests.conftest import TODAY

BOARD = reverse("reviews:board")
REASSIGN = reverse("reviews:reassign")


def board(client, user):
    client.force_login(user)
    return client.get(BOARD)


def kams_on(response) -> set[str]:
    return {card.load.user.username for card in response.context["board"].cards}


def card_of(response, user):
    return next(card for card in response.context["board"].cards if card.load.user == user)


def test_head_sees_every_kam(client, scored):
    assert kams_on(board(client, scored["head"])) == {
        "senior",
        "owner",
        "other",
        "junior",
        "deputy",
        "pastdeputy",
    }


def test_card_lists_key_accounts_with_counts_and_money(client, scored):
    card = card_of(board(client, scored["head"]), scored["owner"])
    assert [account.name for account in card.key_accounts] == ["Alfa Hurt S.A."]
    assert (card.load.accounts, card.load.key_accounts, card.load.capacity) == (1, 1, 10)
    assert card.load.revenue == 3500  # A's own revenue in the period (A1 has its own owner)


def test_a_kam_sees_only_their_own_card(client, scored):
    response = board(client, scored["owner"])
    assert kams_on(response) == {"owner"}
    body = response.content.decode()
    assert "Gamma Retail" not in body and "Beta Trade" not in body


def test_a_senior_sees_their_juniors_card(client, scored):
    assert kams_on(board(client, scored["senior"])) == {"senior", "junior"}


def test_a_viewer_sees_the_board_without_the_reassign_form(client, scored):
    response = board(client, scored["viewer"])
    assert len(kams_on(response)) == 6
    assert response.context["form"] is None
    assert REASSIGN not in response.content.decode()


def test_over_capacity_card_is_marked(client, scored):
    settings = AnalysisSettings.current()
    settings.max_key_per_kam = 1
    settings.save()
    add_customers(scored, 1)  # a second key account for owner
    response = board(client, scored["head"])
    assert card_of(response, scored["owner"]).load.over_capacity
    assert 'class="card board-card over"' in response.content.decode()


def test_board_warns_when_kams_are_over_capacity(client, scored):
    settings = AnalysisSettings.current()
    settings.max_key_per_kam = 1
    settings.save()
    add_customers(scored, 1)
    body = board(client, scored["head"]).content.decode()
    assert "1 KAM carries more key accounts than their capacity" in body


def test_no_capacity_warning_within_capacity(client, scored):
    assert "Over capacity." not in board(client, scored["head"]).content.decode()


def test_warns_when_a_kam_carries_twice_the_revenue_of_another(client, scored):
    # other owns B (6000 this period); junior now owns C (nothing this period).
    portfolio_reassign(actor=scored["head"], account=scored["c"], to_user=scored["junior"])
    response = board(client, scored["head"])
    heavy, light = response.context["board"].imbalance
    assert (heavy.user, light.user) == (scored["other_kam"], scored["junior"])
    assert "Unbalanced board." in response.content.decode()


def test_no_warning_when_loads_are_within_twice(client, ledger):
    # Owners: owner (A: 3500) and other (B: 6000); junior only assists on C.
    recompute_portfolio(today=TODAY)
    response = board(client, ledger["head"])
    assert response.context["board"].imbalance is None
    assert "Unbalanced board." not in response.content.decode()


def test_board_links_to_deputies(client, scored):
    assert reverse("users:deputies") in board(client, scored["owner"]).content.decode()


# --- reassignment --------------------------------------------------------------------------


def reassign(client, user, account, to_user, role=AssignmentRole.OWNER, **extra):
    client.force_login(user)
    data = {
        "account": account.pk,
        "to_user": to_user.pk,
        "role": role,
        "starts_on": extra.pop("starts_on", scored_today()),
        **extra,
    }
    return client.post(REASSIGN, data)


def scored_today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_reassignment_from_the_page_keeps_history(client, scored):
    response = reassign(client, scored["head"], scored["b"], scored["owner"])
    assert response["Location"] == BOARD
    rows = Assignment.objects.filter(account=scored["b"], role="owner").order_by("starts_on")
    assert [(row.user, row.ends_on is None) for row in rows] == [
        (scored["other_kam"], False),
        (scored["owner"], True),
    ]


def test_reassignment_moves_the_account_to_the_new_kams_card(client, scored):
    reassign(client, scored["head"], scored["b"], scored["owner"])
    tomorrow_loads = board(client, scored["head"])
    # The hand-over day counts for both; the previous owner's row has ended.
    assert (
        Assignment.objects.active(scored["today"] + timedelta(days=1))
        .filter(account=scored["b"])
        .get()
        .user
        == scored["owner"]
    )
    assert card_of(tomorrow_loads, scored["owner"]).load.accounts == 2


def test_reassigning_to_the_current_holder_shows_the_error(client, scored):
    before = Assignment.objects.count()
    response = reassign(client, scored["head"], scored["b"], scored["other_kam"])
    assert response.status_code == 422
    assert "already holds this account" in response.content.decode()
    assert Assignment.objects.count() == before


def test_reassigning_an_unknown_account_shows_the_error(client, scored):
    ghost = Account(pk=99999, name="Ghost")
    response = reassign(client, scored["head"], ghost, scored["owner"])
    assert response.status_code == 422
    assert "Choose one of your accounts." in response.content.decode()


def test_support_role_added_alongside_the_owner(client, scored):
    reassign(client, scored["head"], scored["b"], scored["junior"], role=AssignmentRole.SUPPORT)
    active = Assignment.objects.active(scored["today"]).filter(account=scored["b"])
    assert {(a.user, a.role) for a in active} == {
        (scored["other_kam"], "owner"),
        (scored["junior"], "support"),
    }


@pytest.mark.parametrize("persona", ["owner", "senior", "viewer", "finance"])
def test_non_heads_get_404_on_reassignment(client, scored, persona):
    before = Assignment.objects.count()
    response = reassign(client, scored[persona], scored["a"], scored[persona])
    assert response.status_code == 404
    assert Assignment.objects.count() == before


def test_reassign_link_preselects_the_account(client, scored):
    client.force_login(scored["head"])
    response = client.get(BOARD, {"account": scored["c"].pk})
    assert response.context["chosen_account"] == scored["c"].pk
    assert f'value="{scored["c"].pk}" selected' in response.content.decode()


# --- exports and queries -------------------------------------------------------------------


def test_board_csv_export_reads_back(client, scored):
    client.force_login(scored["head"])
    response = client.get(reverse("reviews:board_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    owner = next(row for row in rows[1:] if row[0] == "Owner")
    assert (owner[2], owner[3], owner[5], owner[11]) == ("1", "10", "1", "Alfa Hurt S.A.")
    assert (owner[7], owner[8]) == ("PLN", "3500.00")


def test_board_xlsx_export_holds_only_the_kams_own_card(client, scored):
    client.force_login(scored["owner"])
    response = client.get(reverse("reviews:board_export", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Owner"]
    assert (rows[1][7], rows[1][8]) == ("PLN", 3500)


def test_board_queries_do_not_grow_with_key_accounts(client, scored):
    client.force_login(scored["head"])
    few = count_queries(lambda: client.get(BOARD))
    add_customers(scored, 10)
    assert count_queries(lambda: client.get(BOARD)) == few
