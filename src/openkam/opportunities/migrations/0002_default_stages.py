"""The stages a company starts with (renamed, reordered or added in the back office)."""

from django.db import migrations

STAGES = (
    # code, order, default probability, outcome
    ("qualify", 10, 10, "open"),
    ("develop", 20, 25, "open"),
    ("propose", 30, 50, "open"),
    ("negotiate", 40, 75, "open"),
    ("won", 90, 100, "won"),
    ("lost", 99, 0, "lost"),
)


def create(apps, schema_editor):
    stage = apps.get_model("opportunities", "Stage")
    if stage.objects.exists():
        return
    stage.objects.bulk_create(
        stage(code=code, position=position, probability=probability, outcome=outcome)
        for code, position, probability, outcome in STAGES
    )


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
