"""The scoring model editor, the model pages for KAMs, manual scores and the breakdown."""

from __future__ import annotations

from openkam.core.models import AuditEntry
from openkam.portfolio.models import ManualScore, ScoringCriterion, ScoringModel
from openkam.portfolio.tests import pages_fixtures
from openkam.portfolio.tests.pages_fixtures import make_model

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests

ROWS = 10


def editor_post(rows: list[dict], **model) -> dict:
    """A full editor form: the model fields and ten criterion rows (blank ones unused)."""
    data = {
        "name": "Wholesale",
        "description": "",
        "segment": "",
        "is_active": "on",
        "criteria-TOTAL_FORMS": str(ROWS),
        "criteria-INITIAL_FORMS": str(ROWS),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": str(ROWS),
        **model,
    }
    blank = {"criterion": "", "weight": "", "source": "data", "metric": "", "mapping": "percentile",
             "bands": "", "direction": ""}  # fmt: skip
    for i in range(ROWS):
        row = {**blank, **(rows[i] if i < len(rows) else {})}
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = value
    return data


GOOD_ROWS = [
    {"criterion": "transaction_size", "weight": "2", "metric": "avg_invoice"},
    {"criterion": "payment_discipline", "weight": "1", "metric": "days_late",
     "mapping": "bands", "bands": "5, 15, 30"},
    {"criterion": "cultural_fit", "weight": "1", "source": "people"},
]  # fmt: skip


def test_head_creates_a_model_with_its_criteria(client, company):
    client.force_login(company["head"])
    response = client.post("/portfolio/models/new/", editor_post(GOOD_ROWS))
    model = ScoringModel.objects.get(name="Wholesale")
    assert response.status_code == 302 and response["Location"] == f"/portfolio/models/{model.pk}/"
    saved = {c.criterion: c for c in model.criteria.all()}
    assert saved["payment_discipline"].bands == [5.0, 15.0, 30.0]
    assert saved["payment_discipline"].higher_is_better is False
    assert saved["cultural_fit"].metric == ""


def test_weights_are_shown_normalised(client, company):
    client.force_login(company["head"])
    client.post("/portfolio/models/new/", editor_post(GOOD_ROWS))
    body = client.get("/portfolio/models/").content.decode()
    assert '<td class="num">50%</td>' in body and body.count('<td class="num">25%</td>') == 2


def test_data_criterion_gets_its_default_metric(client, company):
    client.force_login(company["head"])
    client.post(
        "/portfolio/models/new/", editor_post([{"criterion": "product_fit", "weight": "1"}])
    )
    assert ScoringCriterion.objects.get().metric == "product_lines"


def test_model_without_criteria_is_refused(client, company):
    client.force_login(company["head"])
    response = client.post("/portfolio/models/new/", editor_post([]))
    assert "A scoring model needs at least one criterion." in response.content.decode()
    assert not ScoringModel.objects.exists()


def test_zero_weight_is_refused_on_its_row(client, company):
    client.force_login(company["head"])
    rows = [GOOD_ROWS[0], {"criterion": "references", "weight": "0", "source": "people"}]
    response = client.post("/portfolio/models/new/", editor_post(rows))
    formset = response.context["formset"]
    assert formset.forms[1].errors["weight"] == ["The weight must be greater than zero."]
    assert not ScoringModel.objects.exists()


def test_descending_bands_are_refused(client, company):
    client.force_login(company["head"])
    rows = [{"criterion": "transaction_size", "weight": "1", "metric": "avg_invoice",
             "mapping": "bands", "bands": "5000, 1000"}]  # fmt: skip
    response = client.post("/portfolio/models/new/", editor_post(rows))
    assert "Band thresholds must go up" in response.content.decode()


def test_band_that_is_not_a_number_is_named(client, company):
    client.force_login(company["head"])
    rows = [{"criterion": "transaction_size", "weight": "1", "metric": "avg_invoice",
             "mapping": "bands", "bands": "10, ten"}]  # fmt: skip
    response = client.post("/portfolio/models/new/", editor_post(rows))
    assert "&#x27;ten&#x27; is not a number" in response.content.decode()


