"""Writes: answering (save and come back, then send), safety alerts and their escalation,
schedules and the prompts they open, check-ins, the milestone, and consented sharing.

Outbound messages go only through notifications.api, inside the caller's transaction, so
an alert's rows commit with the answer that raised it and the dispatcher runs on commit.
"""

import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from core.dates import local_day_bounds, today_in
from groups.models import ACTIVE_STATUSES, ENROLLED_STATUSES, Group
from groups.selectors import belongs, group_ids_of, members_in
from measures.models import (
    Alert,
    Cadence,
    CheckIn,
    CheckInShare,
    Instrument,
    Milestone,
    Prompt,
    Response,
    ResponseStatus,
    Schedule,
    ShareItem,
)
from measures.scoring import clean_answers, score
from measures.selectors import share_candidates
from notifications import api as notifications
from sessions.models import Session, SessionStatus

# --- answering ------------------------------------------------------------------------------


def _record(action: str, *, subject, target: str, target_id, detail: dict, actor=None) -> None:
    audit.record(
        action, subject=subject, target=target, target_id=target_id, detail=detail, actor=actor
    )


@transaction.atomic
def response_save(
    *,
    member,
    instrument: Instrument,
    data: dict,
    submit: bool,
    prompt: Prompt | None = None,
    response: Response | None = None,
) -> Response:
    """Save a member's answers; with `submit`, score them (encrypted) and raise an alert when
    a flag rule is met. A sent response cannot be changed, and a prompt has one response."""
    if prompt is not None:
        if prompt.member_id != member.pk:
            raise ValidationError(_("These questions are someone else's."))
        response = Response.objects.select_for_update().filter(prompt=prompt).first()
        if prompt.closes_at <= timezone.now() and response is None:
            raise ValidationError(_("These questions have closed. Thank you all the same."))
    elif response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk, member=member)
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        raise ValidationError(_("You have already sent these answers."))
    items = list(instrument.items.all())
    answers = clean_answers(items, data, complete=submit)
    if response is None:
        response = Response(member=member, instrument=instrument, prompt=prompt)
    response.answers = json.dumps(answers)
    result = None
    if submit:
        result = score(instrument, items, answers)
        response.total = "" if result.total is None else str(result.total)
        response.band = result.band
        response.subscale_totals = json.dumps(result.subscales) if result.subscales else ""
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
    response.save()
    _record(
        "measure.change",
        subject=member,
        target="measures.response",
        target_id=response.pk,
        detail={"change": "submit" if submit else "save", "instrument": instrument.pk},
    )
    if result is not None and result.flagged:
        alerts_raise(response)
    return response


def alert_groups(response: Response) -> list:
    """Whose facilitators hear: the prompt's group, else every group the member is in."""
    if response.prompt is not None:
        return [response.prompt.schedule.group]
    return list(Group.objects.filter(pk__in=group_ids_of(response.member, ENROLLED_STATUSES)))


def alerts_raise(response: Response) -> list[Alert]:
    """One alert per group, its facilitators told at once (rows in this transaction). With
    no group to tell, staff are told at once instead."""
    alerts = []
    groups: list = alert_groups(response) or [None]
    for group in groups:
        alert, created = Alert.objects.get_or_create(
            response=response, group=group, defaults={"member": response.member}
        )
        if not created:
            continue
        alerts.append(alert)
        _record(
            "measure.alert",
            subject=response.member_id,
            target="measures.alert",
            target_id=alert.pk,
            detail={"group": group.pk if group else None},
        )
        if group is None:
            Alert.objects.filter(pk=alert.pk).update(escalated_at=timezone.now())
            notifications.measure_alert_escalated(alert.pk)
        else:
            notifications.measure_alert_raised(alert.pk)
    return alerts


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor) -> Alert:
    """Record who has it and when; the first one wins, a second press changes nothing."""
    now = timezone.now()
    if Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    ):
        _record(
            "measure.alert_ack",
            subject=alert.member_id,
            target="measures.alert",
            target_id=alert.pk,
            detail={"group": alert.group_id},
            actor=actor,
        )
    alert.refresh_from_db()
    return alert


def escalate_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MEASURES_ALERT_ESCALATE_MINUTES)


