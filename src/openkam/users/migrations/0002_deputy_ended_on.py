from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy",
            name="ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="ended on"),
        ),
    ]
