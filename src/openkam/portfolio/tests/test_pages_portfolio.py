"""The portfolio analysis page and the ABC-XYZ cell page, as head and as KAM."""

from __future__ import annotations

import html
import json

import pytest
from django.urls import reverse

from openkam.core.jobs import execute_job
from openkam.core.models import Job
from openkam.portfolio.models import AccountMetrics, RecomputeRun
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.tests import pages_fixtures
from openkam.portfolio.tests.conftest import TODAY
from openkam.portfolio.tests.pages_fixtures import add_customers

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests


ANALYSIS = "/portfolio/"
CELLS = "/portfolio/accounts/"
NAMES = {"a": "Alfa Hurt S.A.", "a1": "Alfa Logistyka", "b": "Beta Trade", "c": "Gamma Retail"}


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def chart_data(response) -> dict:
    body = response.content.decode()
    start = body.index('<script id="portfolio-data" type="application/json">')
    raw = body[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(raw)


def test_head_sees_the_whole_company(client, scored):
    response = page(client, scored["head"], ANALYSIS)
    summary = response.context["summary"]
    assert (summary.customers, str(summary.revenue)) == (3, "10000.00")
    assert "60.0%" in response.content.decode()  # the top 20% (B) hold 60% of revenue


def test_page_says_which_period_it_shows(client, scored):
    body = page(client, scored["head"], ANALYSIS).content.decode()
    assert "Period 2025-11-01 – 2026-10-31" in body


def test_kam_pareto_is_over_their_accounts_only(client, scored):
    response = page(client, scored["owner"], ANALYSIS)
    summary = response.context["summary"]
    assert (summary.customers, str(summary.revenue)) == (1, "4000.00")
    assert chart_data(response)["pareto"] == [[0.0, 0.0], [1.0, 1.0]]


def test_kam_page_names_no_other_account(client, scored):
    body = page(client, scored["owner"], ANALYSIS).content.decode()
    assert NAMES["a"] in body  # in the scatter's data
    assert NAMES["b"] not in body and NAMES["c"] not in body


def test_pareto_points_run_from_zero_to_all(client, scored):
    points = chart_data(page(client, scored["head"], ANALYSIS))["pareto"]
    assert points[0] == [0.0, 0.0] and points[-1] == [1.0, 1.0]
    assert points[1] == [pytest.approx(1 / 3, abs=1e-4), 0.6]


def test_matrix_cells_link_to_their_cell_page(client, scored):
    body = page(client, scored["head"], ANALYSIS).content.decode()
    assert f'href="{CELLS}?abc=A&amp;xyz=Z"' in body


def test_page_before_any_recompute_says_so(client, ledger):
    body = page(client, ledger["head"], ANALYSIS).content.decode()
    assert "No figures yet" in body


def test_only_heads_get_the_recompute_button(client, scored):
    assert "Recompute</button>" in page(client, scored["head"], ANALYSIS).content.decode()
    assert "Recompute</button>" not in page(client, scored["owner"], ANALYSIS).content.decode()


def test_cell_page_lists_exactly_the_cells_accounts(client, scored):
    response = page(client, scored["head"], f"{CELLS}?abc=A")
    listed = [m.account_id for m in response.context["rows"]]
    assert listed == [scored["b"].pk, scored["a"].pk]  # largest first


def test_cell_page_for_a_kam_lists_only_their_accounts(client, scored):
    response = page(client, scored["owner"], f"{CELLS}?scope=entity")
    body = response.content.decode()
    assert {m.account_id for m in response.context["rows"]} == {
        scored["a"].pk,
        scored["a1"].pk,
    }
    assert NAMES["b"] not in body and NAMES["c"] not in body


def test_cell_page_sorts_by_the_chosen_column(client, scored):
    response = page(client, scored["head"], f"{CELLS}?sort=name")
    names = [m.account.name for m in response.context["rows"]]
    assert names == sorted(names)


def test_cell_page_shows_the_class_within_the_visible_set(client, scored):
    response = page(client, scored["owner"], f"{CELLS}?scope=entity&abc=B")
    assert [(m.account_id, m.visible_abc) for m in response.context["rows"]] == [
        (scored["a1"].pk, "B")
    ]


def test_recompute_from_the_page_runs_as_a_job(client, scored):
    client.force_login(scored["head"])
    response = client.post("/portfolio/recompute/", headers={"HX-Request": "true"})
    job = Job.objects.get(kind="portfolio-recompute")
    assert 'hx-trigger="every 1s"' in response.content.decode()  # polls while queued
    execute_job(job.pk)
    assert RecomputeRun.objects.filter(status="succeeded").count() == 2
    progress = client.get("/portfolio/recompute/progress/").content.decode()
    assert "Recompute finished." in progress and "every 1s" not in progress


def test_recompute_is_not_started_twice(client, scored):
    client.force_login(scored["head"])
    client.post("/portfolio/recompute/")
    client.post("/portfolio/recompute/")
    assert Job.objects.filter(kind="portfolio-recompute").count() == 1


def test_kam_cannot_start_a_recompute(client, scored):
    client.force_login(scored["owner"])
    assert client.post("/portfolio/recompute/").status_code == 404
    assert not Job.objects.filter(kind="portfolio-recompute").exists()


def test_nav_links_to_the_portfolio(client, scored):
    body = page(client, scored["owner"], "/").content.decode()
    assert f'href="{reverse("portfolio:analysis")}"' in body


def _analysis_queries(client, user, django_assert_max_num_queries, limit):
    client.force_login(user)
    with django_assert_max_num_queries(limit):
        assert client.get(ANALYSIS).status_code == 200


@pytest.mark.parametrize("persona", ["head", "owner"])
def test_analysis_page_queries_do_not_grow_with_accounts(
    client, scored, persona, django_assert_max_num_queries
):

    recompute_portfolio(today=TODAY)
    _analysis_queries(client, scored[persona], django_assert_max_num_queries, 18)
    add_customers(scored["head"], 30)
    recompute_portfolio(today=TODAY)
    assert AccountMetrics.objects.filter(scope="group").count() == 33
    _analysis_queries(client, scored[persona], django_assert_max_num_queries, 18)


def test_cell_page_queries_do_not_grow_with_accounts(client, scored, django_assert_max_num_queries):
    add_customers(scored["head"], 30)
    recompute_portfolio(today=TODAY)
    client.force_login(scored["head"])
    with django_assert_max_num_queries(12):
        response = client.get(f"{CELLS}?abc=B")
    assert len(response.context["rows"]) > 15


def _link_before(body: str, label: str) -> str:
    """The href of the pagination link whose text starts with `label`."""
    nav = body[body.index('<nav class="pagination">') :]
    tag = nav[: nav.index(label)].rsplit("<a ", 1)[1]
    return html.unescape(tag.split('href="', 1)[1].split('"', 1)[0])


def test_next_page_of_a_cell_keeps_the_cell_and_moves_on(client, scored):
    add_customers(scored["head"], 130)
    recompute_portfolio(today=TODAY)
    first = page(client, scored["head"], f"{CELLS}?abc=A&sort=name")
    assert first.context["page"].paginator.count > 50
    href = _link_before(first.content.decode(), "Next")
    assert href.startswith("?") and not href.startswith("??")
    second = page(client, scored["head"], CELLS + href)
    assert second.context["page"].number == 2
    assert (second.context["filters"].abc, second.context["filters"].sort) == ("A", "name")
    names = [m.account.name for m in second.context["rows"]]
    assert names and not set(names) & {m.account.name for m in first.context["rows"]}
    assert {m.visible_abc for m in second.context["rows"]} == {"A"}
    back = _link_before(second.content.decode(), "Previous")
    assert page(client, scored["head"], CELLS + back).context["page"].number == 1


def test_group_row_links_to_its_companies(client, scored):
    response = page(client, scored["head"], CELLS)
    alfa = next(m for m in response.context["rows"] if m.account_id == scored["a"].pk)
    assert alfa.members == 1
    assert f'href="?scope=entity&amp;group={scored["a"].pk}"' in response.content.decode()


def test_group_page_lists_the_groups_companies(client, scored):
    response = page(client, scored["head"], f"{CELLS}?group={scored['a'].pk}")
    assert {m.account_id for m in response.context["rows"]} == {
        scored["a"].pk,
        scored["a1"].pk,
    }
    assert "Companies of the group Alfa Hurt S.A." in response.content.decode()


def test_group_page_of_an_invisible_group_shows_nothing(client, scored):
    response = page(client, scored["other_kam"], f"{CELLS}?group={scored['a'].pk}")
    assert list(response.context["rows"]) == []
    assert NAMES["a"] not in response.content.decode()
