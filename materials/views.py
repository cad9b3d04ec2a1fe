"""Thin views: fetch through materials.permissions (404 for outsiders), call a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from audit import api as audit
from core.views import call_service, confirm_first, redirect_back
from groups.models import GroupKind
from groups.permissions import get_group_to_facilitate
from materials import permissions, selectors, services
from materials.filetypes import EXTENSIONS, INLINE_TYPES, TEXT
from materials.forms import AudienceForm, ContentInputForm, MaterialEditForm, MaterialForm
from materials.models import ContentForm
from materials.rendering import render_markdown
from materials.storage import local_path
from materials.uploads import limit_upload_size


def _when(session) -> str:
    when = date_format(timezone.localtime(session.starts_at), "l j F, P")
    return _("%(when)s (your time)") % {"when": when}


def _audience_choices(user, group=None) -> list[tuple[str, str]]:
    """Whole groups, single upcoming sessions, and for staff every group of one kind."""
    if group is not None:
        choices = [(f"group:{group.pk}", _("Everyone in this group"))]
        sessions = permissions.sessions_to_assign(user, group)
        choices += [
            (f"session:{s.pk}", _("Read before %(when)s") % {"when": _when(s)})
            for s in sessions[:20]
        ]
        return choices
    choices = [(f"group:{g.pk}", g.name) for g in selectors.groups_to_manage(user)]
    sessions = permissions.sessions_to_assign(user)[:50]
    choices += [
        (
            f"session:{s.pk}",
            _("%(group)s: read before %(when)s") % {"group": s.group.name, "when": _when(s)},
        )
        for s in sessions
    ]
    if permissions.can_manage_library(user):
        choices += [
            (f"kind:{kind}", _("Every %(kind)s") % {"kind": str(label).lower()})
            for kind, label in GroupKind.choices
        ]
    return choices


def _audience(user, value: str) -> dict:
    # A choice offered on the page that is no longer open (the session has started, say).
    try:
        return permissions.get_audience_for_user(user, value)
    except Http404:
        raise ValidationError({"audience": _("That choice is no longer available.")}) from None


def _with_audience(service, user, audience: str, /, **kwargs):
    """Call `service` with the model fields of the audience the person chose."""
    return service(**kwargs, **_audience(user, audience))


def _visible_from(form):
    day = form.cleaned_data.get("visible_from")
    if day is None or day <= timezone.localdate():
        return None
    return services.start_of_local_day(day)


def _file_response(source, number: int):
    """Send a stored file under a neutral name, or hand it to the web server if configured."""
    if source.form != ContentForm.FILE or not source.file.name:
        raise Http404("No file")
    filename = f"reading-{number}.{EXTENSIONS.get(source.file_type, 'bin')}"
    as_attachment = source.file_type not in INLINE_TYPES
    content_type = f"{TEXT}; charset=utf-8" if source.file_type == TEXT else source.file_type
    storage, name = source.file.storage, source.file.name
    offload = getattr(settings, "MATERIAL_DOWNLOAD_OFFLOAD", "")
    path = local_path(storage, name)
    response: HttpResponse | FileResponse
    if offload and path:
        response = HttpResponse(content_type=content_type)
        if offload == "x-sendfile":
            response["X-Sendfile"] = path
        else:
            prefix = getattr(settings, "MATERIAL_X_ACCEL_PREFIX", "/private-reading/")
            response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{name}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    else:
        try:
            handle = storage.open(name, "rb")
        except OSError:
            raise Http404("No file") from None
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reading_list(request):
    user = request.user
    return render(
        request,
        "materials/reading_list.html",
        {
            "items": selectors.reading_list(user),
            "groups": selectors.groups_to_manage(user),
            "can_use_library": permissions.can_use_library(user),
        },
    )


@login_required
def material_detail(request, pk):
    material = permissions.get_material_for_user(request.user, pk)
    in_audience = permissions.is_in_audience(request.user, material)
    source = material.source
    readers = None
    if request.user.is_clinic_staff or request.user.is_facilitator:
        readers = selectors.material_readers(material, request.user)
    return render(
        request,
        "materials/detail.html",
        {
            "material": material,
            "source": source,
            "body_html": render_markdown(source.body) if source.form == ContentForm.TEXT else "",
            "in_audience": in_audience,
            # Opening is not reading: the member says when they have read it.
            "is_read": in_audience and selectors.has_read(material, request.user),
            "readers": readers,
            "can_manage": permissions.can_manage(request.user, material),
        },
    )


@login_required
@require_POST
def material_mark_read(request, pk):
    material = permissions.get_material_for_user(request.user, pk)
    if permissions.is_in_audience(request.user, material):
        services.reading_record(material=material, member=request.user)
        messages.success(request, _("Marked as read."))
    return redirect_back(request, reverse("materials:list"))


@login_required
@require_POST
def material_mark_unread(request, pk):
    material = permissions.get_material_for_user(request.user, pk)
    if permissions.is_in_audience(request.user, material):
        services.reading_unmark(material=material, member=request.user)
        messages.success(request, _("Marked as not read yet."))
    return redirect_back(request, reverse("materials:list"))


# No login redirect on file URLs: anyone without access, signed in or not, gets 404.
def material_download(request, pk):
    material = permissions.get_material_for_user(request.user, pk)
    response = _file_response(material.source, material.pk)
    audit.record("material.download", target="materials.material", target_id=material.pk)
    return response


@login_required
def group_materials(request, group_pk):
    group = get_group_to_facilitate(request.user, group_pk)
    return render(
        request,
        "materials/group.html",
        {"group": group, "items": selectors.group_materials(group)},
    )


# The size limit must be installed before the CSRF check reads the body, hence the
# exempt-then-protect pair Django documents for custom upload handlers.
@csrf_exempt
@login_required
def material_create(request, group_pk):
    return _material_create(request, group_pk, limit_upload_size(request))


@csrf_protect
def _material_create(request, group_pk, upload_limit):
    group = get_group_to_facilitate(request.user, group_pk)
    form = MaterialForm(
        request.POST or None,
        request.FILES or None,
        audience_choices=_audience_choices(request.user, group),
    )
    if upload_limit.too_large:
        form.add_error("file", services.file_too_large_message())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _saved = call_service(
            form,
            _with_audience,
            services.material_create,
            request.user,
            data["audience"],
            actor=request.user,
            title=data["title"],
            description=data["description"],
            form=data["form"],
            file=data["file"],
            url=data["url"],
            body=data["body"],
            visible_from=_visible_from(form),
        )
        if ok:
            messages.success(request, _("Shared with the group."))
            return redirect("materials:group", group_pk=group.pk)
    return render(request, "materials/material_form.html", {"group": group, "form": form})


# As for creating: the upload limit goes in before the CSRF check reads the body.
@csrf_exempt
@login_required
def material_edit(request, pk):
    return _material_edit(request, pk, limit_upload_size(request))


@csrf_protect
def _material_edit(request, pk, upload_limit):
    material = permissions.get_material_to_manage(request.user, pk)
    source = material.source
    initial = {
        "title": material.title,
        "description": material.description,
        "url": source.url,
        "body": source.body,
    }
    form = MaterialEditForm(
        request.POST or None, request.FILES or None, material=material, initial=initial
    )
    if upload_limit.too_large:
        form.add_error("file", services.file_too_large_message())
    if request.method == "POST" and form.is_valid():
        ok, _saved = call_service(
            form,
            services.material_update,
            actor=request.user,
            material=material,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Saved."))
            return redirect("materials:detail", pk=material.pk)
    return render(request, "materials/material_edit.html", {"material": material, "form": form})


@login_required
@require_POST
def material_delete(request, pk):
    material = permissions.get_material_to_manage(request.user, pk)
    group_pk = material.group_id
    back = (
        reverse("materials:group", kwargs={"group_pk": group_pk})
        if group_pk
        else reverse("materials:library")
    )
    confirmation = confirm_first(
        request,
        title=_("Remove “%(title)s”?") % {"title": material.title},
        consequences=[
            _("Members no longer see it in their reading."),
        ],
        confirm_label=_("Yes, remove it"),
        back_url=back,
        back_label=pgettext("reading material", "Keep it"),
    )
    if confirmation:
        return confirmation
    services.material_delete(actor=request.user, material=material)
    messages.success(request, _("Removed."))
    if group_pk:
        return redirect("materials:group", group_pk=group_pk)
    return redirect("materials:library")


@login_required
def library(request):
    permissions.require_library(request.user)
    return render(
        request,
        "materials/library.html",
        {
            "items": selectors.library_items(),
            "can_manage": permissions.can_manage_library(request.user),
        },
    )


@csrf_exempt
@login_required
def library_create(request):
    return _library_create(request, limit_upload_size(request))


@csrf_protect
def _library_create(request, upload_limit):
    permissions.require_library_manager(request.user)
    form = ContentInputForm(request.POST or None, request.FILES or None)
    if upload_limit.too_large:
        form.add_error("file", services.file_too_large_message())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, item = call_service(
            form,
            services.library_item_create,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            form=data["form"],
            file=data["file"],
            url=data["url"],
            body=data["body"],
        )
        if ok:
            messages.success(request, _("Added to the library."))
            return redirect("materials:library_detail", pk=item.pk)
    return render(request, "materials/library_form.html", {"form": form})


def _library_detail(request, item, form, status=200):
    return render(
        request,
        "materials/library_detail.html",
        {
            "item": item,
            "form": form,
            "body_html": render_markdown(item.body) if item.form == ContentForm.TEXT else "",
            "can_manage": permissions.can_manage_library(request.user),
        },
        status=status,
    )


@login_required
def library_detail(request, pk):
    item = permissions.get_library_item_for_user(request.user, pk)
    form = AudienceForm(audience_choices=_audience_choices(request.user))
    return _library_detail(request, item, form)


def library_download(request, pk):
    item = permissions.get_library_item_for_user(request.user, pk)
    response = _file_response(item, item.pk)
    audit.record("material.download", target="materials.libraryitem", target_id=item.pk)
    return response


@login_required
@require_POST
def library_assign(request, pk):
    item = permissions.get_library_item_for_user(request.user, pk)
    form = AudienceForm(request.POST, audience_choices=_audience_choices(request.user))
    if form.is_valid():
        ok, _saved = call_service(
            form,
            _with_audience,
            services.library_item_assign,
            request.user,
            form.cleaned_data["audience"],
            actor=request.user,
            item=item,
            visible_from=_visible_from(form),
        )
        if ok:
            messages.success(request, _("Shared. Members will find it in their reading list."))
            return redirect("materials:library_detail", pk=item.pk)
    return _library_detail(request, item, form)


@login_required
@require_POST
def library_delete(request, pk):
    item = permissions.get_library_item_to_manage(request.user, pk)
    confirmation = confirm_first(
        request,
        title=_("Remove “%(title)s” from the library?") % {"title": item.title},
        consequences=[_("It is also removed from every group it was shared with.")],
        confirm_label=_("Yes, remove it everywhere"),
        back_url=reverse("materials:library"),
        back_label=pgettext("reading material", "Keep it"),
    )
    if confirmation:
        return confirmation
    services.library_item_delete(actor=request.user, item=item)
    messages.success(
        request, _("Removed from the library and from every group it was shared with.")
    )
    return redirect("materials:library")
