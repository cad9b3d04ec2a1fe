import datetime
import threading

import pytest
from django.db import connection

from attendance.models import AbsenceFollowUp, Attendance, Mark
from attendance.services import attendance_mark
from tests.factories import SessionFactory


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_absences_marked_at_once_notify_exactly_once(world, monkeypatch):
    """GIVEN two facilitators marking the same member absent at two sessions at the same moment
    THEN the member's marks are taken one at a time and the follow-up fires exactly once."""
    notified = []
    monkeypatch.setattr("notifications.api.absence_follow_up_opened", notified.append)
    now = datetime.datetime.now(datetime.UTC)
    sessions = [
        SessionFactory(group=world.addict_group, starts_at=now - datetime.timedelta(days=days))
        for days in (14, 7)
    ]
    barrier = threading.Barrier(len(sessions) * 2)
    errors = []

    def mark(session, actor):
        try:
            barrier.wait()
            attendance_mark(session=session, member=world.member, mark=Mark.ABSENT, actor=actor)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=mark, args=(session, actor))
        for session in sessions
        for actor in (world.facilitator, world.staff)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Attendance.objects.filter(member=world.member).count() == 2
    assert len(notified) == 1
    assert AbsenceFollowUp.objects.get().threshold_session == sessions[1]
