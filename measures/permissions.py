"""The one place that decides who may answer, read, acknowledge and share. Outsiders 404.

- A member answers only their own prompts and drafts, and sees their own scores.
- A group's facilitators (and staff) read the answers of its members: answers to the
  group's schedules and answers given of the member's own accord; never another group's.
- A partner or facilitator sees check-ins or the milestone only while a CheckInShare lasts;
  scores and answers are never shared.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from core.lookups import NotVisible, get_object_for_user_or_404
from groups.models import PARTICIPATED_STATUSES, Group
from groups.permissions import get_group_to_facilitate, groups_facilitated_by
from groups.selectors import stints
from measures.models import Alert, CheckInShare, Instrument, Prompt, Response, Schedule
from measures.selectors import alerts_visible_to, shared_items


def require_signed_in(user) -> None:
    if not user.is_authenticated:
        raise Http404("Not found")


def get_own_prompt(user, pk) -> Prompt:
    prompts = Prompt.objects.filter(member=user) if user.is_authenticated else Prompt.objects.none()
    return get_object_for_user_or_404(
        prompts.select_related("schedule__instrument", "schedule__group", "session"),
        pk,
        "No such questions",
    )


def get_own_response(user, pk) -> Response:
    responses = (
        Response.objects.filter(member=user) if user.is_authenticated else Response.objects.none()
    )
    return get_object_for_user_or_404(
        responses.select_related("instrument", "prompt"), pk, "No such answers"
    )


def get_self_service_instrument(user, pk) -> Instrument:
    """Instruments a member may start themself; facilitators and staff have none to answer."""
    if not (user.is_authenticated and user.is_member):
        raise Http404("No such questions")
    return get_object_for_user_or_404(
        Instrument.objects.filter(active=True, self_service=True), pk, "No such questions"
    )


def get_group_to_run(user, pk) -> Group:
    return get_group_to_facilitate(user, pk)


def get_member_to_read(user, group_pk, member_pk):
    """(group, member): a group the user runs and someone who ever took part in it."""
    group = get_group_to_facilitate(user, group_pk)
    try:
        stint = (
            stints(group=group, member=int(member_pk), statuses=PARTICIPATED_STATUSES)
            .select_related("member")
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        stint = None
    if stint is None:
        raise Http404("No such member")
    return group, stint.member


def get_response_to_read(user, group, member, pk) -> Response:
    """One of `member`'s sent answers that `group`'s facilitators may read."""
    responses = (
        Response.objects.filter(member=member, status="submitted")
        .filter(Q(prompt__schedule__group=group) | Q(prompt__isnull=True))
        .select_related("instrument", "prompt__session")
    )
    return get_object_for_user_or_404(responses, pk, "No such answers")


def get_alert_to_handle(user, pk) -> Alert:
    return get_object_for_user_or_404(
        alerts_visible_to(user).select_related("member", "group", "acknowledged_by"),
        pk,
        "No such alert",
    )


def get_schedule_to_manage(user, pk) -> Schedule:
    schedules = Schedule.objects.filter(group__in=groups_facilitated_by(user))
    return get_object_for_user_or_404(schedules.select_related("group"), pk, "No such schedule")


def get_own_share(user, pk) -> CheckInShare:
    shares = (
        CheckInShare.objects.filter(owner=user)
        if user.is_authenticated
        else CheckInShare.objects.none()
    )
    return get_object_for_user_or_404(shares, pk, "No such sharing")


def get_shared_owner(viewer, owner_pk):
    """(owner, items) while the owner shares something with `viewer`; 404 otherwise."""
    if not viewer.is_authenticated:
        raise Http404("Not found")
    owner = get_object_for_user_or_404(
        get_user_model().objects.filter(is_active=True).exclude(pk=viewer.pk),
        owner_pk,
        "Nothing shared",
    )
    items = shared_items(owner, viewer)
    if not items:
        raise NotVisible("Nothing shared", model_label="members.user", pk=owner_pk)
    return owner, items
