"""Queries per page, pinned for the clinical pages the bench measures (questionnaires and
check-ins, notes, the waiting list, the request queue, the audit trail and a member's own
record): the same on a small clinic and a larger one, none above 12. Counted on a second
request, as in test_page_queries.py; each page must also show the clinic's rows, so that a
count that stays flat is not a page that shows nothing."""

import datetime
import re

import pytest
import time_machine

from attendance.models import Mark
from groups.models import EnrollmentStatus
from measures.models import ResponseStatus
from notes.models import NoteKind
from privacy.models import ErasureStatus
from referrals.models import EntryStatus, Status
from tests.core.page_queries import second_request
from tests.factories import AttendanceFactory, EnrollmentFactory, SessionFactory, UserFactory
from tests.factories.audit import AuditEventFactory
from tests.factories.groups import IntakeFactory, IntakeShareFactory, SharingConsentFactory
from tests.factories.measures import (
    AlertFactory,
    CheckInFactory,
    CheckInShareFactory,
    MilestoneFactory,
    PromptFactory,
    ResponseFactory,
    ScheduleFactory,
    instrument,
)
from tests.factories.notes import AddendumFactory, NoteFactory
from tests.factories.privacy import ErasureRequestFactory
from tests.factories.referrals import ReferralFactory, SeatOfferFactory, WaitingListEntryFactory
from tests.notes.test_queries import NOTES_LIST_QUERIES, TIMELINE_QUERIES

NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
GOAL = 12
DAY = datetime.timedelta(days=1)


def _present(j: int) -> bool:
    return j % 3 != 2  # every third person missed the session


def _held(world, group, n: int, people: list) -> list:
    """`n` held sessions, every third day: marks, the group note (a draft), progress notes of
    those present (every other one signed, with an addendum) and everyone's PHQ-9 answers
    before it (one flagged: an open alert)."""
    schedule = ScheduleFactory(group=group, created_by=world.facilitator)
    held = []
    for i in range(1, n + 1):
        start = NOW - 3 * i * DAY + datetime.timedelta(hours=7)
        session = SessionFactory(group=group, starts_at=start)
        held.append(session)
        NoteFactory(session=session, member=None, kind=NoteKind.GROUP, created_by=world.facilitator)
        for j, person in enumerate(people):
            AttendanceFactory(
                session=session, member=person, mark=Mark.PRESENT if _present(j) else Mark.ABSENT
            )
            if _present(j):
                signed = j % 2 == 0
                note = NoteFactory(
                    session=session,
                    member=person,
                    created_by=world.facilitator,
                    signed_by=world.facilitator if signed else None,
                    signed_at=NOW if signed else None,
                )
                if signed:
                    AddendumFactory(note=note, signed_by=world.facilitator)
            prompt = PromptFactory(
                schedule=schedule,
                member=person,
                slot=f"session:{session.pk}",
                session=session,
                closes_at=start,
            )
            answered = ResponseFactory(
                member=person, prompt=prompt, submitted_at=start - datetime.timedelta(hours=2)
            )
            if j == i % len(people):
                AlertFactory(response=answered, group=group)
    return held


def _own(world, group, n: int) -> None:
    """The member's own: a PHQ-9 asked before each of `n` coming sessions, `n` GAD-7s saved
    and `n` sent of their own accord, `n` weekly check-ins, a milestone, what they share."""
    schedule = ScheduleFactory(group=group, created_by=world.facilitator)
    gad7 = instrument("gad-7")
    for i in range(1, n + 1):
        coming = SessionFactory(group=group, starts_at=NOW + 3 * i * DAY)
        PromptFactory(
            schedule=schedule,
            member=world.member,
            slot=f"session:{coming.pk}",
            session=coming,
            closes_at=coming.starts_at,
        )
        ResponseFactory(
            member=world.member, instrument=gad7, status=ResponseStatus.DRAFT, submitted_at=None
        )
        ResponseFactory(member=world.member, instrument=gad7, submitted_at=NOW - 3 * i * DAY)
        CheckInFactory(member=world.member, week=datetime.date(2026, 11, 23) - 7 * i * DAY)
    MilestoneFactory(member=world.member)
    CheckInShareFactory(owner=world.member, viewer=world.partner)
    SharingConsentFactory(owner=world.member, viewer=world.partner, group=group)
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator, group=group)
    IntakeShareFactory(intake=intake, group=world.partner_group)


