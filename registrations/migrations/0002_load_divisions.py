from django.db import migrations


def load(apps, schema_editor):
    from registrations.divisions import refresh_divisions

    refresh_divisions(apps.get_model("registrations", "Division"))


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
