"""Factories for every model, one module per app; import them from here."""

from tests.factories.attendance import (
    AbsenceFollowUpFactory,
    AttendanceFactory,
    AttendanceLetterFactory,
)
from tests.factories.groups import EnrollmentFactory, GroupFactory
from tests.factories.materials import LibraryItemFactory, MaterialFactory, ReadingFactory
from tests.factories.members import CoupleFactory, UserFactory, enable_totp
from tests.factories.notifications import NotificationFactory, PreferenceFactory
from tests.factories.sessions import RSVPFactory, SeriesFactory, SessionFactory

__all__ = [
    "AbsenceFollowUpFactory",
    "AttendanceFactory",
    "AttendanceLetterFactory",
    "CoupleFactory",
    "EnrollmentFactory",
    "GroupFactory",
    "LibraryItemFactory",
    "MaterialFactory",
    "NotificationFactory",
    "PreferenceFactory",
    "RSVPFactory",
    "ReadingFactory",
    "SeriesFactory",
    "SessionFactory",
    "UserFactory",
    "enable_totp",
]
