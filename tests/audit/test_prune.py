"""audit_prune on any database: removes rows past retention and records itself."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from audit import api as audit
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_dry_run_counts_and_removes_nothing(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with time_machine.travel(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)):
        audit.record("intake.read", subject=world.member, actor=world.facilitator)
    out = StringIO()
    call_command("audit_prune", "--dry-run", stdout=out)
    assert "Would remove 1 audit row." in out.getvalue()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["intake.read"]


def test_prune_removes_old_rows_and_leaves_its_own(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with time_machine.travel(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)):
        audit.record("intake.read", subject=world.member, actor=world.facilitator)
    audit.record("attendance.read", subject=world.member, actor=world.facilitator)
    call_command("audit_prune", stdout=StringIO())
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions == {"attendance.read", "audit.prune"}
    assert AuditEvent.objects.get(action="audit.prune").detail["deleted"] == 1
