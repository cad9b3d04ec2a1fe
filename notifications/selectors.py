"""Reads for pages and messages: preferences, the in-app list, what happened to each
session's messages and to each invitation's email. Never writes."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from groups.models import ACTIVE_STATUSES, Group
from groups.permissions import groups_facilitated_by
from groups.selectors import group_ids_of
from members.models import Invitation
from notifications.audience import session_members
from notifications.models import Channel, Kind, Notification, Preference, Status
from sessions.models import Answer, Seat


def preference_for(user) -> Preference:
    """The saved preferences, or unsaved defaults."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def inbox_for(user):
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, status=Status.SENT
    ).order_by("-sent_at", "-pk")


def reading_items(row) -> list[int]:
    """The reading items a new-reading notice tells of (its own and those added to it while it
    waited: `details["also"]`), those that still exist, in the order they were shared."""
    also = [pk for pk in (row.details or {}).get("also", []) if isinstance(pk, int)]
    if not also:
        return [row.object_id] if row.about is not None else []
    pks = [row.object_id, *also]
    model = row.content_type.model_class() if row.content_type_id else None
    if model is None:
        return []
    existing = set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
    return [pk for pk in dict.fromkeys(pks) if pk in existing]


def inbox_link(row) -> str:
    """Where an in-app item leads: the session, reading, questions or page it is about
    ('' when there is none to open, e.g. a seat offer, whose link is in the email)."""
    kind, pk = row.kind, row.object_id
    if kind == Kind.MATERIAL_PUBLISHED and pk:
        if (row.details or {}).get("also"):  # several told at once: the list holds them all
            return _reverse("materials:list")
        return _reverse("materials:detail", pk=pk)
    if kind == Kind.MEASURE_PROMPT and pk:
        return _reverse("measures:prompt", pk=pk)
    if kind in (Kind.MEASURE_ALERT, Kind.MEASURE_ESCALATION) and pk:
        return _reverse("measures:alert", pk=pk)
    if kind == Kind.ABSENCE_FOLLOW_UP and row.about is not None:
        enrollment = row.about
        return _reverse(
            "attendance:member", group_pk=enrollment.group_id, member_pk=enrollment.member_id
        )
    if kind == Kind.NOTES_OUTSTANDING:
        return _reverse("notes:index")
    if kind == Kind.SERIES_CHANGED:
        return _reverse("scheduling:upcoming")
    if kind == Kind.FACILITATOR_DIGEST and row.session_id:
        return _reverse("notifications:session_status", session_id=row.session_id)
    if row.session_id and kind != Kind.SEAT_OFFER:
        return _reverse("scheduling:detail", pk=row.session_id)
    return ""


def _reverse(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return inbox_for(user).filter(read_at__isnull=True).count()


def session_people(session) -> dict:
    """For the facilitator's page: names by answer, and who has not answered."""
    members = {m.pk: m for m in session_members(session).order_by("display_name")}
    people: dict[str, list] = {
        "going": [],
        "maybe": [],
        "not_going": [],
        "waitlisted": [],
        "no_answer": [],
    }
    answered = set()
    for rsvp in session.rsvps.select_related("member").order_by("member__display_name"):
        answered.add(rsvp.member_id)
        if rsvp.seat == Seat.WAITLISTED:
            people["waitlisted"].append(rsvp.member)
        elif rsvp.answer in (Answer.GOING, Answer.MAYBE, Answer.NOT_GOING):
            people[rsvp.answer].append(rsvp.member)
    people["no_answer"] = [m for pk, m in members.items() if pk not in answered]
    return people


def session_deliveries(session):
    return (
        Notification.objects.filter(session=session)
        .select_related("recipient")
        .order_by("due_at", "recipient__display_name", "channel")
    )


def session_delivery_summary(session) -> dict:
    rows = Notification.objects.filter(session=session).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def recent_failures_for(user, *, days: int = 14):
    """Messages that failed for good in the groups this person runs, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        Notification.objects.filter(
            Q(session__group__in=groups_facilitated_by(user)),
            status=Status.FAILED,
            due_at__gte=since,
        )
        .select_related("session", "session__group")
        .order_by("-due_at")
    )


def usual_reminder_offsets(user) -> list[list[int]]:
    """The distinct reminder times of the groups this person is active in."""
    found: list[list[int]] = []
    groups = Group.objects.filter(
        pk__in=group_ids_of(user, statuses=ACTIVE_STATUSES), archived_at__isnull=True
    )
    for offsets in groups.values_list("reminder_offsets", flat=True):
        normal = sorted({int(o) for o in offsets or [] if str(o).isdigit()}, reverse=True)
        if normal and normal not in found:
            found.append(normal)
    return found


# What the inviter sees next to each invitation.
INVITATION_EMAIL_LABELS: dict[str, str] = {
    Status.PENDING: "waiting",
    Status.SENDING: "waiting",
    Status.SENT: "sent",
    Status.FAILED: "failed",
    Status.SKIPPED: "not sent",
    Status.CANCELLED: "not sent",
}


def invitation_email_statuses(invitations) -> dict[int, str]:
    """{invitation id: 'sent', 'failed', 'waiting' or 'not sent'}: how each invitation's email
    went (its latest outbox row), in one query for a whole page."""
    ids = [invitation.pk for invitation in invitations]
    rows = (
        Notification.objects.filter(
            kind=Kind.INVITATION,
            content_type=ContentType.objects.get_for_model(Invitation),
            object_id__in=ids,
        )
        .order_by("object_id", "pk")
        .values_list("object_id", "status")
    )
    latest = dict(rows)  # later rows of one invitation overwrite earlier ones
    return {pk: INVITATION_EMAIL_LABELS.get(latest.get(pk, ""), "waiting") for pk in ids}


def invitation_email_status(invitation) -> str:
    """How one invitation's email went (see invitation_email_statuses)."""
    return invitation_email_statuses([invitation])[invitation.pk]


# --- a member's own data (privacy) -------------------------------------------------------


def export_member(member_id: int) -> dict:
    """One person's preferences and every message addressed to them, as stored."""
    pref = Preference.objects.filter(user_id=member_id).first()
    rows = Notification.objects.filter(recipient_id=member_id).order_by("created_at", "pk")
    return {
        "preferences": None
        if pref is None
        else {
            "channels": pref.channels,
            "reminders_on": pref.reminders_on,
            "reminder_offsets": pref.reminder_offsets,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
        },
        "notifications": [
            {
                "kind": row.kind,
                "channel": row.channel,
                "status": row.status,
                "due_at": row.due_at,
                "sent_at": row.sent_at,
                "read_at": row.read_at,
                "subject": row.title,
                "body": row.body,
            }
            for row in rows
        ],
    }
