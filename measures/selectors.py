"""Reads: pending prompts, a member's scores and trend, open alerts, anonymous group
aggregates, check-ins, the milestone and what is shared. Encrypted columns are read and
filtered in Python."""

import datetime
import json
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.dates import local_date, long_date, long_day, today_in
from groups.models import VISIBLE_STATUSES, Group
from groups.permissions import groups_facilitated_by
from groups.selectors import group_ids_of
from measures.models import (
    Alert,
    CheckIn,
    CheckInShare,
    Instrument,
    Milestone,
    Prompt,
    Response,
    ResponseStatus,
    Schedule,
)
from measures.scoring import band_for
from members.selectors import current_partner_of

# A group's aggregate is shown only from this many answers, so nobody can be singled out.
MIN_AGGREGATE = 5


# The shipped CRISIS_RESOURCES (config.settings), paragraph by paragraph, so each reads in the
# viewer's language; a clinic's own wording is shown as written, or per language from
# CRISIS_RESOURCES_FR / CRISIS_RESOURCES_ES when the settings define them.
DEFAULT_CRISIS_PARAGRAPHS = frozenset(
    {
        gettext_noop("If you might act on these thoughts now, call 999 or go to A&E."),
        gettext_noop("Samaritans: call 116 123, free, any time, day or night."),
        gettext_noop("Shout: text SHOUT to 85258, free, any time."),
        gettext_noop("Your facilitators have been asked to get in touch with you today."),
    }
)


def crisis_paragraphs() -> list[str]:
    """The clinic's crisis resources (CRISIS_RESOURCES), one paragraph per blank line."""
    language = (translation.get_language() or "").split("-")[0].upper()
    text = getattr(settings, f"CRISIS_RESOURCES_{language}", "") or settings.CRISIS_RESOURCES
    paragraphs = [part.strip() for part in text.replace("\\n", "\n").split("\n\n")]
    return [_(p) if p in DEFAULT_CRISIS_PARAGRAPHS else p for p in paragraphs if p]


def answers_of(response: Response) -> dict:
    return json.loads(response.answers) if response.answers else {}


def total_of(response: Response) -> int | None:
    return int(response.total) if response.total not in (None, "") else None


# --- a member's own -------------------------------------------------------------------------


def pending_prompts_for(member, *, now=None) -> list[Prompt]:
    """Open prompts not yet answered (a saved draft still counts as pending)."""
    now = now or timezone.now()
    prompts = (
        Prompt.objects.filter(member=member, closes_at__gt=now, schedule__ended_at__isnull=True)
        .exclude(response__status=ResponseStatus.SUBMITTED)
        .select_related("session", "schedule__instrument")
        .order_by("closes_at", "pk")
    )
    return list(prompts)


def self_service_instruments():
    return Instrument.objects.filter(active=True, self_service=True)


def drafts_of(member):
    return (
        Response.objects.filter(member=member, status=ResponseStatus.DRAFT, prompt__isnull=True)
        .select_related("instrument")
        .order_by("-updated_at")
    )


@dataclass
class Trend:
    instrument: Instrument
    points: list  # [(local date, total, band)] oldest first
    latest: tuple | None


def trends_for(member) -> list[Trend]:
    """Each scored instrument the member has sent answers to, with its totals over time."""
    responses = Response.objects.filter(member=member, status=ResponseStatus.SUBMITTED)
    return trends_from(responses.select_related("instrument"), member.time_zone)


def trends_from(responses, time_zone: str) -> list[Trend]:
    """Trends of the given sent responses only (a facilitator's view keeps to their walls)."""
    by_instrument: dict[int, Trend] = {}
    ordered = sorted(responses, key=lambda r: (r.submitted_at or r.created_at, r.pk))
    for response in ordered:
        total = total_of(response)
        if not response.instrument.scored or total is None or response.submitted_at is None:
            continue
        trend = by_instrument.setdefault(
            response.instrument_id, Trend(response.instrument, [], None)
        )
        when = local_date(response.submitted_at, time_zone)
        band = response.instrument.band_label(response.band)  # in the viewer's language
        trend.points.append((when, total, band))
        trend.latest = (when, total, band)
    return list(by_instrument.values())


def responses_for_facilitator(group: Group, member) -> list[Response]:
    """What a group's facilitators may read of a member: answers to their group's schedules
    and answers the member gave of their own accord (they are told facilitators read them)."""
    return list(
        Response.objects.filter(member=member, status=ResponseStatus.SUBMITTED)
        .filter(Q(prompt__schedule__group=group) | Q(prompt__isnull=True))
        .select_related("instrument")
        .order_by("-submitted_at", "-pk")
    )


# --- alerts ---------------------------------------------------------------------------------


def alerts_visible_to(user):
    """Facilitators: their groups' alerts; staff: every alert."""
    if not user.is_authenticated:
        return Alert.objects.none()
    if user.is_clinic_staff:
        return Alert.objects.all()
    return Alert.objects.filter(group__in=groups_facilitated_by(user))


def open_alerts_for(user, *, group: Group | None = None) -> list[Alert]:
    """Open alerts `user` may see, oldest first; with `group`, that group's only."""
    if not user.is_authenticated or not (user.is_clinic_staff or user.is_facilitator):
        return []
    alerts = alerts_visible_to(user).filter(acknowledged_at__isnull=True)
    if group is not None:
        alerts = alerts.filter(group=group)
    return list(alerts.select_related("member", "group").order_by("created_at", "pk"))


# --- a group's anonymous aggregates ------------------------------------------------------


@dataclass
class AggregateRow:
    label: str
    count: int
    mean: float | None  # None: fewer than MIN_AGGREGATE answers, not shown
    band: str


