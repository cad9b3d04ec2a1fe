"""Quick exit: a member leaves Circle at once for a page that names nothing.

As a plain link it works without JavaScript (GET redirects). With JavaScript
(static/js/quick-exit.js) the page is replaced, so Back does not return, and when the member
chose it the same click signs them out first (a POST sent as a beacon).
"""

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods


def quick_exit_url() -> str:
    return settings.QUICK_EXIT_URL or reverse("away")


@require_http_methods(["GET", "POST"])
def quick_exit(request):
    if request.method == "POST":
        if request.user.is_authenticated and getattr(request.user, "quick_exit_signs_out", False):
            logout(request)
        return HttpResponse(status=204)
    return HttpResponseRedirect(quick_exit_url())


def away(request):
    """Circle's own neutral page: no name, no links, nothing to see."""
    return render(request, "members/away.html")
