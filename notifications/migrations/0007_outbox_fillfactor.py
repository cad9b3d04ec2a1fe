"""Room on every outbox page for a row's next version (PostgreSQL only).

The dispatcher's lease writes only `dispatched_at`, which no index holds, so PostgreSQL can
update the row in place (a HOT update, no new index entries) when the page has room for the
new version. Full pages (the default fillfactor of 100) made every lease write eleven index
entries. Applies to pages written from now on; existing history rows are left as they are.
"""

from django.db import migrations


def set_fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE notifications_notification SET (fillfactor = {int(value)})"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_notice_details"),
    ]

    operations = [
        migrations.RunPython(set_fillfactor(50), set_fillfactor(100), elidable=False),
    ]
