import datetime

import factory

from attendance.models import AbsenceFollowUp, Attendance, AttendanceLetter, Mark
from tests.factories.groups import EnrollmentFactory
from tests.factories.members import UserFactory
from tests.factories.sessions import SessionFactory


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A bare record (no history row); use attendance.services.attendance_mark for real flows."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(UserFactory)
    mark = Mark.PRESENT


class AbsenceFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbsenceFollowUp

    enrollment = factory.SubFactory(EnrollmentFactory)
    threshold_session = factory.SubFactory(
        SessionFactory, group=factory.SelfAttribute("..enrollment.group")
    )
    absences = 2


class AttendanceLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceLetter

    code = factory.Sequence(lambda n: f"TESTCODE{n:04d}")
    member = factory.SubFactory(UserFactory)
    group = factory.SubFactory("tests.factories.groups.GroupFactory")
    name_on_letter = factory.LazyAttribute(lambda o: o.member.display_name)
    date_from = datetime.date(2026, 1, 1)
    date_to = factory.LazyAttribute(lambda o: o.date_from)
    sessions_attended = 0
    total_minutes = 0
