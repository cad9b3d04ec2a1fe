from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.offsets import describe_offsets
from core.views import call_service
from notifications import api, selectors, services
from notifications.forms import PreferenceForm
from notifications.inbox import inbox_items
from notifications.rendering import user_from_unsubscribe_token
from sessions.permissions import get_session_to_facilitate

INBOX_PAGE_SIZE = 20


@login_required
def inbox(request):
    """Each item rendered now, in the reader's language, zone and own group names."""
    rows = selectors.inbox_for(request.user).select_related("session__group")
    page = Paginator(rows.prefetch_related("about"), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = inbox_items(request.user, page.object_list)
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_read(request):
    services.inbox_mark_read(user=request.user)
    messages.success(request, _("All caught up."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    preference = selectors.preference_for(request.user)
    initial = {
        "channels": preference.channels,
        "reminders_on": preference.reminders_on,
        "reminder_offsets": describe_offsets(preference.reminder_offsets),
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _preference = call_service(
            form, services.preference_update, user=request.user, **form.cleaned_data
        )
        if saved:
            api.member_reminders_changed(request.user.pk)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    usual = [describe_offsets(o) for o in selectors.usual_reminder_offsets(request.user)]
    return render(request, "notifications/preferences.html", {"form": form, "usual": usual})


@csrf_exempt  # the signed link is the credential; mail apps POST here (RFC 8058)
def email_preferences(request, token):
    """The link in every email: stop email in one click, without signing in."""
    person = user_from_unsubscribe_token(token)
    if person is None:
        raise Http404("No such link")
    done = False
    if request.method == "POST":
        services.preference_email_off(user=person)
        done = True
    return render(request, "notifications/email_preferences.html", {"done": done})


@login_required
def session_status(request, session_id):
    session = get_session_to_facilitate(request.user, session_id)
    context = {
        "session": session,
        "people": selectors.session_people(session),
        "summary": selectors.session_delivery_summary(session),
        "deliveries": selectors.session_deliveries(session),
    }
    return render(request, "notifications/session_status.html", context)
