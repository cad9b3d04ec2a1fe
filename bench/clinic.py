"""A large clinic, the same from the same seed: 300 groups of the three kinds, 6,000 members
(some in two groups, 300 couples), a weekly series per group with a year of past sessions
(attendance, RSVPs) and 26 weeks ahead, reading with read receipts, and an outbox of 100,000
sent rows. Written through bulk INSERTs, never one request or one service call per row; the
reminder rows of the coming days are then made by the real reconciliation. The clinical record
(notes, screenings, questionnaires, check-ins, referrals, the audit trail) is bench/clinical.py's.

`scale` shrinks everything in proportion (QUICK runs use 0.05).
"""

import datetime
import random
import time
import zoneinfo
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from attendance.models import Attendance, AttendanceChange, Mark
from groups.models import Enrollment, Group, GroupFormat, GroupKind
from materials.models import ContentForm, Material, Reading
from members.models import Couple, Role, User
from notes.models import Note
from notifications import delivery
from notifications.models import Channel, Kind, Notification, Status
from referrals.models import OPEN_STATUSES, Referral
from sessions.models import RSVP, Answer, Seat, Series, Session, SessionStatus

EMAIL_DOMAIN = "bench.example.org"
PASSWORD = "bench-clinic-2026"  # noqa: S105 (a throwaway clinic on a scratch database)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (same reason)
ZONE = "Europe/London"
BATCH = 5000
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MARKS = [Mark.PRESENT] * 15 + [Mark.LATE] + [Mark.LEFT_EARLY] + [Mark.ABSENT] * 2 + [Mark.EXCUSED]
ANSWERS = [Answer.GOING] * 6 + [Answer.MAYBE] + [Answer.NOT_GOING] * 2


@dataclass(frozen=True)
class SessionRow:
    pk: int
    group_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass
class Built:
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def staff_email() -> str:
    return f"staff@{EMAIL_DOMAIN}"


def facilitator_email(i: int = 0) -> str:
    return f"facilitator{i}@{EMAIL_DOMAIN}"


def member_email(i: int = 0) -> str:
    return f"member{i}@{EMAIL_DOMAIN}"


def exists() -> bool:
    return User.objects.filter(email=staff_email()).exists()


def _bulk(model, rows, **kwargs):
    return model.objects.bulk_create(rows, batch_size=BATCH, **kwargs)