def _office(world, group, n: int, people: list) -> None:
    """`n` open requests (some taken, some matched with the group), `n` people waiting for
    a seat (the first offered one) and `n` taken off the list, the member's `n` refused
    erasure requests, and the trail: the facilitator and staff opened the member's screening
    each of the last `n` days, staff once more long ago (past the trail's 90 days, within a
    year), and the facilitator opened someone's attendance."""
    for i in range(1, n + 1):
        ReferralFactory(
            status=(Status.NEW, Status.CONTACTED, Status.SCREENED)[i % 3],
            taken_by=(None, world.facilitator, world.staff)[i % 3],
            group=group if i % 2 else None,
        )
        entry = WaitingListEntryFactory(
            group=group,
            added_by=world.facilitator,
            status=EntryStatus.OFFERED if i == 1 else EntryStatus.WAITING,
        )
        if i == 1:
            SeatOfferFactory(entry=entry)
        WaitingListEntryFactory(group=group, added_by=world.facilitator, status=EntryStatus.REMOVED)
        ErasureRequestFactory(
            member=world.member,
            status=ErasureStatus.REFUSED,
            decided_by=world.staff,
            decided_at=NOW - i * DAY,
        )
        for actor in (world.facilitator, world.staff):
            AuditEventFactory(
                actor_id=actor.pk,
                actor_role=actor.role,
                subject_id=world.member.pk,
                at=NOW - i * DAY,
            )
        AuditEventFactory(
            actor_id=world.staff.pk,
            actor_role=world.staff.role,
            subject_id=world.member.pk,
            at=NOW - (120 + i) * DAY,
        )
        AuditEventFactory(
            actor_id=world.facilitator.pk,
            subject_id=people[i % len(people)].pk,
            action="attendance.read",
            target="members.user",
            at=NOW - i * DAY,
        )


def _clinic(world, n: int, members: int) -> dict:
    """`n` of everything (held sessions, questionnaires, check-ins, requests, people waiting,
    audit rows...), `members` more members in the member's group and one who left it."""
    group = world.addict_group
    people = [world.member, world.co_member] + [UserFactory() for _ in range(members)]
    for person in people[2:]:
        EnrollmentFactory(group=group, member=person)
    EnrollmentFactory(
        group=group,
        status=EnrollmentStatus.LEFT,
        joined_on=datetime.date(2026, 1, 6),
        left_on=datetime.date(2026, 6, 2),
    )
    group.capacity = len(people) + 3
    group.save(update_fields=["capacity"])
    held = _held(world, group, n, people)
    _own(world, group, n)
    _office(world, group, n, people)
    return {"held": held[0], "people": people}


def _pages(world, built) -> list[tuple[str, object, str]]:
    group, member = world.addict_group.pk, world.member.pk
    return [
        ("questionnaires", world.member, "/measures/"),
        ("check-ins", world.member, "/measures/check-ins/"),
        ("own record", world.member, "/my-data/"),
        ("notes list", world.facilitator, "/notes/"),
        ("session notes", world.facilitator, f"/notes/sessions/{built['held'].pk}/"),
        ("member timeline", world.facilitator, f"/notes/members/{member}/"),
        ("group questionnaires", world.facilitator, f"/measures/groups/{group}/"),
        ("member's answers", world.facilitator, f"/measures/groups/{group}/members/{member}/"),
        ("waiting list", world.facilitator, f"/referrals/group/{group}/waiting/"),
        ("request queue", world.staff, "/referrals/"),
        ("audit trail", world.staff, "/audit/"),
        ("disclosures", world.staff, f"/audit/people/{member}/disclosures/"),
    ]


def _shown(n: int, people: list) -> dict[str, dict[str, int]]:
    """What each page must show: how many times each pattern occurs."""
    present = sum(_present(j) for j in range(len(people)))
    return {
        "questionnaires": {
            r'href="/measures/questions/\d+/"': n,  # asked before each coming session
            r'href="/measures/answers/\d+/"': n,  # saved, not sent
            r"Latest: <strong>": 2,  # PHQ-9 (asked by the group) and GAD-7 (of my own accord)
        },
        "check-ins": {r"Note: A steady week\.": min(n, 12), r"days: Since I started": 1},
        "own record": {
            r"Opened a screening\.": 3 * n,
            r"sees your attendance for": 1,
            r"can read your intake notes of": 1,
            r'href="/my-data/erasure/\d+/"': min(n, 5),
        },
        "notes list": {r'href="/notes/sessions/\d+/"': n},
        "session notes": {r'<li id="member-\d+"': present},
        "member timeline": {r"Tuesday evening:": n, r"first-meeting questions": 1},
        "group questionnaires": {
            r"Please check in with": n,
            r'href="/measures/groups/\d+/members/\d+/"': len(people) + 1,  # and who left
            r"Fewer than 5 answers: not shown|\(Mild\)": n,  # a row per slot
            # whom a schedule may single out: the active members only
            r'<option value="\d+">(?:Alex|Casey|Person \d+)</option>': len(people),
        },
        "member's answers": {r'href="/measures/groups/\d+/members/\d+/answers/\d+/"': 2 * n},
        "waiting list": {r"waiting since": n, r"until ": 1, r"· Taken off the list ·": n},
        "request queue": {r'href="/referrals/\d+/"': n},
        "audit trail": {r"<code>intake\.read</code>": 2 * n, r"<code>attendance\.read</code>": n},
        "disclosures": {r"Opened a screening": 3 * n},
    }


