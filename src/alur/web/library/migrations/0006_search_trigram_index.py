"""On PostgreSQL, a trigram index for the library search (`LIKE '%word%'` on search_text).

Without it every search reads every version's text; with it the words are looked up. The
extension needs the right to create it: where the database user lacks it, the migration says
so and goes on (search still works, only slower). SQLite has no such index and needs none at
the sizes an agency keeps on one machine.
"""

from django.db import migrations, transaction

INDEX = "library_sopversion_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON library_sopversion "
                "USING gin (search_text gin_trgm_ops)")
    except Exception as error:  # no right to create the extension: search stays a scan
        print(f"\n  pg_trgm unavailable ({error}); library search will scan the texts.")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0005_latest_version"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
