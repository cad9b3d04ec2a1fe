"""A world with something of everyone's: the member's own records, and a co-member's, a
partner's and another group's member's, each marked with words that must stay theirs."""

import datetime
from dataclasses import dataclass

import pytest

from attendance.models import AttendanceChange, Mark
from members.models import Invitation
from notifications.models import Channel, Kind, Status
from tests.factories import (
    AttendanceFactory,
    AttendanceLetterFactory,
    MaterialFactory,
    NotificationFactory,
    PreferenceFactory,
    ReadingFactory,
    RSVPFactory,
    SessionFactory,
)
from tests.factories.groups import IntakeFactory, SharingConsentFactory

PAST = datetime.datetime(2026, 11, 3, 19, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2026, 12, 15, 19, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


@dataclass
class Records:
    past_session: object
    future_session: object
    partner_session: object
    member_attendance: object
    co_member_attendance: object


def _intake(member, recorded_by, tag):
    return IntakeFactory(
        member=member,
        recorded_by=recorded_by,
        others_concerned=f"{tag}-concern",
        self_concerned=f"{tag}-self",
        escape=f"{tag}-escape",
        secrets=f"{tag}-secrets",
        others_disturbed=f"{tag}-disturbed",
        shame=f"{tag}-shame",
        notes=f"{tag}-notes",
    )


def _notify(recipient, session, tag):
    return NotificationFactory(
        recipient=recipient,
        session=session,
        kind=Kind.SESSION_SCHEDULED,
        channel=Channel.IN_APP,
        status=Status.SENT,
        sent_at=PAST,
        title=f"{tag}-subject",
        body=f"{tag}-body",
    )


@pytest.fixture
def records(world) -> Records:
    """GIVEN the member, a co-member in the same group, the member's partner (with sharing
    both ways) and a member of another group, each with intake, answers, marks and messages."""
    past = SessionFactory(group=world.addict_group, starts_at=PAST)
    future = SessionFactory(group=world.addict_group, starts_at=FUTURE)
    partner_session = SessionFactory(group=world.partner_group, starts_at=PAST)

    _intake(world.member, world.facilitator, "ALEX")
    _intake(world.co_member, world.facilitator, "CASEY")
    _intake(world.partner, world.other_facilitator, "JORDAN")
    _intake(world.other_kind_member, world.other_facilitator, "MORGAN")

    RSVPFactory(session=past, member=world.member, note="ALEX-rsvp-note")
    RSVPFactory(session=future, member=world.member, note="ALEX-future-note")
    RSVPFactory(session=past, member=world.co_member, note="CASEY-rsvp-note")
    RSVPFactory(session=partner_session, member=world.partner, note="JORDAN-rsvp-note")

    mine = AttendanceFactory(
        session=past, member=world.member, mark=Mark.EXCUSED, reason="ALEX-excuse"
    )
    AttendanceChange.objects.create(
        attendance=mine, new_mark=Mark.EXCUSED, new_reason="ALEX-excuse"
    )
    theirs = AttendanceFactory(
        session=past, member=world.co_member, mark=Mark.EXCUSED, reason="CASEY-excuse"
    )
    AttendanceFactory(session=partner_session, member=world.partner, reason="JORDAN-excuse")
    AttendanceFactory(
        session=partner_session, member=world.other_kind_member, reason="MORGAN-excuse"
    )
    AttendanceLetterFactory(member=world.member, group=world.addict_group)

    _notify(world.member, past, "ALEX")
    _notify(world.co_member, past, "CASEY")
    _notify(world.partner, partner_session, "JORDAN")
    PreferenceFactory(user=world.member, reminders_on=False)

    material = MaterialFactory(group=world.addict_group, title="Evening reading")
    ReadingFactory(material=material, member=world.member)
    ReadingFactory(material=material, member=world.co_member)

    SharingConsentFactory(owner=world.member, viewer=world.partner, group=world.addict_group)
    SharingConsentFactory(owner=world.partner, viewer=world.member, group=world.partner_group)
    Invitation.objects.create(
        email=world.member.email,
        invited_by=world.facilitator,
        group=world.addict_group,
        expires_at=PAST,
        accepted_at=PAST,
        accepted_by=world.member,
    )
    Invitation.objects.create(
        email=world.co_member.email,
        invited_by=world.facilitator,
        group=world.addict_group,
        expires_at=PAST,
        accepted_at=PAST,
        accepted_by=world.co_member,
    )
    world.member.phone = "+447700900123"
    world.member.save()
    return Records(
        past_session=past,
        future_session=future,
        partner_session=partner_session,
        member_attendance=mine,
        co_member_attendance=theirs,
    )