def _counts(world, n: int, members: int) -> dict[str, int]:
    with time_machine.travel(NOW, tick=False):
        built = _clinic(world, n, members)
        shown = _shown(n, built["people"])
        counts = {}
        for name, who, path in _pages(world, built):
            response, counts[name] = second_request(who, name, path)
            html = response.content.decode()
            found = {pattern: len(re.findall(pattern, html)) for pattern in shown[name]}
            assert found == shown[name], name
    return counts


# On SQLite inside a test's transaction, as in test_page_queries.py: every signed-in page
# starts with the session and the user, the menu counts unread notifications once, and an
# audited read adds SAVEPOINT, INSERT and RELEASE (PostgreSQL in production runs the INSERT).
PAGE = 2
UNREAD = 1
AUDITED = 3
PAGE_QUERIES = {
    # --- the member
    "questionnaires": PAGE
    + 1  # my sent answers with their questionnaires (the lines over time)
    + 1  # questions waiting for me, with their sessions and questionnaires
    + 1  # my milestone
    + UNREAD
    + 1  # answers I saved and have not sent
    + 1,  # questionnaires I may start myself
    "check-ins": PAGE
    + 1  # my last twelve check-ins
    + 1  # my milestone
    + UNREAD,
    "own record": PAGE
    + 1  # whom I share my attendance with, revoked too (also to say "someone you share with")
    + 1  # whom I let read an intake
    + 1  # who opened or changed my record in the last year (the trail)
    + 1  # the facilitators of my groups (to say "a facilitator of your group")
    + 1  # my own names for the groups
    + 1  # my open erasure request
    + UNREAD
    + 1,  # my last five erasure requests
    # --- the facilitator of the member's group
    "notes list": NOTES_LIST_QUERIES,  # pinned in tests/notes/test_queries.py
    "session notes": PAGE
    + 1  # the session with its group, if I run it
    + 1  # the roll on the day (stints with members)
    + 1  # their marks
    + 1  # the session's notes with their signers
    + AUDITED
    + UNREAD,
    "member timeline": TIMELINE_QUERIES,  # pinned in tests/notes/test_queries.py
    "group questionnaires": PAGE
    + 1  # the group, if I run it
    + 1  # everyone who took part, with whether they are active (the list and the form)
    + AUDITED
    + 1  # answers to the group's schedules, with their slots (the averages)
    + 1  # the group's open alerts, with the members
    + UNREAD
    + 1  # the group's schedules with their questionnaires and members
    + 1,  # questionnaires to schedule (the form)
    "member's answers": PAGE
    + 1  # the group, if I run it
    + 1  # the member's stints in it, with the member
    + 1  # their sent answers I may read, with the questionnaires
    + AUDITED
    + UNREAD,
    "waiting list": PAGE
    + 1  # the group, if I run it
    + 1  # who is waiting, with who added them and when an open offer runs out
    + 1  # the last twenty taken off the list or joined
    + AUDITED
    + 1  # seats held by open offers
    + 1  # seats taken
    + UNREAD,
    # --- staff
    "request queue": PAGE
    + UNREAD
    + 1  # how many open requests (the pages)
    + 1,  # a page of them, with who took them and the group
    "audit trail": PAGE
    + 1  # how many rows in the last 90 days (the pages)
    + 1  # the first fifty
    + 1  # the names of the people in them
    + AUDITED
    + UNREAD,
    "disclosures": PAGE
    + 1  # the person's name
    + 1  # who opened or changed their record in the last year
    + 1  # the names of those people
    + AUDITED
    + UNREAD,
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [(3, 1), (9, 8)], ids=["small", "large"])
def test_queries_per_clinical_page_are_flat_and_at_most_twelve(world, size):
    # GIVEN a small clinic (3 of everything, 3 members) or a larger one (9 of everything,
    # 10 members): the counts below are the same for both
    n, members = size
    # THEN each page runs the pinned queries, and none more than twelve
    assert _counts(world, n, members) == PAGE_QUERIES
    assert {name: q for name, q in PAGE_QUERIES.items() if q > GOAL} == {}