def alerts_escalate(*, now=None) -> int:
    """Alerts nobody acknowledged within MEASURES_ALERT_ESCALATE_MINUTES go to staff, once:
    the conditional UPDATE claims each, so two runs (or two workers) never tell twice."""
    now = now or timezone.now()
    due = Alert.objects.filter(
        acknowledged_at__isnull=True,
        escalated_at__isnull=True,
        created_at__lte=now - escalate_after(),
    ).values_list("pk", flat=True)
    escalated = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Alert.objects.filter(
                pk=pk, acknowledged_at__isnull=True, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            alert = Alert.objects.get(pk=pk)
            _record(
                "measure.escalate",
                subject=alert.member_id,
                target="measures.alert",
                target_id=pk,
                detail={"group": alert.group_id},
            )
            notifications.measure_alert_escalated(pk)
            escalated += 1
    return escalated


# --- schedules and prompts ------------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *, group, instrument, cadence, every, starts_on, actor, member=None
) -> Schedule:
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose how often.")})
    if cadence == Cadence.EVERY_SESSION:
        every = 1
    if not every or every < 1 or every > 52:
        raise ValidationError({"every": _("Choose a number from 1 to 52.")})
    if not instrument.active:
        raise ValidationError({"instrument": _("Choose a questionnaire.")})
    if member is not None and not belongs(member, group, ENROLLED_STATUSES):
        raise ValidationError({"member": _("Choose someone in this group.")})
    schedule = Schedule.objects.create(
        group=group,
        instrument=instrument,
        member=member,
        cadence=cadence,
        every=every,
        starts_on=starts_on,
        created_by=actor,
    )
    _record(
        "measure.change",
        subject=member,
        target="measures.schedule",
        target_id=schedule.pk,
        detail={"change": "schedule", "group": group.pk, "instrument": instrument.pk},
        actor=actor,
    )
    return schedule


@transaction.atomic
def schedule_end(*, schedule: Schedule, actor) -> Schedule:
    if schedule.ended_at is None:
        schedule.ended_at = timezone.now()
        schedule.save(update_fields=["ended_at"])
        _record(
            "measure.change",
            subject=schedule.member_id,
            target="measures.schedule",
            target_id=schedule.pk,
            detail={"change": "end", "group": schedule.group_id},
            actor=actor,
        )
    return schedule


def prompt_lead() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.MEASURES_PROMPT_LEAD_HOURS)


def schedule_slots(schedule: Schedule, now) -> list[tuple[str, Session | None, datetime.datetime]]:
    """The slots open now: (slot key, session or None, when it closes)."""
    group = schedule.group
    start, _end = local_day_bounds(group.time_zone, schedule.starts_on, schedule.starts_on)
    if schedule.cadence == Cadence.EVERY_N_WEEKS:
        today = today_in(group.time_zone, now)
        if today < schedule.starts_on:
            return []
        period = 7 * schedule.every
        opened = schedule.starts_on + datetime.timedelta(
            days=(today - schedule.starts_on).days // period * period
        )
        last_day = opened + datetime.timedelta(days=period - 1)
        _start, closes = local_day_bounds(group.time_zone, opened, last_day)
        return [(f"week:{opened.isoformat()}", None, closes)]
    sessions = list(
        Session.objects.filter(
            group=group, starts_at__gte=start, starts_at__lte=now + prompt_lead()
        )
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )
    every = schedule.every if schedule.cadence == Cadence.EVERY_NTH_SESSION else 1
    return [
        (f"session:{session.pk}", session, session.starts_at)
        for index, session in enumerate(sessions)
        if index % every == 0 and session.starts_at > now
    ]


def schedule_members(schedule: Schedule) -> list:
    if schedule.member_id is not None:
        member = schedule.member
        return [member] if belongs(member, schedule.group_id, ACTIVE_STATUSES) else []
    return list(members_in(schedule.group_id, statuses=ACTIVE_STATUSES).filter(is_active=True))


def prompts_open(*, now=None) -> int:
    """Open every schedule's current slots: one prompt per member and slot (unique, so a
    second run or a second worker asks nobody twice), each told once."""
    now = now or timezone.now()
    opened = 0
    schedules = Schedule.objects.filter(
        ended_at__isnull=True, starts_on__lte=now.date() + datetime.timedelta(days=1)
    ).select_related("group", "member", "instrument")
    for schedule in schedules:
        if not schedule.instrument.active:
            continue
        slots = schedule_slots(schedule, now)
        if not slots:
            continue
        for member in schedule_members(schedule):
            for slot, session, closes_at in slots:
                opened += _prompt_open(schedule, member, slot, session, closes_at)
    return opened


