"""Out of the box one rule holds: a discount above what the pricing rule allows needs the
head of key accounts, escalated to the administrator after two days. The company adds or
changes rules in the back office."""

from django.db import migrations

NAME = "Discount above the discount rule"


def create(apps, schema_editor):
    Rule = apps.get_model("proposals", "ApprovalRule")
    Step = apps.get_model("proposals", "ApprovalStep")
    if Rule.objects.exists():
        return
    rule = Rule.objects.create(
        name=NAME, metric="over_allowance", threshold=0, escalate_after_days=2,
        escalate_to="admin",
    )  # fmt: skip
    Step.objects.create(rule=rule, sequence=1, role="head")


def remove(apps, schema_editor):
    apps.get_model("proposals", "ApprovalRule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
