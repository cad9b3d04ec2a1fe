"""Writes for attendance: marking, corrections with history, follow-ups and letters."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance.models import AbsenceFollowUp, Attendance, AttendanceChange, AttendanceLetter, Mark
from attendance.selectors import (
    absence_streak,
    attended_sessions,
    going_member_ids,
    roll_is_open,
)
from audit import api as audit
from core.dates import today_in
from groups.selectors import stint_covers, stints, stints_active_on
from notifications import api as notifications
from sessions.models import SessionStatus
from sessions.selectors import session_local_date

REASON_MAX = 300
# No 0/O or 1/I/L so a code read aloud or retyped from paper is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _roll_window_message() -> str:
    days = settings.ROLL_LATE_DAYS
    return ngettext(
        "Roll can be taken from the day of the session until %(days)d day after it, "
        "if it went ahead.",
        "Roll can be taken from the day of the session until %(days)d days after it, "
        "if it went ahead.",
        days,
    ) % {"days": days}


@transaction.atomic
def attendance_mark(*, session, member, mark, reason="", actor, at=None) -> Attendance:
    """Set a member's mark for a session; every change (the first included) is kept.
    `at`: when it was marked, if not now (the demo's history is marked on the day)."""
    if mark not in Mark.values:
        raise ValidationError(_("Choose present, late, left early, absent or excused."))
    reason = (reason or "").strip() if mark == Mark.EXCUSED else ""
    if mark == Mark.EXCUSED and not reason:
        raise ValidationError(_("Add a short reason for an excused absence."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under %(max)d characters.") % {"max": REASON_MAX})
    if not roll_is_open(session, at):
        raise ValidationError(_roll_window_message())
    # Lock the member's stints in this group: marks for one person are then taken one at a
    # time, so two facilitators marking two sessions at once cannot both miss the threshold.
    locked_stints = list(
        stints(group=session.group, member=member).select_for_update().order_by("-joined_on", "-pk")
    )
    day = session_local_date(session)
    enrollment = next((s for s in locked_stints if stint_covers(s, day)), None)
    if enrollment is None:
        raise ValidationError(_("This person was not an active member on the day of the session."))

    locked = Attendance.objects.select_for_update()
    record = locked.filter(session=session, member=member).first()
    now = at or timezone.now()
    created = False
    if record is None:
        try:
            with transaction.atomic():
                record = Attendance.objects.create(
                    session=session,
                    member=member,
                    enrollment=enrollment,
                    mark=mark,
                    reason=reason,
                    marked_by=actor,
                    marked_at=now,
                )
            created = True
        except IntegrityError:
            # Someone marked the same person a moment ago: ours becomes a correction.
            record = locked.get(session=session, member=member)
    old_mark, old_reason = ("", "") if created else (record.mark, record.reason)
    if not created:
        if record.mark == mark and record.reason == reason:
            return record  # nothing changed: no history row, no follow-up re-check
        record.mark, record.reason = mark, reason
        record.enrollment, record.marked_by, record.marked_at = enrollment, actor, now
        record.save(update_fields=["mark", "reason", "enrollment", "marked_by", "marked_at"])
    AttendanceChange.objects.create(
        attendance=record,
        changed_by=actor,
        changed_at=now,
        old_mark=old_mark,
        new_mark=mark,
        old_reason=old_reason,
        new_reason=reason,
    )
    audit.record(
        "attendance.mark",
        actor=actor,
        subject=member,
        target="attendance.attendance",
        target_id=record.pk,
        detail={"session": session.pk, "mark": mark, "previous": old_mark or None},
    )
    absence_follow_up_sync(enrollment=enrollment)
    return record


@transaction.atomic
def attendance_mark_going_present(*, session, actor) -> int:
    """Mark present everyone active that day who said they're going and has no mark yet."""
    if not roll_is_open(session):
        raise ValidationError(_roll_window_message())
    going = going_member_ids(session)
    already = set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
    count = 0
    for enrollment in stints_active_on(session.group, session_local_date(session)):
        if enrollment.member_id in going and enrollment.member_id not in already:
            attendance_mark(
                session=session, member=enrollment.member, mark=Mark.PRESENT, actor=actor
            )
            count += 1
    return count


def absence_follow_up_sync(*, enrollment) -> AbsenceFollowUp | None:
    """Open a follow-up (and notify, once) when the absence run reaches the group's threshold.

    A run is identified by the session where it crossed the threshold, so re-saving, or a
    correction that undoes and redoes a mark, never notifies twice for the same run.
    """
    group, member = enrollment.group, enrollment.member
    marks = [
        (record.session, record.mark)
        for record in Attendance.objects.filter(member=member, session__group=group)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session")
        .order_by("session__starts_at", "session_id")
    ]
    run = absence_streak(marks)
    now = timezone.now()
    still_open = AbsenceFollowUp.objects.filter(
        enrollment__group=group, enrollment__member=member, cleared_at__isnull=True
    )
    threshold = group.absence_follow_up_after
    if threshold == 0 or len(run) < threshold:
        still_open.update(cleared_at=now)
        return None
    follow_up, created = AbsenceFollowUp.objects.get_or_create(
        enrollment=enrollment,
        threshold_session=run[threshold - 1],
        defaults={"absences": len(run), "fired_at": now},
    )
    still_open.exclude(pk=follow_up.pk).update(cleared_at=now)
    if created:
        notifications.absence_follow_up_opened(enrollment.pk)
    else:
        follow_up.absences, follow_up.cleared_at = len(run), None
        follow_up.save(update_fields=["absences", "cleared_at"])
    return follow_up


def absence_follow_up_acknowledge(*, follow_up, actor) -> AbsenceFollowUp:
    """A facilitator has followed up; the flag goes away until a new run reaches the threshold."""
    if follow_up.acknowledged_at is None:
        follow_up.acknowledged_at, follow_up.acknowledged_by = timezone.now(), actor
        follow_up.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return follow_up


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def attendance_letter_issue(
    *, group, member, date_from, date_to, name_on_letter, name_programme=False, actor
) -> AttendanceLetter:
    """Record a proof-of-attendance letter with exactly what it certifies."""
    if date_from > date_to:
        raise ValidationError(_("The start date must be on or before the end date."))
    if date_to > today_in(group.time_zone):
        raise ValidationError(_("The end date cannot be in the future."))
    name_on_letter = (name_on_letter or "").strip() or member.display_name
    sessions = attended_sessions(group, member, date_from, date_to)
    entries = [
        {
            "session": s.pk,
            "date": session_local_date(s).isoformat(),
            "starts_at": s.starts_at.isoformat(),
            "minutes": int((s.ends_at - s.starts_at).total_seconds() // 60),
        }
        for s in sessions
    ]
    code = _new_code()
    while AttendanceLetter.objects.filter(code=code).exists():
        code = _new_code()
    return AttendanceLetter.objects.create(
        code=code,
        member=member,
        group=group,
        name_on_letter=name_on_letter[:120],
        date_from=date_from,
        date_to=date_to,
        name_programme=name_programme,
        sessions_attended=len(entries),
        total_minutes=sum(e["minutes"] for e in entries),
        sessions=entries,
        issued_by=actor,
    )


# --- erasure (privacy) ---------------------------------------------------------------------


ERASED_NAME = "Former member"


@transaction.atomic
def forget_member(member_id: int) -> None:
    """An erased person's marks stay (so every session's headcount and the group's charts stay
    right) but say nothing more than the mark: reasons go, from the history too, and issued
    letters no longer carry their name. Safe to run twice."""
    records = Attendance.objects.filter(member_id=member_id)
    records.exclude(reason="").update(reason="")
    AttendanceChange.objects.filter(attendance__in=records).update(old_reason="", new_reason="")
    AttendanceLetter.objects.filter(member_id=member_id).update(name_on_letter=ERASED_NAME)
