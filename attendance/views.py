"""Thin views: fetch through attendance.permissions (404 for outsiders), then one service call."""

import csv
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from attendance import permissions, selectors, services
from attendance.charts import headcount_chart
from attendance.forms import DateRangeForm, LetterForm, MarkForm, VerifyForm
from attendance.letters import (
    format_code,
    letter_by_code,
    letter_filename,
    letter_pdf,
    letter_sentence,
    letter_still_matches,
)
from attendance.models import Mark
from audit import api as audit
from core.dates import today_in
from core.views import call_service, flash_error
from groups.labels import name_for, names_for
from sessions.permissions import get_session_to_facilitate

# Spreadsheet apps run cells starting with these as formulas; display names are user-chosen.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
RECENT_SESSIONS = 12


@login_required
def index(request):
    context = selectors.attendance_index(request.user)
    # One query: the names this person gave their own groups (others' shares included).
    groups = [*context["own_groups"], *(consent.group for consent in context["shared"])]
    context["own_names"] = names_for(request.user, groups)
    return render(request, "attendance/index.html", context)


@login_required
def group(request, group_pk):
    group = permissions.get_group_to_take_roll(request.user, group_pk)
    now = timezone.now()
    overview = selectors.group_overview(group, now)
    held = [row for row in reversed(overview.sessions) if row.session.starts_at <= now]
    today = today_in(group.time_zone, now)
    audit.record("attendance.group_read", target="groups.group", target_id=group.pk)
    export_form = DateRangeForm(
        initial={"date_from": today - datetime.timedelta(days=90), "date_to": today}
    )
    return render(
        request,
        "attendance/group.html",
        {
            "group": group,
            "overview": overview,
            "recent_sessions": overview.sessions[:RECENT_SESSIONS],
            "earlier_sessions": overview.sessions[RECENT_SESSIONS:],
            "chart": headcount_chart(held),
            "held": held,
            "export_form": export_form,
        },
    )


@login_required
def roll(request, session_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    rows = selectors.roll_for_session(session)
    audit.record("attendance.roll_read", target="scheduling.session", target_id=session.pk)
    return render(
        request,
        "attendance/roll.html",
        {
            "session": session,
            "rows": rows,
            "roll_open": selectors.roll_is_open(session),
            "roll_late_days": settings.ROLL_LATE_DAYS,
            "now": timezone.now(),
            "quick_marks": [(m, m.label) for m in Mark if m != Mark.EXCUSED],
            "going_count": sum(1 for row in rows if row.answer == "going"),
        },
    )


@login_required
@require_POST
def mark(request, session_pk, member_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    member = permissions.get_member_on_roll(session, member_pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose present, late, left early, absent or excused."))
    else:
        try:
            record = services.attendance_mark(
                session=session,
                member=member,
                mark=form.cleaned_data["mark"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, f"{member.display_name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"{member.display_name}: {record.get_mark_display()}.")
    return redirect(reverse("attendance:roll", args=[session.pk]) + f"#member-{member.pk}")


@login_required
@require_POST
def mark_going(request, session_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    try:
        count = services.attendance_mark_going_present(session=session, actor=request.user)
    except ValidationError as error:
        flash_error(request, error)
    else:
        if count:
            messages.success(
                request,
                ngettext("Marked %(count)d present.", "Marked %(count)d present.", count)
                % {"count": count},
            )
        else:
            messages.info(request, _("Nobody else said they're going."))
    return redirect("attendance:roll", session.pk)


def _csv_cell(value):
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_PREFIXES) else value


@login_required
def export(request, group_pk):
    group = permissions.get_group_to_take_roll(request.user, group_pk)
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Choose a start and an end date.")]:
            messages.error(request, str(error))
        return redirect("attendance:group", group.pk)
    first, last = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    audit.record(
        "attendance.export",
        target="groups.group",
        target_id=group.pk,
        detail={"date_from": first.isoformat(), "date_to": last.isoformat()},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-{first:%Y%m%d}-{last:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            pgettext("CSV header", "date"),
            pgettext("CSV header", "start"),
            pgettext("CSV header", "minutes"),
            pgettext("CSV header", "member"),
            pgettext("CSV header", "attendance"),
            pgettext("CSV header", "reason"),
        ]
    )
    for row in selectors.export_rows(group, first, last):
        writer.writerow([_csv_cell(value) for value in row])
    return response


@login_required
def member(request, group_pk, member_pk):
    group, member, viewer_as = permissions.get_summary_access(request.user, group_pk, member_pk)
    summary = selectors.member_summary(group, member)
    audit.record(
        "attendance.shared_read" if viewer_as == "shared" else "attendance.read",
        subject=member,
        target="groups.group",
        target_id=group.pk,
    )
    # Only the member themself sees the name they gave the group; facilitators the real one.
    group_name = name_for(request.user, group) if viewer_as == "self" else group.name
    return render(
        request,
        "attendance/member.html",
        {
            "group": group,
            "group_name": group_name,
            "member": member,
            "viewer_as": viewer_as,
            "summary": summary,
        },
    )


@login_required
def letter(request, group_pk, member_pk):
    group, member = permissions.get_letter_access(request.user, group_pk, member_pk)
    today = today_in(group.time_zone)
    form = LetterForm(
        request.POST or None,
        initial={
            "date_from": today - datetime.timedelta(days=90),
            "date_to": today,
            "name_on_letter": member.display_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        ok, issued = call_service(
            form,
            services.attendance_letter_issue,
            group=group,
            member=member,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            name_on_letter=form.cleaned_data["name_on_letter"],
            name_programme=form.cleaned_data["name_programme"],
            actor=request.user,
        )
        if ok:
            audit.record(
                "letter.download",
                subject=member,
                target="attendance.attendanceletter",
                target_id=issued.pk,
                detail={"group": group.pk},
            )
            response = HttpResponse(letter_pdf(issued), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{letter_filename(issued)}"'
            return response
    return render(
        request,
        "attendance/letter.html",
        {"group": group, "member": member, "form": form, "is_self": member == request.user},
    )


@login_required
def verify(request):
    permissions.require_letter_checker(request.user)
    form = VerifyForm(request.GET or None)
    context = {"form": form, "checked": False}
    if form.is_valid():
        found = letter_by_code(form.cleaned_data["code"])
        context.update(checked=True, letter=found)
        if found is not None:
            context.update(
                code=format_code(found.code),
                sentence=letter_sentence(found),
                still_matches=letter_still_matches(found),
            )
    return render(request, "attendance/verify.html", context)


@login_required
@require_POST
def follow_up_done(request, pk):
    follow_up = permissions.get_follow_up_to_handle(request.user, pk)
    services.absence_follow_up_acknowledge(follow_up=follow_up, actor=request.user)
    messages.success(request, _("Marked as followed up."))
    return redirect("attendance:group", follow_up.enrollment.group_id)