def _slot_label(slot: str, closes_at, session_starts_at, group: Group) -> str:
    if session_starts_at is not None:
        day = local_date(session_starts_at, group.time_zone)
        return _("Before %(day)s") % {"day": long_day(day)}
    try:
        week = datetime.date.fromisoformat(slot.removeprefix("week:"))
    except ValueError:
        week = local_date(closes_at, group.time_zone)
    return _("From %(day)s") % {"day": long_date(week)}


def group_aggregates(group: Group, *, instruments: dict | None = None) -> dict:
    """Per instrument scheduled in the group, per slot: how many answered and the mean
    score, shown only from MIN_AGGREGATE answers. Never a name or one person's score.
    `instruments`: the group's scheduled instruments by id, when the caller has them."""
    # Plain values, not a model instance and the instrument's JSON per answer (a year of a
    # group's answers is hundreds); only the score is decrypted.
    answers = (
        Response.objects.filter(
            status=ResponseStatus.SUBMITTED,
            prompt__schedule__group=group,
            instrument__scored=True,
        )
        .order_by("prompt__closes_at", "pk")
        .values_list(
            "instrument_id",
            "total",
            "prompt__slot",
            "prompt__closes_at",
            "prompt__session__starts_at",
        )
    )
    slots: dict = {}
    for instrument_id, total, slot, closes_at, session_starts_at in answers:
        if total in (None, "") or slot is None:
            continue
        key = (instrument_id, slot)
        if key not in slots:
            label = _slot_label(slot, closes_at, session_starts_at, group)
            slots[key] = {"label": label, "totals": []}
        slots[key]["totals"].append(int(total))
    instruments = dict(instruments or {})
    missing = {instrument_id for instrument_id, _slot in slots} - set(instruments)
    if missing:
        instruments |= Instrument.objects.in_bulk(missing)
    result: dict = {}
    for (instrument_id, _slot), data in slots.items():
        instrument = instruments[instrument_id]
        totals = data["totals"]
        shown = len(totals) >= MIN_AGGREGATE
        mean = round(statistics.mean(totals), 1) if shown else None
        result.setdefault(instrument, []).append(
            AggregateRow(
                label=data["label"],
                count=len(totals),
                mean=mean,
                band=(
                    instrument.band_label(band_for(instrument, round(mean)))
                    if mean is not None
                    else ""
                ),
            )
        )
    return result


def schedules_of(group: Group):
    return (
        Schedule.objects.filter(group=group)
        .select_related("instrument", "member")
        .order_by("ended_at", "-created_at")
    )


# --- check-ins, milestone, sharing ------------------------------------------------------


def checkins_of(member, limit: int = 12) -> list[CheckIn]:
    return list(CheckIn.objects.filter(member=member).order_by("-week")[:limit])


@dataclass
class MilestoneView:
    name: str
    since: datetime.date
    days: int


def milestone_of(member, *, now=None) -> MilestoneView | None:
    milestone = Milestone.objects.filter(member=member).first()
    if milestone is None:
        return None
    since = datetime.date.fromisoformat(milestone.since)
    days = (today_in(member.time_zone, now) - since).days
    return MilestoneView(name=milestone.name, since=since, days=days)


def share_candidates(owner) -> list:
    """Whom a member may share check-ins or the milestone with: their current partner and
    the facilitators of the groups they are in. Nobody else, whatever is posted."""
    people = []
    partner = current_partner_of(owner)
    if partner is not None and partner.is_active:
        people.append(partner)
    groups = Group.objects.filter(pk__in=group_ids_of(owner, VISIBLE_STATUSES))
    facilitators = (
        get_user_model()
        .objects.filter(facilitated_groups__in=groups, is_active=True)
        .exclude(pk=owner.pk)
        .distinct()
        .order_by("display_name", "pk")
    )
    people += [person for person in facilitators if person not in people]
    return people


def shares_given_by(owner):
    return (
        CheckInShare.objects.filter(owner=owner)
        .select_related("viewer")
        .order_by("revoked_at", "-granted_at", "-pk")
    )


def shares_received_by(viewer):
    return (
        CheckInShare.objects.filter(viewer=viewer, revoked_at__isnull=True)
        .select_related("owner")
        .order_by("owner__display_name", "item")
    )


def shared_items(owner, viewer) -> set[str]:
    """What `owner` shares with `viewer` right now (empty: nothing, the page 404s)."""
    return set(
        CheckInShare.objects.filter(
            owner=owner, viewer=viewer, revoked_at__isnull=True
        ).values_list("item", flat=True)
    )


# --- a member's own data (privacy) -------------------------------------------------------


def export_member(member_id: int) -> dict:
    """Everything measures holds about one person, for their own export (decrypted): their
    answers and scores, check-ins, milestone and what they share. Whoever they share with
    appears by the display name they already see."""
    responses = (
        Response.objects.filter(member_id=member_id)
        .select_related("instrument")
        .order_by("created_at", "pk")
    )
    milestone = Milestone.objects.filter(member_id=member_id).first()
    return {
        "answers": [
            {
                "instrument": r.instrument.name,
                "status": r.status,
                "answers": answers_of(r),
                "score": total_of(r),
                "band": r.band,
                "submitted_at": r.submitted_at,
            }
            for r in responses
        ],
        "check_ins": [
            {"week": c.week, "mood": c.mood, "urges": c.urges, "helped": c.helped, "note": c.note}
            for c in CheckIn.objects.filter(member_id=member_id).order_by("week")
        ],
        "milestone": {"name": milestone.name, "since": milestone.since} if milestone else None,
        "shares": [
            {
                "with": s.viewer.display_name,
                "item": s.item,
                "granted_at": s.granted_at,
                "revoked_at": s.revoked_at,
            }
            for s in shares_given_by(member_id)
        ],
    }
