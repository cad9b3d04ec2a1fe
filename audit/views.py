"""Staff pages: search the trail, export it as CSV, and print one person's disclosures.

Every page is staff only (404 for everyone else), and each is itself audited.
"""

import csv
import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import pgettext

from audit import api as audit
from audit.actions import label
from audit.forms import AuditSearchForm, DisclosuresForm
from audit.permissions import require_audit_reader
from audit.selectors import (
    NOBODY,
    EventFilter,
    disclosure_events,
    people_by_id,
    role_label,
    search_events,
)
from core.dates import today_in

PAGE_SIZE = 50
MAX_ID = 2**63 - 1  # ids are 64-bit; a longer number in the address names nobody
EXPORT_CHUNK = 1000
DISCLOSURE_DEFAULT_DAYS = 365
DEFAULT_DAYS = 90
# Spreadsheet apps run cells starting with these as formulas; display names are user-chosen.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _zone(request) -> str:
    return getattr(request.user, "time_zone", "") or timezone.get_current_timezone_name()


def _search(request) -> tuple[AuditSearchForm, EventFilter | None]:
    """The filter asked for; with none, the last DEFAULT_DAYS (years of rows are slow to count)."""
    data = request.GET
    if not data:
        today = today_in(_zone(request))
        data = QueryDict(mutable=True)
        data["date_from"] = (today - datetime.timedelta(days=DEFAULT_DAYS)).isoformat()
    form = AuditSearchForm(data)
    if not form.is_valid():
        return form, None
    return form, form.filters(_zone(request))


def _filter_detail(filters: EventFilter) -> dict:
    """What was searched, as ids and codes (never the typed text) for the audit row itself."""
    return {
        "person": filters.person_id,
        "actor": filters.actor_id,
        "action": filters.action or None,
        "outcome": filters.outcome or None,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
    }


def _someone(filters: EventFilter) -> int | None:
    return filters.person_id if filters.person_id != NOBODY else None


def _rows(events) -> list[dict]:
    """Rows of a page with names: one query for every person on it."""
    people = people_by_id([e.actor_id for e in events] + [e.subject_id for e in events])
    return [
        {
            "event": event,
            "label": label(event.action),
            "actor": people.get(event.actor_id) if event.actor_id is not None else None,
            "subject": people.get(event.subject_id) if event.subject_id is not None else None,
            "role_then": role_label(event.actor_role),
        }
        for event in events
    ]


@login_required
def events(request):
    require_audit_reader(request.user)
    form, filters = _search(request)
    page = None
    rows: list[dict] = []
    if filters is not None:
        page = Paginator(search_events(filters), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = _rows(list(page.object_list))
        audit.record("audit.view", subject=_someone(filters), detail=_filter_detail(filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "retention_years": round(settings.AUDIT_RETENTION_DAYS / 365.25),
        },
        status=200 if filters is not None else 400,
    )


def _csv_cell(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def _csv_lines(filters: EventFilter, language: str) -> Iterator[str]:
    # Streamed after the view returns: the request's language is set again for the labels.
    with translation.override(language):
        yield from _csv_rows(filters)


def _csv_rows(filters: EventFilter) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The header in the exporter's language; the columns and their codes are the same in all.
    yield writer.writerow(
        [
            pgettext("audit CSV header", "at_utc"),
            pgettext("audit CSV header", "action"),
            pgettext("audit CSV header", "action_label"),
            pgettext("audit CSV header", "outcome"),
            pgettext("audit CSV header", "actor_id"),
            pgettext("audit CSV header", "actor_name"),
            pgettext("audit CSV header", "actor_role"),
            pgettext("audit CSV header", "subject_id"),
            pgettext("audit CSV header", "subject_name"),
            pgettext("audit CSV header", "target"),
            pgettext("audit CSV header", "target_id"),
            pgettext("audit CSV header", "ip"),
            pgettext("audit CSV header", "user_agent"),
            pgettext("audit CSV header", "detail"),
        ]
    )
    chunk: list = []
    for event in search_events(filters).iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(event)
        if len(chunk) == EXPORT_CHUNK:
            yield from _csv_chunk(writer, chunk)
            chunk = []
    yield from _csv_chunk(writer, chunk)


def _csv_chunk(writer, events) -> Iterator[str]:
    people = people_by_id([e.actor_id for e in events] + [e.subject_id for e in events])
    for event in events:
        actor = people.get(event.actor_id) if event.actor_id is not None else None
        subject = people.get(event.subject_id) if event.subject_id is not None else None
        yield writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    event.at.astimezone(datetime.UTC).isoformat(),
                    event.action,
                    label(event.action),
                    event.outcome,
                    event.actor_id,
                    actor.name if actor else "",
                    event.actor_role,
                    event.subject_id,
                    subject.name if subject else "",
                    event.target,
                    event.target_id,
                    event.ip,
                    event.user_agent,
                    json.dumps(event.detail, sort_keys=True),
                )
            ]
        )


@login_required
def export(request):
    require_audit_reader(request.user)
    form, filters = _search(request)
    if filters is None:
        return render(
            request,
            "audit/events.html",
            {"form": form, "page": None, "rows": [], "query": ""},
            status=400,
        )
    audit.record("audit.export", subject=_someone(filters), detail=_filter_detail(filters))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _csv_lines(filters, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def disclosures(request, person_pk):
    require_audit_reader(request.user)
    if person_pk > MAX_ID:
        raise Http404("No such person")
    zone = _zone(request)
    today = today_in(zone)
    data = request.GET or {
        "date_from": (today - datetime.timedelta(days=DISCLOSURE_DEFAULT_DAYS)).isoformat(),
        "date_to": today.isoformat(),
    }
    form = DisclosuresForm(data)
    rows: list[dict] = []
    since = until = None
    person = people_by_id([person_pk])[person_pk]
    if form.is_valid():
        since, until = form.bounds(zone)
        found = list(disclosure_events(person_pk, since=since, until=until))
        rows = _rows(found)
        audit.record(
            "audit.disclosures",
            subject=person_pk,
            target="members.user",
            target_id=person_pk,
            detail={
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
            },
        )
    return render(
        request,
        "audit/disclosures.html",
        {
            "form": form,
            "person": person,
            "rows": rows,
            "date_from": form.cleaned_data.get("date_from") if form.is_valid() else None,
            "date_to": form.cleaned_data.get("date_to") if form.is_valid() else None,
            "generated_at": timezone.now(),
        },
        status=200 if form.is_valid() else 400,
    )
