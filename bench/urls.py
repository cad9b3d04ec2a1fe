"""The app's own URLs plus two reference pages, served only by the bench's gunicorn.

They bound what any signed-in page can reach, beside the health check (the stack's limit):
a signed-in view that renders nothing costs the session and the person (two queries); the
layout alone adds every page's frame (navigation, the unread count). No page of Circle can
be cheaper than the second, so its ratio is the ceiling for theirs.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_required
def signed_in_nothing(request):
    return HttpResponse(f"{request.user.pk}", content_type="text/plain")


@login_required
def layout_only(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/signed-in", signed_in_nothing),
    path("bench/layout", layout_only),
    *app_urlpatterns,
]
