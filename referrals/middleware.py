"""The agreement gate: a member opening a session page of a group whose agreement they have
not accepted (or whose text changed materially since), or answering one of its sessions, is
sent to read and accept it first; an answer is not recorded until then.

It lives here, not in sessions, because sessions sits below referrals and cannot ask it;
sessions' views stay unaware. Only members of the session's group are sent on: anyone else
reaches the session view and meets its own 404, so the gate reveals nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import safe_next_path
from referrals.agreements import needs_acceptance
from sessions.links import BadRSVPLink, rsvp_link_load
from sessions.models import Session

GATED_VIEWS = ("scheduling:detail",)
# Where an answer is recorded: the buttons on any page, and an email's signed link (whose
# member may not be signed in, so the link's member is the one asked).
ANSWER_VIEWS = ("scheduling:rsvp",)
LINK_VIEWS = ("scheduling:link",)


def _to_agreement(group_id: int, next_path: str):
    url = reverse("referrals:agreement", kwargs={"group_pk": group_id})
    return redirect(f"{url}?{urlencode({'next': next_path})}")


def _answer_not_recorded(request, session: Session, next_path: str | None):
    messages.warning(
        request,
        _(
            "Your answer has not been saved yet. Please read and accept the group agreement "
            "first; then you can answer."
        ),
    )
    fallback = reverse("scheduling:detail", kwargs={"pk": session.pk})
    return _to_agreement(session.group_id, next_path or fallback)


class AgreementGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        if match.view_name in LINK_VIEWS:
            return self._gate_link(request, view_kwargs)
        if match.view_name not in GATED_VIEWS + ANSWER_VIEWS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_member:
            return None
        # The session's group with it, in one query.
        session = Session.objects.filter(pk=view_kwargs.get("pk")).select_related("group").first()
        if session is None or needs_acceptance(user, session.group_id, session.group) is None:
            return None
        if match.view_name in ANSWER_VIEWS:
            # Back to the page the buttons were on (the answer URL itself only takes POSTs).
            return _answer_not_recorded(
                request, session, safe_next_path(request, request.POST.get("next"))
            )
        return _to_agreement(session.group_id, request.get_full_path())

    def _gate_link(self, request, view_kwargs):
        try:
            found = rsvp_link_load(view_kwargs.get("token", ""))
        except BadRSVPLink:
            return None  # the view says what is wrong with the link
        session = found.session
        if needs_acceptance(found.member, session.group_id, session.group) is None:
            return None
        # Not back to the link: its token would travel on in addresses; the session page has
        # the same buttons.
        return _answer_not_recorded(request, session, None)
