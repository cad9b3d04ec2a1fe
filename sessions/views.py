"""Thin views: fetch through sessions.permissions (404 for outsiders), call a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.dates import day, day_and_clock
from core.timezones import zone
from core.views import call_service, call_service_or_flash, confirm_first, redirect_back
from groups.permissions import get_group_to_facilitate, groups_facilitated_by
from sessions import selectors, services
from sessions.calendar import feed_ics_bytes, session_ics_bytes
from sessions.forms import (
    CancelForm,
    EndSeriesForm,
    RSVPForm,
    SeriesForm,
    SessionForm,
    SkipDateForm,
)
from sessions.links import BadRSVPLink, rsvp_link_load, rsvp_link_mark_used
from sessions.models import Seat
from sessions.permissions import (
    get_series_to_facilitate,
    get_session_for_user,
    get_session_to_facilitate,
)
from sessions.rsvps import rsvp_submit


def _answer_message(rsvp) -> str:
    if rsvp.seat == Seat.CONFIRMED:
        return _("You're going. See you there.")
    if rsvp.seat == Seat.WAITLISTED:
        return _(
            "The session is full, so you're on the waitlist. We'll tell you if a seat frees up."
        )
    if rsvp.answer == "maybe":
        return _("Noted: maybe. You can change your answer any time before it closes.")
    return _("Thanks for letting us know you can't come.")


# Members -----------------------------------------------------------------------------------


UPCOMING_PAGE_SIZE = 10


@login_required
def upcoming(request):
    # Half a year of weekly sessions is too long a page on a phone: ten at a time.
    page = Paginator(selectors.upcoming_for(request.user), UPCOMING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "scheduling/upcoming.html",
        {
            "page": page,
            "sessions": page.object_list,
            "run_groups": groups_facilitated_by(request.user).active().order_by("name"),
        },
    )


@login_required
def detail(request, pk):
    card = selectors.session_for_member(get_session_for_user(request.user, pk), request.user)
    session = card.session
    context = {
        "card": card,
        "session": session,
        "join_url": selectors.join_link(session),
        "join_opens_minutes": selectors.join_opens_minutes(),
        "rsvp_form": RSVPForm(initial={"note": card.mine.note if card.mine else ""}),
    }
    if card.can_manage:
        context["roster"] = selectors.session_roster(session)
        context["cancel_form"] = CancelForm()
    return render(request, "scheduling/detail.html", context)


@login_required
@require_POST
def rsvp(request, pk):
    session = get_session_for_user(request.user, pk)
    form = RSVPForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose going, not going or maybe."))
    else:
        ok, answer = call_service_or_flash(
            request,
            rsvp_submit,
            session=session,
            member=request.user,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
        )
        if ok:
            messages.success(request, _answer_message(answer))
    return redirect_back(request, reverse("scheduling:detail", kwargs={"pk": session.pk}))


@login_required
def session_ics(request, pk):
    session = get_session_for_user(request.user, pk)
    body = session_ics_bytes(session, viewer=request.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # A neutral file name: it lands in downloads folders and mail attachments.
    response["Content-Disposition"] = 'attachment; filename="session.ics"'
    return response


@login_required
def calendar(request):
    context = {"feed": selectors.calendar_feed_of(request.user), "feed_url": None}
    return render(request, "scheduling/calendar.html", context)


@never_cache
@login_required
@require_POST
def calendar_regenerate(request):
    """Makes a link and shows it in this response only: it is stored hashed, so no later page
    can show it again (and nothing keeps it to show after a redirect)."""
    replaced = selectors.calendar_feed_of(request.user) is not None
    token = services.calendar_feed_make(user=request.user)
    url = request.build_absolute_uri(reverse("scheduling:feed", kwargs={"token": token}))
    context = {
        "feed": selectors.calendar_feed_of(request.user),
        "feed_url": url,
        "replaced": replaced,
    }
    return render(request, "scheduling/calendar.html", context)


@login_required
@require_POST
def calendar_turn_off(request):
    if services.calendar_feed_turn_off(user=request.user):
        messages.success(
            request, _("Your calendar link is off. Calendar apps that used it stop updating.")
        )
    return redirect("scheduling:calendar")


def feed(request, token):
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404("No such feed")
    # A calendar app asking whether anything changed: 304 without building the calendar.
    response = None
    if "if-none-match" in request.headers:
        etag = selectors.feed_validator(owner)
        response = get_conditional_response(request, etag=etag)
    if response is None:
        contents = selectors.feed_contents(owner)
        body = feed_ics_bytes(contents.sessions, viewer=owner, labels=contents.labels)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        etag = contents.etag  # the one the body was made from
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-store"
    return response


def link(request, token):
    """An RSVP link from an email: GET only asks, POST records (mail scanners open links)."""
    try:
        found = rsvp_link_load(token)
    except BadRSVPLink as exc:
        return render(request, "scheduling/link_bad.html", {"reason": exc.reason}, status=400)
    with timezone.override(zone(found.member.time_zone)):
        context = {"link": found, "session": found.session}
        if request.method != "POST":
            return render(request, "scheduling/link_confirm.html", context)
        try:
            with transaction.atomic():
                rsvp_link_mark_used(token)
                answer = rsvp_submit(
                    session=found.session, member=found.member, answer=found.answer
                )
        except BadRSVPLink as exc:
            return render(request, "scheduling/link_bad.html", {"reason": exc.reason}, status=400)
        except ValidationError as exc:
            context["problem"] = exc.messages[0]
            return render(request, "scheduling/link_done.html", context, status=400)
        context["message"] = _answer_message(answer)
        return render(request, "scheduling/link_done.html", context)


# Facilitators ------------------------------------------------------------------------------


@login_required
def schedule(request, group_pk):
    group = get_group_to_facilitate(request.user, group_pk)
    context = {"group": group, **selectors.group_schedule(group)}
    context["skip_form"], context["end_form"] = SkipDateForm(), EndSeriesForm()
    return render(request, "scheduling/schedule.html", context)


@login_required
def series_create(request, group_pk):
    group = get_group_to_facilitate(request.user, group_pk)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.series_create,
            group=group,
            actor=request.user,
            rrule=form.rule(),
            starts_on=data["starts_on"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
        )
        if ok:
            messages.success(request, _("The schedule is saved and the sessions are planned."))
            return redirect("scheduling:schedule", group_pk=group.pk)
    return render(request, "scheduling/series_form.html", {"form": form, "group": group})


@login_required
def series_edit(request, pk):
    series = get_series_to_facilitate(request.user, pk)
    form = SeriesForm(request.POST or None, editing=True, initial=SeriesForm.initial_for(series))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.series_update,
            series=series,
            actor=request.user,
            rrule=form.rule(),
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
        )
        if ok:
            messages.success(
                request, _("Saved. Sessions you changed one by one keep their changes.")
            )
            return redirect("scheduling:schedule", group_pk=series.group_id)
    context = {"form": form, "group": series.group, "series": series}
    return render(request, "scheduling/series_form.html", context)


def _series_post(request, pk, form_class, action, done: str):
    series = get_series_to_facilitate(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a date."))
    else:
        ok, _result = call_service_or_flash(
            request, action, series=series, actor=request.user, **form.cleaned_data
        )
        if ok:
            messages.success(request, done)
    return redirect("scheduling:schedule", group_pk=series.group_id)


@login_required
@require_POST
def series_end(request, pk):
    series = get_series_to_facilitate(request.user, pk)
    form = EndSeriesForm(request.POST)
    if form.is_valid():
        last = form.cleaned_data["last_date"]
        confirmation = confirm_first(
            request,
            title=_("End this schedule after %(day)s?") % {"day": day(last)},
            consequences=[
                _(
                    "No sessions are planned after that day. Sessions already planned after it "
                    "are cancelled, and their members are told."
                ),
                _("Sessions up to that day, and attendance already taken, stay as they are."),
            ],
            confirm_label=_("Yes, end the schedule"),
            back_url=reverse("scheduling:schedule", kwargs={"group_pk": series.group_id}),
            back_label=_("Keep the schedule"),
            keep={"last_date": last.isoformat()},
        )
        if confirmation:
            return confirmation
    return _series_post(
        request, pk, EndSeriesForm, services.series_end, _("The series ends on that date.")
    )


@login_required
@require_POST
def series_skip(request, pk):
    return _series_post(
        request, pk, SkipDateForm, services.series_skip_date, _("No session on that date.")
    )


@login_required
def session_change(request, pk):
    session = get_session_to_facilitate(request.user, pk)
    group_zone = zone(session.group.time_zone)
    start = timezone.localtime(session.starts_at, group_zone)
    end = timezone.localtime(session.ends_at, group_zone)
    deadline = (
        timezone.localtime(session.rsvp_deadline, group_zone) if session.rsvp_deadline else None
    )
    initial = {
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "topic": session.topic,
        "location": session.location,
        "video_url": session.video_url,
        "capacity": session.capacity,
        "rsvp_deadline": deadline.replace(tzinfo=None) if deadline else None,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.session_update,
            session=session,
            actor=request.user,
            starts_local=form.starts_local(),
            duration_minutes=form.duration_minutes(),
            location=data["location"],
            video_url=data["video_url"],
            topic=data["topic"],
            capacity=data["capacity"],
            rsvp_deadline_local=form.deadline_local(),
        )
        if ok:
            messages.success(request, _("The session is changed. Members will be told."))
            return redirect("scheduling:detail", pk=session.pk)
    context = {"form": form, "session": session, "group": session.group}
    return render(request, "scheduling/session_form.html", context)


@login_required
@require_POST
def session_cancel(request, pk):
    session = get_session_to_facilitate(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give members a short reason for the cancellation."))
        return redirect("scheduling:detail", pk=session.pk)
    reason = form.cleaned_data["reason"]
    when = day_and_clock(timezone.localtime(session.starts_at))
    confirmation = confirm_first(
        request,
        title=_("Cancel the session on %(when)s?") % {"when": when},
        consequences=[
            _("Everyone in the group is told it is cancelled, with your reason: “%(reason)s”.")
            % {"reason": reason},
            _("Its reminders are withdrawn and calendars show it as cancelled."),
            _("The other sessions go ahead. You can put this one back on later from its page."),
        ],
        confirm_label=_("Yes, cancel this session"),
        back_url=reverse("scheduling:detail", kwargs={"pk": session.pk}),
        back_label=_("Keep it"),
        keep={"reason": reason},
    )
    if confirmation:
        return confirmation
    ok, _result = call_service_or_flash(
        request, services.session_cancel, session=session, actor=request.user, reason=reason
    )
    if ok:
        messages.success(request, _("This session is cancelled. The others go ahead."))
    return redirect("scheduling:detail", pk=session.pk)


@login_required
@require_POST
def session_restore(request, pk):
    session = get_session_to_facilitate(request.user, pk)
    ok, _result = call_service_or_flash(
        request, services.session_restore, session=session, actor=request.user
    )
    if ok:
        messages.success(request, _("The session is back on. Members are told."))
    return redirect("scheduling:detail", pk=session.pk)


@login_required
def session_add(request, group_pk):
    group = get_group_to_facilitate(request.user, group_pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, session = call_service(
            form,
            services.session_add,
            group=group,
            actor=request.user,
            starts_local=form.starts_local(),
            duration_minutes=form.duration_minutes(),
            topic=data["topic"],
            location=data["location"],
            video_url=data["video_url"],
            capacity=data["capacity"],
        )
        if ok:
            messages.success(request, _("The extra session is planned. Members will be told."))
            return redirect("scheduling:detail", pk=session.pk)
    return render(
        request,
        "scheduling/session_form.html",
        {"form": form, "group": group, "roll_late_days": settings.ROLL_LATE_DAYS},
    )
