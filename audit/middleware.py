"""Keeps the current request where audit.api.record finds it, and records refused look-ups.

Placed after AuthenticationMiddleware. It reads nothing itself: request.user stays lazy until a
row is recorded, so pages that record nothing run no extra query.
"""

from django.http import Http404

from audit import api
from core.lookups import NotVisible


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = api.bind_request(request)
        try:
            return self.get_response(request)
        finally:
            api.unbind_request(token)

    def process_exception(self, request, exception):
        """A view's 404 is a wall refusing someone: record it, then let Django answer the 404.

        core.lookups.NotVisible names the kind of record and the pk asked for; any other 404
        a view raises (a permission check) is recorded with the page's URL name.
        """
        if not isinstance(exception, Http404):
            return
        match = getattr(request, "resolver_match", None)
        detail = {"view": api.safe_code(match.view_name)} if match else {}
        if isinstance(exception, NotVisible):
            api.record(
                "access.denied",
                target=exception.model_label,
                target_id=api.safe_id(exception.pk),
                outcome="denied",
                detail=detail,
            )
        else:
            api.record("access.denied", outcome="denied", detail=detail)
