"""On PostgreSQL the table itself refuses UPDATE and DELETE (a trigger), whatever the ORM does;
only audit_prune removes rows past retention, and it leaves its own row."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit import api as audit
from audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.service("postgres")]

TABLE = AuditEvent._meta.db_table


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_update_and_delete_are_refused_by_the_database(world):
    # GIVEN a row
    audit.record("intake.read", subject=world.member, actor=world.facilitator)
    pk = AuditEvent.objects.get().pk
    # WHEN anyone with SQL access tries to change or delete it THEN the database refuses
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET action = 'auth.login' WHERE id = %s", [pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
    assert AuditEvent.objects.get().action == "intake.read"


@pytest.mark.django_db(transaction=True)  # real transactions: SET LOCAL ends with each
def test_the_prune_switch_lasts_only_for_its_own_transaction(world):
    # GIVEN a transaction that set the switch and ended
    audit.record("intake.read", subject=world.member, actor=world.facilitator)
    _raw("SET LOCAL circle.audit_prune = 'on'")
    # WHEN a later transaction deletes THEN it is refused again
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")  # noqa: S608
    assert AuditEvent.objects.count() == 1


def test_audit_prune_removes_only_rows_past_retention_and_records_itself(world, settings):
    settings.AUDIT_RETENTION_DAYS = 2192
    # GIVEN a row from seven years ago and one from last month
    with time_machine.travel(datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC)):
        audit.record("intake.read", subject=world.member, actor=world.facilitator)
    with time_machine.travel(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)):
        audit.record("attendance.read", subject=world.member, actor=world.facilitator)
    # WHEN the command runs
    out = StringIO()
    call_command("audit_prune", stdout=out)
    # THEN only the old row is gone, and the prune left its own row with the count
    assert "Removed 1 audit row." in out.getvalue()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "attendance.read",
        "audit.prune",
    }
    pruned = AuditEvent.objects.get(action="audit.prune")
    assert pruned.detail["deleted"] == 1 and pruned.detail["retention_days"] == 2192
    # AND the table is locked again afterwards
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")  # noqa: S608
