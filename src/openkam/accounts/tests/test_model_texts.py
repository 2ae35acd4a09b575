"""An assignment reads as who works the account and in what role, in the language chosen."""

from __future__ import annotations

from django.utils import translation

from openkam.accounts import services
from openkam.accounts.models import Assignment, AssignmentRole


def test_an_assignment_reads_as_the_person_and_the_role(company, django_assert_num_queries):
    assignment = Assignment.objects.select_related("user").get(
        account=company["a"], user=company["owner"]
    )
    with django_assert_num_queries(0):  # listed with its user: no query for the account
        assert str(assignment) == f"{company['owner']} (Owner)"
    with translation.override("pl"):
        assert str(assignment) == f"{company['owner']} (Opiekun)"
    with translation.override("ru"):
        assert str(assignment) == f"{company['owner']} (Ответственный)"


def test_the_history_shows_a_new_assignment_by_its_role_label(client, company):
    services.assignment_start(
        actor=company["head"],
        account=company["a"],
        user=company["senior"],
        role=AssignmentRole.SUPPORT,
    )
    client.force_login(company["head"])
    page = client.get(f"/accounts/{company['a'].pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert f"{company['senior']} (Support)" in history
    assert " support " not in history
