"""Thin views: fetch through measures.permissions (404 for outsiders), then one service call.
Every read of another person's answers, scores or shared check-ins is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import api as audit
from core.dates import today_in
from core.views import call_service, call_service_or_flash
from groups.models import ACTIVE_STATUSES, PARTICIPATED_STATUSES
from groups.permissions import groups_facilitated_by, is_facilitating_role
from groups.selectors import members_in, stints
from measures import permissions, selectors, services
from measures.charts import trend_chart
from measures.forms import AnswerForm, CheckInForm, MilestoneForm, ScheduleForm, ShareForm
from measures.models import ResponseStatus, ShareItem
from measures.scoring import flagged


@login_required
def index(request):
    user = request.user
    context: dict = {"crisis": selectors.crisis_paragraphs()}
    if is_facilitating_role(user):
        context.update(
            alerts=selectors.open_alerts_for(user),
            groups=groups_facilitated_by(user).active().order_by("name"),
        )
        return render(request, "measures/index_facilitator.html", context)
    trends = selectors.trends_for(user)
    context.update(
        prompts=selectors.pending_prompts_for(user),
        drafts=selectors.drafts_of(user),
        instruments=selectors.self_service_instruments(),
        trends=[(trend, trend_chart(trend)) for trend in trends],
        milestone=selectors.milestone_of(user),
    )
    return render(request, "measures/index.html", context)


@login_required
def crisis(request):
    return render(request, "measures/crisis.html", {"crisis": selectors.crisis_paragraphs()})


def _answer(request, *, instrument, prompt=None, response=None):
    """The form for a prompt or a self-started instrument: save and come back, or send."""
    items = list(instrument.items.all())
    existing = response if prompt is None else getattr(prompt, "response", None)
    if existing is not None and existing.status == ResponseStatus.SUBMITTED:
        return redirect("measures:done", pk=existing.pk)
    initial = selectors.answers_of(existing) if existing is not None else {}
    form = AnswerForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "send" in request.POST
        ok, saved = call_service(
            form,
            services.response_save,
            member=request.user,
            instrument=instrument,
            data=form.cleaned_data,
            submit=submit,
            prompt=prompt,
            response=existing,
        )
        if ok:
            if submit:
                return redirect("measures:done", pk=saved.pk)
            messages.success(request, _("Saved. Come back to it whenever you like."))
            return redirect("measures:index")
    return render(
        request,
        "measures/answer.html",
        {"form": form, "instrument": instrument, "prompt": prompt, "response": existing},
    )


@login_required
def prompt(request, pk):
    asked = permissions.get_own_prompt(request.user, pk)
    return _answer(request, instrument=asked.schedule.instrument, prompt=asked)


@login_required
def start(request, pk):
    instrument = permissions.get_self_service_instrument(request.user, pk)
    return _answer(request, instrument=instrument)


@login_required
def draft(request, pk):
    response = permissions.get_own_response(request.user, pk)
    if response.prompt_id is not None:
        return redirect("measures:prompt", pk=response.prompt_id)
    return _answer(request, instrument=response.instrument, response=response)


@login_required
def done(request, pk):
    response = permissions.get_own_response(request.user, pk)
    if response.status != ResponseStatus.SUBMITTED:
        return redirect("measures:draft", pk=response.pk)
    total = selectors.total_of(response)
    # Crisis resources show at once, whenever the answers meet a flag rule.
    needs_help = flagged(response.instrument, selectors.answers_of(response), total)
    return render(
        request,
        "measures/done.html",
        {
            "response": response,
            "total": total,
            "needs_help": needs_help,
            "crisis": selectors.crisis_paragraphs() if needs_help else [],
        },
    )


# --- facilitators -------------------------------------------------------------------------


@login_required
def group(request, group_pk):
    group = permissions.get_group_to_run(request.user, group_pk)
    members = _members_with_answers(group)
    form = ScheduleForm(
        request.POST or None,
        group=group,
        members=[person for person in members if person.active_here],
        initial={"starts_on": today_in(group.time_zone)},
    )
    if request.method == "POST" and form.is_valid():
        ok, _done = call_service(
            form, services.schedule_create, group=group, actor=request.user, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("Scheduled. Members are asked before each slot."))
            return redirect("measures:group", group_pk=group.pk)
    audit.record("measure.read", target="groups.group", target_id=group.pk)
    schedules = list(selectors.schedules_of(group))
    return render(
        request,
        "measures/group.html",
        {
            "group": group,
            "form": form,
            "schedules": schedules,
            "aggregates": selectors.group_aggregates(
                group, instruments={s.instrument_id: s.instrument for s in schedules}
            ),
            "min_aggregate": selectors.MIN_AGGREGATE,
            "alerts": selectors.open_alerts_for(request.user, group=group),
            "members": members,
        },
    )


def _members_with_answers(group):
    # Everyone who ever took part: the facilitator opens one person's page from here. Those
    # active now (`active_here`) are whom a schedule may single out: one query for both.
    active = stints(group=group, member=OuterRef("pk"), statuses=ACTIVE_STATUSES)
    return list(
        members_in(group, statuses=PARTICIPATED_STATUSES)
        .annotate(active_here=Exists(active))
        .order_by("display_name", "pk")
    )


@login_required
@require_POST
def schedule_end(request, pk):
    schedule = permissions.get_schedule_to_manage(request.user, pk)
    ok, _done = call_service_or_flash(
        request, services.schedule_end, schedule=schedule, actor=request.user
    )
    if ok:
        messages.success(request, _("Stopped. Nobody is asked again on this schedule."))
    return redirect("measures:group", group_pk=schedule.group_id)


@login_required
def member(request, group_pk, member_pk):
    group, person = permissions.get_member_to_read(request.user, group_pk, member_pk)
    responses = selectors.responses_for_facilitator(group, person)
    # Only what this group's facilitators may read: not another group's answers.
    trends = selectors.trends_from(responses, request.user.time_zone)
    audit.record("measure.read", subject=person, target="members.user", target_id=person.pk)
    return render(
        request,
        "measures/member.html",
        {
            "group": group,
            "member": person,
            "responses": responses,
            "trends": [(trend, trend_chart(trend)) for trend in trends],
        },
    )


@login_required
def response(request, group_pk, member_pk, pk):
    group, person = permissions.get_member_to_read(request.user, group_pk, member_pk)
    answered = permissions.get_response_to_read(request.user, group, person, pk)
    answers = selectors.answers_of(answered)
    audit.record("measure.read", subject=person, target="measures.response", target_id=answered.pk)
    rows = []
    for item in answered.instrument.items.all():
        value = answers.get(item.code, "")
        labels = dict(item.local_options())
        rows.append((item, value, labels.get(str(value), value)))
    return render(
        request,
        "measures/response.html",
        {
            "group": group,
            "member": person,
            "response": answered,
            "rows": rows,
            "total": selectors.total_of(answered),
            "flagged": flagged(answered.instrument, answers, selectors.total_of(answered)),
        },
    )


@login_required
def alert(request, pk):
    raised = permissions.get_alert_to_handle(request.user, pk)
    return render(
        request,
        "measures/alert.html",
        {"alert": raised, "group_pk": raised.group_id},
    )


@login_required
@require_POST
def alert_ack(request, pk):
    raised = permissions.get_alert_to_handle(request.user, pk)
    services.alert_acknowledge(alert=raised, actor=request.user)
    messages.success(request, _("Thank you. Your colleagues can see you have it."))
    return redirect("measures:alert", pk=raised.pk)


# --- a member's check-ins, milestone and sharing ---------------------------------------


@login_required
def checkins(request):
    user = request.user
    form = CheckInForm(request.POST or None, prefix="checkin")
    milestone_form = MilestoneForm(prefix="milestone")
    if request.method == "POST" and form.is_valid():
        ok, _done = call_service(form, services.checkin_save, member=user, **form.cleaned_data)
        if ok:
            messages.success(request, _("Saved. Only you can see it unless you choose to share."))
            return redirect("measures:checkins")
    return _checkins_page(request, form, milestone_form)


def _checkins_page(request, form, milestone_form):
    user = request.user
    return render(
        request,
        "measures/checkins.html",
        {
            "form": form,
            "milestone_form": milestone_form,
            "checkins": selectors.checkins_of(user),
            "milestone": selectors.milestone_of(user),
        },
    )


@login_required
@require_POST
def milestone(request):
    user = request.user
    if "clear" in request.POST:
        services.milestone_clear(member=user)
        messages.success(request, _("Your milestone is gone."))
        return redirect("measures:checkins")
    milestone_form = MilestoneForm(request.POST, prefix="milestone")
    if milestone_form.is_valid():
        ok, _done = call_service(
            milestone_form, services.milestone_save, member=user, **milestone_form.cleaned_data
        )
        if ok:
            messages.success(request, _("Saved."))
            return redirect("measures:checkins")
    return _checkins_page(request, CheckInForm(prefix="checkin"), milestone_form)


@login_required
def sharing(request):
    user = request.user
    candidates = selectors.share_candidates(user) if user.is_member else []
    form = ShareForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        ok, _done = call_service(
            form,
            services.share_grant,
            owner=user,
            viewer=form.candidates.get(form.cleaned_data["viewer"]),
            item=form.cleaned_data["item"],
            actor=user,
        )
        if ok:
            messages.success(request, _("Shared. You can stop at any time."))
            return redirect("measures:sharing")
    return render(
        request,
        "measures/sharing.html",
        {
            "form": form,
            "can_share": bool(candidates),
            "given": selectors.shares_given_by(user),
            "received": selectors.shares_received_by(user),
        },
    )


@login_required
@require_POST
def share_revoke(request, pk):
    share = permissions.get_own_share(request.user, pk)
    ok, _done = call_service_or_flash(
        request, services.share_revoke, share=share, actor=request.user
    )
    if ok:
        messages.success(request, _("Stopped. They can no longer see it."))
    return redirect("measures:sharing")


@login_required
def shared(request, owner_pk):
    owner, items = permissions.get_shared_owner(request.user, owner_pk)
    audit.record(
        "measure.shared_read",
        subject=owner,
        target="members.user",
        target_id=owner.pk,
        detail={"items": sorted(items)},
    )
    return render(
        request,
        "measures/shared.html",
        {
            "owner": owner,
            "checkins": selectors.checkins_of(owner) if ShareItem.CHECK_INS in items else None,
            "milestone": selectors.milestone_of(owner) if ShareItem.MILESTONE in items else None,
            "now": timezone.now(),
        },
    )