def test_data_criterion_without_a_metric_is_refused(client, company):
    client.force_login(company["head"])
    response = client.post(
        "/portfolio/models/new/", editor_post([{"criterion": "buying_process", "weight": "1"}])
    )
    assert "A criterion derived from data needs a metric." in response.content.decode()


def test_editing_replaces_criteria_and_is_audited(client, company):
    model = make_model()
    client.force_login(company["head"])
    client.post(f"/portfolio/models/{model.pk}/", editor_post(GOOD_ROWS[:1], name="Standard"))
    assert [c.criterion for c in model.criteria.all()] == ["transaction_size"]
    entry = AuditEntry.objects.get(model="portfolio.ScoringModel", action="update")
    assert entry.changes["criteria"][1][0]["criterion"] == "transaction_size"


def test_kam_sees_a_model_read_only(client, company):
    model = make_model()
    client.force_login(company["owner"])
    response = client.get(f"/portfolio/models/{model.pk}/")
    assert response.status_code == 200
    assert "Only heads of key accounts change scoring models." in response.content.decode()
    assert client.post(f"/portfolio/models/{model.pk}/", editor_post(GOOD_ROWS)).status_code == 404


def test_kam_cannot_open_the_new_model_form(client, company):
    client.force_login(company["owner"])
    assert client.get("/portfolio/models/new/").status_code == 404


# --- manual scores and the breakdown on the account page ---------------------------------


def test_breakdown_on_the_account_page_explains_the_score(client, scored):
    client.force_login(scored["owner"])
    body = client.get(f"/accounts/{scored['a'].pk}/").content.decode()
    assert "rank 2 of 3" in body and "Revenue potential" in body and "75%" in body


def test_subsidiary_page_shows_its_groups_score(client, scored):
    client.force_login(scored["owner"])
    body = client.get(f"/accounts/{scored['a1'].pk}/").content.decode()
    assert "This account is a subsidiary" in body
    assert f'href="/accounts/{scored["a"].pk}/#score"' in body


