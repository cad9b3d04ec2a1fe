"""Thin views: fetch through referrals.permissions or groups.permissions (404 for outsiders),
call a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import api as audit
from core.lookups import get_object_for_user_or_404
from core.views import call_service, call_service_or_flash, safe_next_path
from groups.models import GroupKind
from groups.permissions import (
    get_group_for_user,
    get_group_to_facilitate,
    require_facilitating_role,
)
from referrals import agreements, selectors, services, waiting
from referrals.abuse import filled_too_fast, over_limit, started_token
from referrals.forms import (
    QUESTION_LABELS,
    AcceptOfferForm,
    AgreementAcceptForm,
    AgreementPublishForm,
    ChoosePasswordForm,
    IntakeFromRequestForm,
    PlaceOnListForm,
    ReferralUpdateForm,
    RequestForm,
)
from referrals.links import offer_from_token
from referrals.models import AgreementVersion, Referral, WaitingListEntry
from referrals.permissions import get_own_acceptance, get_referral_for_user, require_staff

# --- the public request form ---------------------------------------------------------------


def request_form(request):
    """Anyone, no account. The answer page and email say only that the message arrived."""
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            # A bot fills the hidden field or answers faster than a person types: it sees the
            # same thanks page and nothing is kept.
            if data["website"] or filled_too_fast(data["started"]):
                return render(request, "referrals/request_sent.html")
            addresses = [data["email"], data["phone"]]
            if over_limit(audit.client_ip(request), [a for a in addresses if a]):
                form.add_error(
                    None,
                    _(
                        "Too many messages have been sent from here just now. Please try "
                        "again in an hour, or call us."
                    ),
                )
            else:
                fields = {k: v for k, v in data.items() if k not in ("website", "started")}
                # Their replies, and the account made later, use the language they wrote in.
                fields["language"] = translation.get_language() or ""
                ok, _result = call_service(form, services.referral_submit, **fields)
                if ok:
                    return render(request, "referrals/request_sent.html")
        data = request.POST.copy()  # a fresh start time for the next try
        data["started"] = started_token()
        form.data = data
    else:
        form = RequestForm(initial={"started": started_token()})
    return render(request, "referrals/request_form.html", {"form": form})


# --- the queue (staff and facilitators) ------------------------------------------------------


QUEUE_PAGE_SIZE = 50


@login_required
def queue(request):
    require_facilitating_role(request.user)
    show = "all" if request.GET.get("show") == "all" else "open"
    # A clinic's requests over the years run to thousands (each name decrypted to show it).
    page = Paginator(selectors.queue_for(request.user, show=show), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/queue.html",
        {"referrals": page.object_list, "page": page, "show": show},
    )


def _language_filter(request, referral: Referral) -> str:
    """The language the suggested groups meet in: as chosen on the page ("" : any), else the
    one the request was written in."""
    chosen = request.GET.get("language", referral.language)
    return chosen if chosen in dict(settings.LANGUAGES) else ""


def _detail_context(request, referral: Referral, **forms) -> dict:
    groups = services.groups_to_match(request.user)
    language = _language_filter(request, referral)
    return {
        "referral": referral,
        "events": referral.events.select_related("actor"),
        # Each answer under the question as the person was asked it.
        "answers": [
            (label, getattr(referral, name))
            for name, label in QUESTION_LABELS.items()
            if getattr(referral, name)
        ],
        "suggestions": selectors.suggested_groups(referral, request.user, language=language),
        "language_filter": language,
        "languages": settings.LANGUAGES,
        "recommended_kind": selectors.recommended_kind(referral),
        "update_form": forms.get("update_form")
        or ReferralUpdateForm(
            groups=groups,
            initial={
                "status": referral.status,
                "group": referral.group,
                "notes": referral.notes,
                "format": referral.format,
                "time_zone": referral.time_zone,
            },
        ),
        "intake_form": forms.get("intake_form")
        or IntakeFromRequestForm(initial={"recommended_kind": referral.suggested_kind}),
        "place_form": forms.get("place_form")
        or PlaceOnListForm(groups=groups, initial={"group": referral.group}),
    }


def _audit_read(referral: Referral) -> None:
    audit.record(
        "referral.read",
        subject=referral.member_id,
        target="referrals.referral",
        target_id=referral.pk,
    )


@login_required
def detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    _audit_read(referral)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


@login_required
@require_POST
def take(request, pk):
    referral = get_referral_for_user(request.user, pk)
    ok, _result = call_service_or_flash(
        request, services.referral_take, referral=referral, actor=request.user
    )
    if ok:
        messages.success(request, _("You have taken this request."))
    return redirect("referrals:detail", pk=referral.pk)


@login_required
@require_POST
def update(request, pk):
    referral = get_referral_for_user(request.user, pk)
    form = ReferralUpdateForm(request.POST, groups=services.groups_to_match(request.user))
    if form.is_valid():
        ok, _result = call_service(
            form,
            services.referral_update,
            referral=referral,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Saved."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request, "referrals/detail.html", _detail_context(request, referral, update_form=form)
    )


@login_required
@require_POST
def record_intake(request, pk):
    referral = get_referral_for_user(request.user, pk)
    form = IntakeFromRequestForm(request.POST)
    if form.is_valid():
        ok, _result = call_service(
            form,
            services.referral_record_intake,
            referral=referral,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Screening recorded."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request, "referrals/detail.html", _detail_context(request, referral, intake_form=form)
    )


@login_required
@require_POST
def place(request, pk):
    referral = get_referral_for_user(request.user, pk)
    form = PlaceOnListForm(request.POST, groups=services.groups_to_match(request.user))
    if form.is_valid():
        if referral.member is None:
            form.add_error(None, _("Record the screening first: it makes the person's account."))
        else:
            ok, _result = call_service(
                form,
                waiting.waiting_list_add,
                group=form.cleaned_data["group"],
                member=referral.member,
                actor=request.user,
                referral=referral,
            )
            if ok:
                messages.success(request, _("Added to the waiting list."))
                return redirect("referrals:waiting_list", group_pk=form.cleaned_data["group"].pk)
    return render(
        request, "referrals/detail.html", _detail_context(request, referral, place_form=form)
    )


# --- waiting lists -----------------------------------------------------------------------------


@login_required
def waiting_list(request, group_pk):
    group = get_group_to_facilitate(request.user, group_pk)
    current, past = selectors.waiting_list(group)
    audit.record("waitlist.read", target="groups.group", target_id=group.pk)
    return render(
        request,
        "referrals/waiting_list.html",
        {"group": group, "current": current, "past": past, "free": waiting.free_seats(group)},
    )


@login_required
@require_POST
def waiting_remove(request, group_pk, pk):
    group = get_group_to_facilitate(request.user, group_pk)
    entry = get_object_for_user_or_404(WaitingListEntry.objects.filter(group=group), pk)
    ok, _result = call_service_or_flash(
        request, waiting.waiting_list_remove, entry=entry, actor=request.user
    )
    if ok:
        messages.success(request, _("Taken off the list."))
    return redirect("referrals:waiting_list", group_pk=group.pk)


# --- the seat offer link (no sign-in needed: the signed link is the key) ---------------------


def offer(request, token):
    found = offer_from_token(token)
    if found is None or not found.is_open:
        return render(request, "referrals/offer_closed.html", status=410 if found else 404)
    member = found.entry.member
    needs_password = not member.has_usable_password()
    form = AcceptOfferForm(request.POST or None)
    password_form = ChoosePasswordForm(member, request.POST or None) if needs_password else None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["choice"] == "decline":
            call_service_or_flash(request, waiting.offer_decline, offer_id=found.pk)
            return render(request, "referrals/offer_declined.html")
        if password_form is None or password_form.is_valid():
            ok, _result = call_service(form, waiting.offer_accept, offer_id=found.pk)
            if ok:
                return _after_accept(request, member, password_form)
    return render(
        request,
        "referrals/offer.html",
        {"offer": found, "form": form, "password_form": password_form},
    )


def _after_accept(request, member, password_form):
    """Enrolled: someone who just chose a password is signed in and sees their next session;
    anyone else signs in (or is already) and lands there."""
    if password_form is not None:
        member = password_form.save()
        services.address_confirmed_by_link(member)
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome. Your place is confirmed."))
    target = reverse("scheduling:upcoming")
    if request.user.is_authenticated and request.user.pk == member.pk:
        return redirect(target)
    return redirect(f"{reverse('account_login')}?next={target}")


# --- the group agreement ---------------------------------------------------------------------


@login_required
def agreement(request, group_pk):
    """A member reads and accepts their group's agreement (the gate sends them here)."""
    group = get_group_for_user(request.user, group_pk)
    version = agreements.current_version(group)
    if version is None:
        raise Http404("No agreement")
    accepted = agreements.has_accepted(request.user, group)
    form = AgreementAcceptForm(request.POST or None)
    next_path = safe_next_path(request, request.GET.get("next") or request.POST.get("next"))
    if request.method == "POST" and form.is_valid():
        ok, acceptance = call_service(
            form,
            agreements.agreement_accept,
            member=request.user,
            group=group,
            typed_name=form.cleaned_data["typed_name"],
        )
        if ok:
            messages.success(request, _("Thank you. You can print what you signed any time."))
            return redirect(
                next_path or reverse("referrals:acceptance", kwargs={"pk": acceptance.pk})
            )
    return render(
        request,
        "referrals/agreement.html",
        {
            "group": group,
            "version": version,
            "accepted": accepted,
            "form": form,
            "next": next_path or "",
            "mine": request.user.agreement_acceptances.filter(group=group).select_related(
                "version"
            ),
        },
    )


