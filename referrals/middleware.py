"""The agreement gate: a member opening a session page of a group whose agreement they have
not accepted (or whose text changed materially since) is sent to read and accept it first.

It lives here, not in sessions, because sessions sits below referrals and cannot ask it;
sessions' views stay unaware. Only members of the session's group are sent on: anyone else
reaches the session view and meets its own 404, so the gate reveals nothing.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from referrals.agreements import needs_acceptance
from sessions.models import Session

GATED_VIEWS = ("scheduling:detail",)


class AgreementGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in GATED_VIEWS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_member:
            return None
        # The session's group with it, in one query.
        session = Session.objects.filter(pk=view_kwargs.get("pk")).select_related("group").first()
        if session is None or needs_acceptance(user, session.group_id, session.group) is None:
            return None
        url = reverse("referrals:agreement", kwargs={"group_pk": session.group_id})
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
