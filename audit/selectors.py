"""Reads of the audit trail: the staff search, names for a page of rows, and disclosures.

`disclosures_for` is the entry point other apps use (the member's own "who opened my record"
page in privacy/): its signature and the fields of `Disclosure` are kept stable.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from audit.actions import DISCLOSURE_CODES, label
from audit.models import AuditEvent


@dataclass(frozen=True)
class Disclosure:
    """Someone other than the person read or changed their record.

    `actor_role` is the role they had then ("staff", "facilitator", "member"; "" if unknown),
    `actor_role_label` its words ("Clinic staff"); `actor_id` is there for a clinic that shows
    names (resolve it with `people_by_id`); a member-facing page shows the role only.
    """

    at: datetime.datetime
    actor_id: int | None
    actor_role: str
    actor_role_label: str
    action: str
    action_label: str
    target: str
    target_id: str


def role_label(role: str) -> str:
    choices = dict(get_user_model()._meta.get_field("role").choices or [])
    return str(choices.get(role, role.replace("_", " ").capitalize() if role else ""))


def disclosure_events(
    subject_id: int,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Successful reads and changes of `subject_id`'s record by anyone else, newest first."""
    events = AuditEvent.objects.filter(
        subject_id=subject_id, action__in=DISCLOSURE_CODES, outcome="ok"
    ).exclude(actor_id=subject_id)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events.order_by("-at", "-pk")


def disclosures_for(
    subject_id: int,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> list[Disclosure]:
    """Who (by role) opened or changed this person's record, and when: newest first.

    `since` (inclusive) and `until` (exclusive) are aware datetimes. One query. The person's own
    reads are never recorded; their own changes (sharing they started) are left out here.
    """
    return [
        Disclosure(
            at=event.at,
            actor_id=event.actor_id,
            actor_role=event.actor_role,
            actor_role_label=role_label(event.actor_role),
            action=event.action,
            action_label=label(event.action),
            target=event.target,
            target_id=event.target_id,
        )
        for event in disclosure_events(subject_id, since=since, until=until)
    ]


@dataclass(frozen=True)
class DisclosureDay:
    """One person's reads or changes of one kind of someone's record on one day: how many
    and the last one's time."""

    day: datetime.date
    last_at: datetime.datetime
    times: int
    actor_id: int | None
    actor_role: str
    action: str


def disclosure_days(
    subject_id: int, *, since: datetime.datetime, zone: datetime.tzinfo
) -> list[DisclosureDay]:
    """`disclosure_events` counted per day (in `zone`), person and action, newest first: one
    query, and a row a day however often a record was opened that day."""
    rows = (
        disclosure_events(subject_id, since=since)
        .order_by()
        .annotate(day=TruncDate("at", tzinfo=zone))
        .values("day", "actor_id", "actor_role", "action")
        .annotate(times=Count("pk"), last_at=Max("at"))
        .order_by("-last_at", "action")
    )
    return [DisclosureDay(**row) for row in rows]


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str
    role_label: str
    found: bool

    def __str__(self) -> str:
        return f"{self.name} ({self.role_label})" if self.role_label else self.name


def people_by_id(ids: Iterable[int | None]) -> dict[int, Person]:
    """Display name and role for each id, in one query; a missing or erased person shows as
    "Person #<id>" (erasure keeps the trail under the bare id)."""
    wanted = {pk for pk in ids if pk is not None}
    found: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in get_user_model()
        .objects.filter(pk__in=wanted)
        .values("pk", "display_name", "role")
    }
    people = {}
    for pk in wanted:
        row: dict[str, Any] = found.get(pk) or {}
        name = row.get("display_name") or _("Person #%(id)s") % {"id": pk}
        role = row.get("role") or ""
        people[pk] = Person(pk, name, role, role_label(role), bool(row))
    return people


def person_id_for(text: str) -> int | None:
    """A person typed as an id ("42", "#42") or an email address; None when nobody matches.

    A number is taken as an id even if no account has it any more (erased people keep theirs).
    """
    text = (text or "").strip().lstrip("#")
    if not text:
        return None
    if text.isdigit():
        return int(text) if len(text) <= 18 else None
    return get_user_model().objects.filter(email__iexact=text).values_list("pk", flat=True).first()


NOBODY = -1  # a filter on a person who does not exist matches no row


@dataclass(frozen=True)
class EventFilter:
    person_id: int | None = None  # whose record (subject)
    actor_id: int | None = None
    action: str = ""  # a code, or a prefix ending in "." ("auth.")
    outcome: str = ""
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None


def search_events(filters: EventFilter) -> QuerySet[AuditEvent]:
    """The staff search, newest first."""
    events = AuditEvent.objects.all()
    if filters.person_id is not None:
        events = events.filter(subject_id=filters.person_id)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.action.endswith("."):
        events = events.filter(action__startswith=filters.action)
    elif filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.since is not None:
        events = events.filter(at__gte=filters.since)
    if filters.until is not None:
        events = events.filter(at__lt=filters.until)
    return events.order_by("-at", "-pk")


def involving(person_id: int) -> Q:
    return Q(subject_id=person_id) | Q(actor_id=person_id)
