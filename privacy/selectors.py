"""Reads for a member's own pages: their erasure requests, the staff queue, and who opened or
changed their record (as roles, from the audit trail's accounting of disclosures)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit import selectors as audit_selectors
from groups.models import Group
from groups.selectors import group_ids_of
from members.models import Role
from members.selectors_privacy import consents_given_by
from privacy.models import ErasureRequest, ErasureStatus

# How far back the member's page looks.
DISCLOSURE_DAYS = 365


def erasure_requests_of(member):
    return ErasureRequest.objects.filter(member=member).order_by("-requested_at", "-pk")


def open_erasure_request(member) -> ErasureRequest | None:
    return (
        erasure_requests_of(member)
        .filter(status__in=(ErasureStatus.PENDING, ErasureStatus.APPROVED))
        .first()
    )


def erasure_queue():
    """Waiting requests first (oldest first), then the decided ones, newest first."""
    waiting_first = Case(
        When(status=ErasureStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return ErasureRequest.objects.select_related("member", "decided_by").order_by(
        waiting_first, "-decided_at", "requested_at", "pk"
    )


@dataclass(frozen=True)
class Disclosure:
    at: datetime.datetime  # the last time that day
    who: str  # a role ("A facilitator of your group"), and a name only if the clinic allows
    what: str  # the action's label
    times: int = 1  # that day


def _facilitator_ids_of_groups_of(member) -> set[int]:
    groups = Group.objects.filter(pk__in=group_ids_of(member, statuses=None))
    return set(groups.values_list("facilitators", flat=True)) - {None}


def _who(event, member, *, own_facilitators, shared_with, names) -> str:
    actor_id = event.actor_id
    if actor_id is None:
        who = _("Circle itself")
    elif actor_id == member.pk:
        return _("You")
    elif event.actor_role == Role.STAFF:
        who = _("Clinic staff")
    elif event.actor_role == Role.FACILITATOR:
        who = (
            _("A facilitator of your group") if actor_id in own_facilitators else _("A facilitator")
        )
    elif actor_id in shared_with:
        who = _("Someone you share with")
    else:
        who = _("Another member")
    name = names.get(actor_id)
    return f"{who} ({name})" if name else who


def disclosures_for_member(
    member, *, now=None, days: int = DISCLOSURE_DAYS, consents=None
) -> list[Disclosure]:
    """Who opened or changed the member's record in the last `days`, newest first, as roles:
    a line per day, role and action (a facilitator who opens the notes ten times in an
    evening is one line, "10 times"), days as the member's own zone has them. Names only
    when settings.PRIVACY_SHOW_ACTOR_NAMES is on. `consents`: every consent the member gave
    (revoked too), when the caller has them already."""
    now = now or timezone.now()
    events = audit_selectors.disclosure_days(
        member.pk,
        since=now - datetime.timedelta(days=days),
        zone=timezone.get_current_timezone(),
    )
    if not events:
        return []
    own_facilitators = _facilitator_ids_of_groups_of(member)
    if consents is None:
        consents = consents_given_by(member)
    shared_with = {consent.viewer_id for consent in consents}
    names: dict[int, str] = {}
    if getattr(settings, "PRIVACY_SHOW_ACTOR_NAMES", False):
        actor_ids = {e.actor_id for e in events if e.actor_id is not None}
        names = dict(
            get_user_model().objects.filter(pk__in=actor_ids).values_list("pk", "display_name")
        )
    lines: dict[tuple, Disclosure] = {}  # people of one role on one day are one line
    for event in events:
        who = _who(
            event, member, own_facilitators=own_facilitators, shared_with=shared_with, names=names
        )
        what = actions.label(event.action)
        seen = lines.get((event.day, who, what))
        lines[(event.day, who, what)] = Disclosure(
            at=max(event.last_at, seen.at) if seen else event.last_at,
            who=who,
            what=what,
            times=event.times + (seen.times if seen else 0),
        )
    return sorted(lines.values(), key=lambda line: line.at, reverse=True)