@login_required
def acceptance(request, pk):
    """What a member signed: printable."""
    row = get_own_acceptance(request.user, pk)
    audit.record(
        "agreement.read",
        subject=row.member_id,
        target="referrals.agreementacceptance",
        target_id=row.pk,
    )
    return render(request, "referrals/acceptance.html", {"acceptance": row})


@login_required
def agreement_manage(request, group_pk):
    """Facilitators: the versions, who accepted which, and publishing a new one."""
    group = get_group_to_facilitate(request.user, group_pk)
    current = agreements.current_version(group)
    form = AgreementPublishForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form, agreements.agreement_publish, group=group, actor=request.user, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("The new version is published."))
            return redirect("referrals:agreement_manage", group_pk=group.pk)
    audit.record("agreement.read", target="groups.group", target_id=group.pk)
    return render(
        request,
        "referrals/agreement_manage.html",
        {
            "group": group,
            "current": current,
            "required": agreements.required_version(group),
            "versions": _earlier(AgreementVersion.objects.filter(group=group), current),
            "board": agreements.acceptance_board(group),
            "form": form,
        },
    )


def _earlier(versions, current):
    """The versions before the one shown (the page shows that one in full above)."""
    return versions.exclude(pk=current.pk) if current else versions


# The clinic's agreement ("clinic") and each kind's, for groups without their own text.
CLINIC_SCOPE = "clinic"


@login_required
def agreement_scope(request, scope):
    """Staff: the clinic's agreement, or the one every group of a kind uses."""
    require_staff(request.user)
    if scope != CLINIC_SCOPE and scope not in GroupKind.values:
        raise Http404("No such agreement")
    kind = "" if scope == CLINIC_SCOPE else scope
    versions = agreements.scope_versions(kind)
    current = versions.first()
    form = AgreementPublishForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form,
            agreements.agreement_publish_for_scope,
            kind=kind,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("The new version is published."))
            return redirect("referrals:agreement_scope", scope=scope)
    return render(
        request,
        "referrals/agreement_scope.html",
        {
            "scope": scope,
            "scopes": [(CLINIC_SCOPE, _("The clinic")), *GroupKind.choices],
            "kind_label": dict(GroupKind.choices).get(kind, ""),
            "current": current,
            "versions": _earlier(versions, current),
            "form": form,
        },
    )
