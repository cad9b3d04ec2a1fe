"""Remove audit rows older than AUDIT_RETENTION_DAYS (the only way rows ever leave the trail).

Run it from cron or a scheduler (daily is plenty); it leaves an "audit.prune" row with the count.
"""

from django.core.management.base import BaseCommand

from audit.services import audit_prune


class Command(BaseCommand):
    help = "Remove audit rows past the retention period (AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows that would go; remove none."
        )

    def handle(self, *args, dry_run=False, **options):
        count = audit_prune(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {count} audit row{'s' if count != 1 else ''}.")
