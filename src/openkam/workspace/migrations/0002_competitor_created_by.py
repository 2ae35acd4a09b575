import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def creators_from_the_audit_log(apps, schema_editor):
    """Who named each existing competitor, as the audit log recorded it."""
    Competitor = apps.get_model("workspace", "Competitor")
    AuditEntry = apps.get_model("core", "AuditEntry")
    creators = dict(
        AuditEntry.objects.filter(
            model="workspace.Competitor", action="create", actor__isnull=False
        )
        .order_by("at", "id")
        .values_list("object_id", "actor_id")
    )
    for competitor in Competitor.objects.filter(created_by__isnull=True).only("pk"):
        actor_id = creators.get(str(competitor.pk))
        if actor_id is not None:
            Competitor.objects.filter(pk=competitor.pk).update(created_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("core", "0003_audit_via_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="competitor",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.RunPython(creators_from_the_audit_log, migrations.RunPython.noop),
    ]