def _prompt_open(schedule, member, slot, session, closes_at) -> int:
    try:
        with transaction.atomic():
            prompt, created = Prompt.objects.get_or_create(
                schedule=schedule,
                member=member,
                slot=slot,
                defaults={"session": session, "closes_at": closes_at},
            )
            if created:
                notifications.measure_prompted(prompt.pk)
    except IntegrityError:  # the same slot opened by another worker a moment ago
        return 0
    return int(created)


# --- check-ins and the milestone ---------------------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _scale(value, low: int, high: int, field: str) -> str:
    if value in (None, ""):
        return ""
    message = _("Choose from %(low)d to %(high)d.") % {"low": low, "high": high}
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not low <= number <= high:
        raise ValidationError({field: message})
    return str(number)


@transaction.atomic
def checkin_save(*, member, mood, urges, helped: str, note: str, now=None) -> CheckIn:
    """This week's check-in (one per week; saving again updates it). Private to the member."""
    week = week_of(today_in(member.time_zone, now))
    mood = _scale(mood, 1, 5, "mood")
    urges = _scale(urges, 0, 4, "urges")
    helped, note = (helped or "").strip()[:2000], (note or "").strip()[:4000]
    if not any((mood, urges, helped, note)):
        raise ValidationError(_("Fill in at least one thing."))
    checkin, _created = CheckIn.objects.update_or_create(
        member=member,
        week=week,
        defaults={"mood": mood, "urges": urges, "helped": helped, "note": note},
    )
    return checkin


@transaction.atomic
def milestone_save(*, member, name: str, since: datetime.date, now=None) -> Milestone:
    name = (name or "").strip()[:80]
    if not name:
        raise ValidationError({"name": _("Give it a name (only you see it).")})
    if since > today_in(member.time_zone, now):
        raise ValidationError({"since": _("Choose a date that has already come.")})
    milestone, _created = Milestone.objects.update_or_create(
        member=member, defaults={"name": name, "since": since.isoformat()}
    )
    return milestone


@transaction.atomic
def milestone_clear(*, member) -> None:
    Milestone.objects.filter(member=member).delete()


# --- consented sharing of check-ins and the milestone -------------------------------------


def _record_share(share: CheckInShare, change: str, actor) -> None:
    _record(
        "consent.change",
        subject=share.owner_id,
        target="measures.checkinshare",
        target_id=share.pk,
        detail={"change": change, "item": share.item, "viewer": share.viewer_id},
        actor=actor,
    )


@transaction.atomic
def share_grant(*, owner, viewer, item: str, actor) -> CheckInShare:
    """Let `viewer` (the owner's partner, or a facilitator of one of their groups) see one
    item, from now until revoked. Scores and notes are not shareable."""
    if actor.pk != owner.pk:
        raise ValidationError(_("Only the member themself can share this."))
    if item not in ShareItem.values:
        raise ValidationError({"item": _("Choose what to share.")})
    if viewer is None or viewer.pk not in {person.pk for person in share_candidates(owner)}:
        raise ValidationError({"viewer": _("Choose your partner or one of your facilitators.")})
    current = CheckInShare.objects.filter(
        owner=owner, viewer=viewer, item=item, revoked_at__isnull=True
    )
    existing = current.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            share = CheckInShare.objects.create(owner=owner, viewer=viewer, item=item)
    except IntegrityError:  # the same grant a moment ago, from another tab
        return current.get()
    _record_share(share, "grant", actor)
    return share


@transaction.atomic
def share_revoke(*, share: CheckInShare, actor) -> CheckInShare:
    """Stop at once: the viewer's next look is refused. Revoking twice changes nothing."""
    if actor.pk != share.owner_id:
        raise ValidationError(_("Only the member themself can stop sharing."))
    if CheckInShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        _record_share(share, "revoke", actor)
    share.refresh_from_db()
    return share


# --- erasure (privacy) ------------------------------------------------------------------


@transaction.atomic
def forget_member(member_id: int) -> None:
    """An erased person: their answers, scores, alerts, prompts, check-ins, milestone and
    shares (given or received) go. Safe to run twice."""
    Alert.objects.filter(member_id=member_id).delete()
    Response.objects.filter(member_id=member_id).delete()
    Prompt.objects.filter(member_id=member_id).delete()
    CheckIn.objects.filter(member_id=member_id).delete()
    Milestone.objects.filter(member_id=member_id).delete()
    CheckInShare.objects.filter(owner_id=member_id).delete()
    CheckInShare.objects.filter(viewer_id=member_id).delete()
    Schedule.objects.filter(member_id=member_id, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
