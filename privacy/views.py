"""Thin views: a member's own record, export and erasure request; staff's queue of requests
and their download of a member's export. Outsiders get 404 through privacy.permissions."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from core.dates import today_in
from core.views import call_service
from groups.labels import names_for
from members.selectors_privacy import consents_given_by, intake_shares_given_by
from privacy import permissions, selectors, services
from privacy.export import export_filename, member_export_zip
from privacy.forms import ErasureDecisionForm, ErasureRequestForm


@login_required
def record(request):
    """'Your record': who opened or changed it, whom you share with, and your data."""
    user = request.user
    permissions.require_member(user)
    consents = list(consents_given_by(user))
    sharing = [c for c in consents if c.revoked_at is None]
    intake_shares = [s for s in intake_shares_given_by(user) if s.revoked_at is None]
    context = {
        "disclosures": selectors.disclosures_for_member(user, consents=consents),
        "days": selectors.DISCLOSURE_DAYS,
        "sharing": sharing,
        "intake_shares": intake_shares,
        # The names the member gave these groups, one query.
        "own_names": names_for(user, [row.group for row in (*sharing, *intake_shares)]),
        "requests": selectors.erasure_requests_of(user)[:5],
        "open_request": selectors.open_erasure_request(user),
    }
    return render(request, "privacy/record.html", context)


def _zip_response(member, *, viewer_zone: str) -> FileResponse:
    now = timezone.now()
    payload = member_export_zip(member, now=now)
    response = FileResponse(
        io.BytesIO(payload),
        as_attachment=True,
        filename=export_filename(today_in(viewer_zone, now)),
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def export(request):
    """The member downloads everything Circle holds about them."""
    permissions.require_member(request.user)
    audit.record(
        "privacy.export", subject=request.user, target="members.user", target_id=request.user.pk
    )
    return _zip_response(request.user, viewer_zone=request.user.time_zone)


@login_required
def erasure_new(request):
    """Explains what erasure does, then takes the request (with an optional reason)."""
    user = request.user
    permissions.require_member(user)
    open_request = selectors.open_erasure_request(user)
    if open_request is not None:
        return redirect("privacy:erasure", pk=open_request.pk)
    form = ErasureRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, erasure = call_service(
                form,
                services.erasure_request_create,
                member=user,
                reason=form.cleaned_data["reason"],
            )
            if ok:
                messages.success(request, _("We have your request. Clinic staff will answer it."))
                return redirect("privacy:erasure", pk=erasure.pk)
        status = 400
    return render(request, "privacy/erasure_new.html", {"form": form}, status=status)


@login_required
def erasure(request, pk):
    """One of the member's own requests and its outcome."""
    erasure_request = permissions.get_own_request(request.user, pk)
    return render(request, "privacy/erasure.html", {"erasure": erasure_request})


# --- staff -----------------------------------------------------------------------------------


@login_required
def queue(request):
    permissions.require_staff(request.user)
    return render(request, "privacy/queue.html", {"requests": selectors.erasure_queue()[:200]})


@login_required
def review(request, pk):
    """Staff read one request and approve (erasing at once) or refuse it with a reason."""
    erasure_request = permissions.get_request_for_staff(request.user, pk)
    form = ErasureDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, decided = call_service(
                form,
                services.erasure_request_decide,
                request=erasure_request,
                actor=request.user,
                approve=form.approved,
                reason=form.cleaned_data["reason"],
            )
            if ok:
                text = (
                    _("Erased.") if decided.status == "done" else _("Refused; the member is told.")
                )
                messages.success(request, text)
                return redirect("privacy:queue")
        status = 400
    return render(
        request, "privacy/review.html", {"erasure": erasure_request, "form": form}, status=status
    )


@login_required
def member_export(request, member_pk):
    """Staff download a member's export for them (recorded: someone else read their data)."""
    member = permissions.get_member_for_staff(request.user, member_pk)
    audit.record("privacy.export", subject=member, target="members.user", target_id=member.pk)
    return _zip_response(member, viewer_zone=request.user.time_zone)