class _Copier:
    """COPY FROM STDIN for the big tables (PostgreSQL): rows as dicts by attname, every other
    column from the model's own defaults; ids handed out here, sequences set afterwards."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        base = model()
        stamp = timezone.now()
        self.defaults = {
            f.attname: f.get_db_prep_save(
                stamp
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else getattr(base, f.attname),
                connection,
            )
            for f in self.fields
        }
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def write(self, rows) -> list[int]:
        table = self.model._meta.db_table
        columns = ", ".join(["id", *(f.column for f in self.fields)])
        ids = []
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    ids.append(self.next_id)
                    copy.write_row(
                        [
                            self.next_id,
                            *(row.get(f.attname, self.defaults[f.attname]) for f in self.fields),
                        ]
                    )
                    self.next_id += 1
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [self.next_id]
            )
        return ids


def build(*, seed: int = 2026, scale: float = 1.0, sent_rows: int = 100_000, log=print) -> Built:
    """Build the clinic into the (empty) database Django is connected to."""
    began = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    n_groups = max(3, round(300 * scale) // 3 * 3)
    n_members = max(60, round(6000 * scale))
    n_couples = max(3, round(300 * scale))
    n_facilitators = max(2, n_groups // 2)
    weeks_past, weeks_ahead = 52, 26

    with transaction.atomic():
        # People: one password hash for all (hashing 6,000 times is not the point).
        password = make_password(PASSWORD)
        people = [
            User(email=staff_email(), display_name="Sam", role=Role.STAFF, is_staff=True,
                 is_superuser=True, password=password, time_zone=ZONE)
        ] + [
            User(email=facilitator_email(i), display_name=f"Facilitator {i}",
                 role=Role.FACILITATOR, password=password, time_zone=ZONE)
            for i in range(n_facilitators)
        ] + [
            User(email=member_email(i), display_name=f"Member {i}", role=Role.MEMBER,
                 password=password, time_zone=ZONE)
            for i in range(n_members)
        ]  # fmt: skip
        people = _bulk(User, people)
        staff, facilitators, members = (
            people[0],
            people[1 : 1 + n_facilitators],
            people[1 + n_facilitators :],
        )
        _bulk(
            EmailAddress,
            [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people],
        )
        secret = get_mfa_adapter().encrypt(TOTP_SECRET)
        _bulk(
            Authenticator,
            [
                Authenticator(user=p, type=Authenticator.Type.TOTP, data={"secret": secret})
                for p in [staff, *facilitators]
            ],
        )
        log(f"  people: {len(people)}")

        # Groups: the three kinds in turn, each run by one facilitator (each runs two).
        kinds = [GroupKind.ADDICT, GroupKind.PARTNER, GroupKind.COUPLES]
        formats = [GroupFormat.IN_PERSON, GroupFormat.ONLINE, GroupFormat.HYBRID]
        groups = _bulk(
            Group,
            [
                Group(
                    name=f"Group {i}",
                    kind=kinds[i % 3],
                    format=formats[(i // 3) % 3],
                    time_zone=ZONE,
                    address="12 Quiet Lane" if formats[(i // 3) % 3] != GroupFormat.ONLINE else "",
                    video_url="https://video.example.com/room"
                    if formats[(i // 3) % 3] != GroupFormat.IN_PERSON
                    else "",
                    capacity=30 if i % 4 == 0 else None,
                )
                for i in range(n_groups)
            ],
        )
        through = Group.facilitators.through
        _bulk(
            through,
            [through(group_id=g.pk, user_id=facilitators[i // 2 % n_facilitators].pk)
             for i, g in enumerate(groups)],
        )  # fmt: skip

        # Members: couples go to couples groups together; the rest to recovery and partner
        # groups, one in six of them in a second one too.
        singles_groups = [g for g in groups if g.kind != GroupKind.COUPLES]
        couples_groups = [g for g in groups if g.kind == GroupKind.COUPLES]
        in_couples = members[: 2 * n_couples]
        singles = members[2 * n_couples :]
        couples = _bulk(
            Couple,
            [
                Couple(first=in_couples[2 * i], second=in_couples[2 * i + 1], linked_by=staff)
                for i in range(n_couples)
            ],
        )
        joined = (now - datetime.timedelta(weeks=weeks_past + 1)).date()
        enrollments = []
        for i, couple in enumerate(couples):
            group = couples_groups[i % len(couples_groups)]
            for person in couple.members():
                enrollments.append(
                    Enrollment(group=group, member=person, couple=couple, joined_on=joined)
                )
        for i, person in enumerate(singles):
            first = singles_groups[i % len(singles_groups)]
            enrollments.append(Enrollment(group=first, member=person, joined_on=joined))
            if i % 6 == 0:
                second = singles_groups[(i + len(singles_groups) // 2 + 1) % len(singles_groups)]
                if second.pk != first.pk:
                    enrollments.append(Enrollment(group=second, member=person, joined_on=joined))
        enrollments = _bulk(Enrollment, enrollments)
        roster: dict[int, list] = {}
        for e in enrollments:
            roster.setdefault(e.group_id, []).append(e)
        log(f"  groups: {len(groups)}, enrollments: {len(enrollments)}, couples: {len(couples)}")

        # A weekly series per group, and its sessions: a year back and 26 weeks ahead.
        tz = zoneinfo.ZoneInfo(ZONE)
        today = now.astimezone(tz).date()
        series_rows, session_rows = [], []
        for i, group in enumerate(groups):
            weekday = i % 7
            first_day = today - datetime.timedelta(weeks=weeks_past)
            first_day += datetime.timedelta(days=(weekday - first_day.weekday()) % 7)
            start_time = datetime.time(17 + i % 4, 0)
            series_rows.append(
                Series(
                    group=group,
                    rrule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]}",
                    starts_on=first_day,
                    start_time=start_time,
                    duration_minutes=90,
                    materialised_until=now + datetime.timedelta(weeks=weeks_ahead),
                    created_by=staff,
                )
            )
        series_rows = _bulk(Series, series_rows)
        for group, series in zip(groups, series_rows, strict=True):
            for week in range(weeks_past + weeks_ahead):
                day = series.starts_on + datetime.timedelta(weeks=week)
                start = datetime.datetime.combine(day, series.start_time, tzinfo=tz).astimezone(
                    datetime.UTC
                )
                if start > now + datetime.timedelta(weeks=weeks_ahead):
                    break
                past = start < now
                session_rows.append(
                    {
                        "group_id": group.pk,
                        "series_id": series.pk,
                        "original_start": start,
                        "starts_at": start,
                        "ends_at": start + datetime.timedelta(minutes=90),
                        "status": SessionStatus.COMPLETED if past else SessionStatus.SCHEDULED,
                        "topic": f"Week {week + 1}",
                    }
                )
        session_ids = _Copier(Session).write(session_rows)
        sessions = [
            SessionRow(pk, row["group_id"], row["starts_at"], row["ends_at"])
            for pk, row in zip(session_ids, session_rows, strict=True)
        ]
        log(f"  series: {len(series_rows)}, sessions: {len(sessions)}")

        # The past: RSVPs and attendance (with its first change row); RSVPs four weeks ahead.
        soon = now + datetime.timedelta(weeks=4)
        rsvps, marks = [], []
        marker = facilitators[0].pk
        for session in sessions:
            people_in = roster.get(session.group_id, [])
            if session.starts_at < soon:
                for e in people_in:
                    if rng.random() < 0.6:
                        answer = rng.choice(ANSWERS)
                        rsvps.append(
                            {
                                "session_id": session.pk,
                                "member_id": e.member_id,
                                "answer": answer,
                                "seat": Seat.CONFIRMED if answer == Answer.GOING else Seat.NONE,
                                "answered_at": session.starts_at - datetime.timedelta(days=2),
                            }
                        )
            if session.starts_at < now:
                for e in people_in:
                    marks.append(
                        {
                            "session_id": session.pk,
                            "member_id": e.member_id,
                            "enrollment_id": e.pk,
                            "mark": rng.choice(MARKS),
                            "marked_by_id": marker,
                            "marked_at": session.ends_at,
                        }
                    )
        _Copier(RSVP).write(rsvps)
        mark_ids = _Copier(Attendance).write(marks)
        _Copier(AttendanceChange).write(
            {
                "attendance_id": pk,
                "changed_by_id": marker,
                "changed_at": mark["marked_at"],
                "new_mark": mark["mark"],
            }
            for pk, mark in zip(mark_ids, marks, strict=True)
        )
        log(f"  rsvps: {len(rsvps)}, attendance marks: {len(marks)}")

        # Reading: ten items per group (one a small file), most of them read.
        materials = []
        for group in groups:
            for j in range(10):
                materials.append(
                    Material(
                        group=group,
                        title=f"Reading {j + 1}",
                        form=ContentForm.TEXT if j else ContentForm.FILE,
                        body="A short passage to read before the session." if j else "",
                        visible_from=now - datetime.timedelta(weeks=10 - j),
                        published_at=now - datetime.timedelta(weeks=10 - j),
                        created_by=staff,
                    )
                )
        materials = _bulk(Material, materials)
        for material in materials:
            if material.form == ContentForm.FILE:
                material.file.save(
                    f"bench-{material.pk}.txt", ContentFile(b"Notes for the week.\n" * 200),
                    save=False,
                )  # fmt: skip
                material.file_type, material.file_size = "text/plain", material.file.size
        Material.objects.bulk_update(
            [m for m in materials if m.form == ContentForm.FILE],
            ["file", "file_type", "file_size"],
            batch_size=BATCH,
        )
        readings = [
            {"material_id": m.pk, "member_id": e.member_id, "read_at": m.visible_from}
            for m in materials
            for e in roster.get(m.group_id, [])
            if rng.random() < 0.5
        ]
        _Copier(Reading).write(readings)
        log(f"  materials: {len(materials)}, readings: {len(readings)}")

        # The outbox's history: sent reminders of past sessions.
        past_sessions = [s for s in sessions if s.starts_at < now]
        sent: list[dict] = []
        while len(sent) < sent_rows and past_sessions:
            session = past_sessions[len(sent) % len(past_sessions)]
            people_in = roster.get(session.group_id, [])
            if not people_in:
                break
            member_id = people_in[len(sent) // len(past_sessions) % len(people_in)].member_id
            sent.append(
                {
                    "recipient_id": member_id,
                    "kind": Kind.REMINDER,
                    "channel": Channel.EMAIL,
                    "session_id": session.pk,
                    "offset_minutes": 120,
                    "key": f"bench:{len(sent)}",
                    "due_at": session.starts_at - datetime.timedelta(hours=2),
                    "status": Status.SENT,
                    "sent_at": session.starts_at - datetime.timedelta(hours=2),
                    "dispatch_token": f"{len(sent):032x}",
                    "title": "Your session",
                }
            )
        _Copier(Notification).write(sent)
        log(f"  sent outbox rows: {len(sent)}")

        # The clinical record on top of it all (imported here: it builds with this module).
        from bench import clinical

        record = clinical.build(
            rng=rng, now=now, scale=scale, staff=staff, members=members, groups=groups,
            roster=roster, sessions=sessions, marks=marks, mark_ids=mark_ids, log=log,
        )  # fmt: skip

    # The coming days' reminders, by the real reconciliation (the rolling window).
    reconcile_began = time.monotonic()
    delivery.outbox_reconcile()
    pending = Notification.objects.filter(status=Status.PENDING).count()
    log(f"  reconciliation: {pending} pending rows in {time.monotonic() - reconcile_began:.1f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    built = Built(seconds=time.monotonic() - began)
    built.counts = {
        "people": len(people),
        "members": len(members),
        "groups": len(groups),
        "sessions": len(sessions),
        "attendance": len(marks),
        "rsvps": len(rsvps),
        "readings": len(readings),
        "outbox_sent": len(sent),
        "outbox_pending": pending,
        **record,
    }
    return built


def sample(now=None) -> dict:
    """The people and objects the benches open: a member in two groups, a facilitator, staff,
    a past and a coming session of the member's group, a file to download, and a signed
    progress note of the member's in that group (None on a clinic built without notes)."""
    now = now or timezone.now()
    facilitator = User.objects.get(email=facilitator_email(0))
    group = Group.objects.filter(facilitators=facilitator).order_by("pk").first()
    member = User.objects.get(email=member_email(2 * Couple.objects.count()))
    coming = Session.objects.filter(group=group, starts_at__gt=now).order_by("starts_at").first()
    past = Session.objects.filter(group=group, starts_at__lt=now).order_by("-starts_at").first()
    download = Material.objects.filter(group=group, form=ContentForm.FILE).order_by("pk").first()
    return {
        "staff": User.objects.get(email=staff_email()),
        "facilitator": facilitator,
        "member": member,
        "group": group,
        "coming": coming,
        "past": past,
        "download": download,
        "note": signed_note(member, group),
        # A member whose record no page of the run opens, for the staff's accounting of
        # disclosures: the sample member's record is opened thousands of times by the run
        # itself (about 4,300 reads against ~170 in the year as built).
        "disclosed": User.objects.filter(role=Role.MEMBER, enrollments__isnull=False)
        .exclude(enrollments__group__facilitators=facilitator)
        .order_by("pk")
        .first(),
        "referral": head_of_queue(),
    }


def signed_note(member, group) -> Note | None:
    """The member's latest signed progress note in the group."""
    return (
        Note.objects.filter(member=member, session__group=group, signed_at__isnull=False)
        .order_by("-session__starts_at", "-pk")
        .first()
    )


def head_of_queue() -> Referral | None:
    """The request at the head of the staff's queue (the oldest open one)."""
    return Referral.objects.filter(status__in=OPEN_STATUSES).order_by("created_at", "pk").first()