def test_kam_enters_points_with_a_note(client, scored):
    client.force_login(scored["owner"])
    response = client.post(
        f"/portfolio/scores/{scored['a'].pk}/",
        {"criterion": "cultural_fit", "points": "8", "note": "Shared values"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{scored['a'].pk}/#score"
    score = ManualScore.objects.get()
    assert (score.points, score.note, score.entered_by) == (8, "Shared values", scored["owner"])


def test_points_entered_on_a_subsidiary_count_for_its_group(client, scored):
    client.force_login(scored["owner"])
    client.post(
        f"/portfolio/scores/{scored['a1'].pk}/", {"criterion": "cultural_fit", "points": "6"}
    )
    assert ManualScore.objects.get().account == scored["a"]


def test_manual_score_history_is_kept_and_shown(client, scored):
    client.force_login(scored["owner"])
    for points in ("3", "9"):
        client.post(
            f"/portfolio/scores/{scored['a'].pk}/", {"criterion": "cultural_fit", "points": points}
        )
    assert list(ManualScore.objects.values_list("points", flat=True)) == [9, 3]
    body = client.get(f"/accounts/{scored['a'].pk}/").content.decode()
    assert body.index('<td class="num">9</td>') < body.index('<td class="num">3</td>')


def test_points_outside_1_to_10_are_refused(client, scored):
    client.force_login(scored["owner"])
    client.post(
        f"/portfolio/scores/{scored['a'].pk}/", {"criterion": "cultural_fit", "points": "11"}
    )
    assert not ManualScore.objects.exists()


def test_viewer_cannot_enter_points(client, scored):
    client.force_login(scored["viewer"])
    response = client.post(
        f"/portfolio/scores/{scored['a'].pk}/", {"criterion": "cultural_fit", "points": "5"}
    )
    assert response.status_code == 404 and not ManualScore.objects.exists()


def test_kam_cannot_enter_points_on_an_invisible_account(client, scored):
    client.force_login(scored["owner"])
    response = client.post(
        f"/portfolio/scores/{scored['b'].pk}/", {"criterion": "cultural_fit", "points": "5"}
    )
    assert response.status_code == 404 and not ManualScore.objects.exists()


def _history_entries(client, account) -> int:
    return client.get(f"/accounts/{account.pk}/").content.decode().count('<span class="hist"')


def test_score_history_shows_a_new_entry_only_when_the_score_changed(client, scored):
    from openkam.accounts.tests.factories import bearer
    from openkam.portfolio.models import ScoreSnapshot
    from openkam.portfolio.recompute import recompute_portfolio
    from openkam.portfolio.services import manual_score_enter
    from openkam.portfolio.tests.conftest import TODAY

    b = scored["b"]
    for _ in range(6):  # seven recomputes in all, as after seven imports that changed nothing
        recompute_portfolio(today=TODAY)
    assert ScoreSnapshot.objects.filter(account=b).count() == 7  # every run keeps its row
    client.force_login(scored["head"])
    assert _history_entries(client, b) == 0  # one score so far: no history line
    manual_score_enter(actor=scored["head"], account=b, criterion="cultural_fit", points=10)
    recompute_portfolio(today=TODAY)
    recompute_portfolio(today=TODAY)
    assert _history_entries(client, b) == 2
    response = client.get(f"/api/portfolio/accounts/{b.pk}", headers=bearer(scored["head"]))
    api = response.json()["scores"][0]["history"]
    assert len(api) == 2 and api[0]["total"] < api[1]["total"]


# --- analysis settings -------------------------------------------------------------------

SETTINGS_FORM = {"abc_a": "70", "abc_b": "90", "xyz_x": "15", "xyz_y": "30",
                 "period_months": "24", "max_key_per_kam": "8"}  # fmt: skip


def test_head_sets_thresholds_in_percent(client, company):
    from openkam.portfolio.models import AnalysisSettings

    client.force_login(company["head"])
    assert client.post("/portfolio/settings/", SETTINGS_FORM).status_code == 302
    saved = AnalysisSettings.current()
    assert (str(saved.abc_a), str(saved.xyz_y), saved.period_months) == ("0.700", "0.300", 24)


def test_settings_with_a_above_b_show_the_error(client, company):
    client.force_login(company["head"])
    response = client.post("/portfolio/settings/", {**SETTINGS_FORM, "abc_a": "96"})
    assert "Class A must end at or before class B" in response.content.decode()


def test_kam_cannot_open_the_settings(client, company):
    client.force_login(company["owner"])
    assert client.get("/portfolio/settings/").status_code == 404


# --- the direction comes with the metric -------------------------------------------------


def test_payment_discipline_picked_the_obvious_way_rewards_paying_on_time(client, company):
    client.force_login(company["head"])
    rows = [{"criterion": "payment_discipline", "weight": "1"}]  # metric and direction left
    client.post("/portfolio/models/new/", editor_post(rows))
    saved = ScoringCriterion.objects.get()
    assert (saved.metric, saved.higher_is_better, saved.is_reversed) == ("days_late", False, False)


def test_rewarding_late_payment_is_flagged_and_nothing_is_saved(client, company):
    client.force_login(company["head"])
    rows = [{"criterion": "payment_discipline", "weight": "1", "direction": "higher"}]
    response = client.post("/portfolio/models/new/", editor_post(rows))
    row = response.context["formset"].forms[0]
    assert "reward late payment" in row.errors["direction"][0]
    assert 'name="accept_reversed"' in response.content.decode()
    assert not ScoringModel.objects.exists()


def test_a_reversed_direction_is_saved_when_the_head_confirms_and_shown_as_such(client, company):
    client.force_login(company["head"])
    rows = [{"criterion": "partnership", "weight": "1", "direction": "lower"}]
    response = client.post("/portfolio/models/new/", editor_post(rows))
    assert "least “Revenue in the period” first" in response.content.decode()
    client.post("/portfolio/models/new/", editor_post(rows, accept_reversed="on"))
    saved = ScoringCriterion.objects.get()
    assert (saved.higher_is_better, saved.is_reversed) == (False, True)
    assert "lower is better: reversed" in client.get("/portfolio/models/").content.decode()


def test_the_editor_offers_the_confirmation_only_when_needed(client, company):
    client.force_login(company["head"])
    assert 'name="accept_reversed"' not in client.get("/portfolio/models/new/").content.decode()
    model = make_model()
    body = client.get(f"/portfolio/models/{model.pk}/").content.decode()
    assert 'name="accept_reversed"' not in body
    assert 'name="criteria-0-direction"' in body
