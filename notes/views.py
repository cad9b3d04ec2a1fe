"""Thin views: fetch through notes.permissions (404 for outsiders), then one service call.

Writing a note is one page per note (the group note, or one member's progress note), keyed by
session and member so that nothing is created on GET: the first save starts the draft. The
same POST saves the text and, with action=sign, then signs; a wrong password leaves the text
saved and the page as it was. notes.js autosaves (JSON) and keeps a copy in the browser.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from attendance.models import ATTENDED_MARKS, Attendance
from attendance.permissions import get_member_on_roll
from audit import api as audit
from core.dates import clock, today_in
from core.views import call_service, flash_error
from groups.labels import name_for, names_for
from groups.permissions import get_group_to_facilitate
from notes import permissions, selectors, services
from notes.formats import format_text
from notes.forms import AddendumForm, DateRangeForm, SearchForm, SecretForm, SupervisionForm
from notes.models import Note, NoteKind, TemplateUse
from notes.pdf import notes_pdf, records_filename
from notes.supervision import supervision_end, supervision_rows, supervision_set
from sessions.permissions import get_session_to_facilitate


@login_required
def index(request):
    permissions.require_notes_list(request.user)
    user = request.user
    if not (user.is_clinic_staff or user.is_facilitator):
        audit.record("notes.read", subject=user, detail={"op": "own_list"})
        notes = selectors.own_notes(user)
        # One query: the names the member gave their groups, shown instead of the real ones.
        own_names = names_for(user, {note.session.group for note in notes})
        return render(request, "notes/own.html", {"notes": notes, "own_names": own_names})
    form = SearchForm(request.GET or None)
    hits = None
    if form.is_valid() and form.cleaned_data["q"]:
        hits = selectors.search(user, form.cleaned_data["q"])
        audit.record("notes.search", detail={"results": len(hits)})
    return render(
        request,
        "notes/index.html",
        {
            "todos": selectors.todo_for(user),
            "cosign": selectors.awaiting_my_cosign(user),
            "form": form,
            "hits": hits,
            "todo_days": selectors.TODO_DAYS,
        },
    )


@login_required
def session(request, session_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    overview = selectors.session_notes(session)
    audit.record("notes.read", target="scheduling.session", target_id=session.pk)
    return render(request, "notes/session.html", {"session": session, "overview": overview})


# --- writing -------------------------------------------------------------------------------


def _posted_sections(request, sections) -> tuple[dict, dict]:
    values, base = {}, {}
    for section in sections:
        key = section["key"]
        if f"s_{key}" in request.POST:
            values[key] = request.POST[f"s_{key}"]
            base[key] = request.POST.get(f"b_{key}") or None
    return values, base


def _is_autosave(request) -> bool:
    return request.POST.get("action") == "autosave"


def _autosave_answer(note: Note | None, result=None, error: str = "", status: int = 200):
    payload: dict = {"ok": not error, "error": error}
    if note is not None:
        payload.update(
            saved_at=clock(timezone.localtime(note.updated_at)),
            values=note.values(),
            digests=services.digests(note),
            signed=note.is_signed,
            merged=result.merged if result else [],
        )
    return JsonResponse(payload, status=status)


def _write(request, *, session, member, use: str):
    user = request.user
    existing = Note.objects.filter(session=session)
    existing = existing.filter(member=member) if member else existing.filter(kind=NoteKind.GROUP)
    note = existing.select_related("template").first()
    chosen = request.POST.get("format") or request.GET.get("format")
    try:
        template = note.template if note else services.template_for(use, chosen)
    except ValidationError:
        template = services.default_template(use)
    sections = note.sections if note else template.fields
    secret_form = SecretForm(request.POST if request.POST.get("action") == "sign" else None)
    posted: dict = {}

    if request.method == "POST":
        values, base = _posted_sections(request, sections)
        posted = values
        try:
            if note is None:
                if member is None:
                    note = services.group_note_start(
                        session=session, actor=user, template_key=template.key
                    )
                else:
                    note = services.progress_note_start(
                        session=session, member=member, actor=user, template_key=template.key
                    )
            result = services.note_save(note=note, values=values, base=base, actor=user)
        except ValidationError as error:
            if _is_autosave(request):
                return _autosave_answer(note, error=" ".join(error.messages), status=409)
            flash_error(request, error)
            if note is not None and note.is_signed:
                return redirect("notes:note", note.pk)
        else:
            note = result.note
            if _is_autosave(request):
                return _autosave_answer(note, result)
            if result.merged:
                messages.warning(
                    request,
                    _(
                        "Someone else changed %(parts)s at the same time: both texts are kept. "
                        "Tidy them before signing."
                    )
                    % {"parts": ", ".join(result.merged)},
                )
            if request.POST.get("action") == "sign" and secret_form.is_valid():
                ok, _signed = call_service(
                    secret_form,
                    services.note_sign,
                    note=note,
                    actor=user,
                    secret=secret_form.cleaned_data["secret"],
                )
                if ok:
                    messages.success(
                        request, _("Signed. The note is locked; add an addendum if needed.")
                    )
                    return redirect("notes:session", session.pk)
                posted = {}  # saved: show what is stored now
            elif request.POST.get("action") != "sign":
                messages.success(request, _("Draft saved."))
                return redirect(request.path)
            else:
                posted = {}
    elif note is not None and note.is_signed:
        return redirect("notes:note", note.pk)

    if note is not None:
        note.refresh_from_db()
        values = note.values()
        audit.record("notes.read", subject=member, target="notes.note", target_id=note.pk)
    elif member is None:
        values = {"topic": session.topic} if session.topic else {}
    else:
        values = _progress_prefill(session, member, template)
    shown = {**values, **posted}
    return render(
        request,
        "notes/write.html",
        {
            "session": session,
            "member": member,
            "note": note,
            "template": template,
            "templates": selectors.progress_templates() if (member and note is None) else [],
            "sections": [
                {
                    **section,
                    "label": format_text(section["label"]),
                    "help": format_text(section.get("help", "")),
                    "value": shown.get(section["key"], ""),
                    "base": services.digest(values.get(section["key"], "")),
                }
                for section in sections
            ],
            "secret_form": secret_form,
            "is_missed": bool(member) and _mark(session, member) not in ATTENDED_MARKS,
        },
    )


def _mark(session, member) -> str:
    record = Attendance.objects.filter(session=session, member=member).first()
    return record.mark if record else ""


def _progress_prefill(session, member, template) -> dict:
    mark = _mark(session, member)
    if mark not in ATTENDED_MARKS:
        return {}
    group_note = Note.objects.filter(session=session, kind=NoteKind.GROUP).first()
    return services.progress_prefill(template, mark, group_note)


@login_required
def group_note(request, session_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    permissions.require_note_writer(request.user)
    return _write(request, session=session, member=None, use=TemplateUse.GROUP)


@login_required
def progress(request, session_pk, member_pk):
    session = get_session_to_facilitate(request.user, session_pk)
    permissions.require_note_writer(request.user)
    member = get_member_on_roll(session, member_pk)
    return _write(request, session=session, member=member, use=TemplateUse.PROGRESS)


# --- a signed note: read, addendum, co-signature -------------------------------------------


def _note_page(request, note, *, addendum_form=None, cosign_form=None, status=200):
    user = request.user
    writer = permissions.can_write(user, note)
    group = note.session.group
    return render(
        request,
        "notes/note.html",
        {
            "note": note,
            # A member reading their own note sees the name they gave the group.
            "group_name": name_for(user, group) if user.is_member else group.name,
            "addenda": list(note.addenda.select_related("signed_by")),
            "can_write": writer,
            "addendum_form": addendum_form or AddendumForm(),
            "can_cosign": note.awaits_cosign and permissions.can_cosign(user, note),
            "cosign_form": cosign_form or SecretForm(),
        },
        status=status,
    )


@login_required
def note(request, pk):
    note = permissions.get_note_for_user(request.user, pk)
    audit.record("notes.read", subject=note.member, target="notes.note", target_id=note.pk)
    return _note_page(request, note)


@login_required
@require_POST
def addendum(request, pk):
    note = permissions.get_note_to_write(request.user, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        ok, _added = call_service(
            form,
            services.addendum_add,
            note=note,
            text=form.cleaned_data["text"],
            actor=request.user,
            secret=form.cleaned_data["secret"],
        )
        if ok:
            messages.success(request, _("Addendum signed and added."))
            return redirect("notes:note", note.pk)
    return _note_page(request, note, addendum_form=form, status=400)


@login_required
@require_POST
def cosign(request, pk):
    note = permissions.get_note_to_write(request.user, pk)
    form = SecretForm(request.POST)
    if form.is_valid():
        ok, _signed = call_service(
            form,
            services.note_cosign,
            note=note,
            actor=request.user,
            secret=form.cleaned_data["secret"],
            allowed=permissions.can_cosign(request.user, note),
        )
        if ok:
            messages.success(request, _("Co-signed."))
            return redirect("notes:note", note.pk)
    return _note_page(request, note, cosign_form=form, status=400)


# --- a member's timeline and exports -------------------------------------------------------


@login_required
def timeline(request, member_pk):
    member, group_ids = permissions.get_member_of_my_groups(request.user, member_pk)
    data = selectors.timeline(request.user, member, group_ids)
    audit.record("notes.timeline", subject=member, target="members.user", target_id=member.pk)
    return render(request, "notes/timeline.html", {"member": member, "timeline": data})


def _pdf_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    name = records_filename(today_in(timezone.get_current_timezone_name()))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_member(request, member_pk):
    member, group_ids = permissions.get_member_of_my_groups(request.user, member_pk)
    notes = selectors.member_notes(member, group_ids)
    audit.record(
        "notes.export",
        subject=member,
        target="members.user",
        target_id=member.pk,
        detail={"notes": len(notes)},
    )
    content = notes_pdf(
        title=_("Notes for %(name)s") % {"name": member.display_name},
        subtitle=ngettext(
            "%(count)s note, made %(day)s.", "%(count)s notes, made %(day)s.", len(notes)
        )
        % {"count": len(notes), "day": formats.date_format(timezone.localdate(), "j F Y")},
        notes=notes,
        made_at=timezone.now(),
    )
    return _pdf_response(content)


@login_required
def export_group(request, group_pk):
    permissions.require_note_writer(request.user)
    group = get_group_to_facilitate(request.user, group_pk)
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("Choose a start and an end date.")]:
            messages.error(request, str(error))
        return redirect(reverse("notes:index"))
    first, last = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    notes = selectors.group_notes_between(group, first, last)
    audit.record(
        "notes.export",
        target="groups.group",
        target_id=group.pk,
        detail={"date_from": first.isoformat(), "date_to": last.isoformat(), "notes": len(notes)},
    )
    content = notes_pdf(
        title=_("Notes for %(name)s") % {"name": group.name},
        subtitle=_("Sessions from %(first)s to %(last)s (%(zone)s time).")
        % {
            "first": formats.date_format(first, "j F Y"),
            "last": formats.date_format(last, "j F Y"),
            "zone": group.time_zone.replace("_", " "),
        },
        notes=notes,
        made_at=timezone.now(),
    )
    return _pdf_response(content)


# --- who is supervised (staff) -------------------------------------------------------------


def _supervision_line(person, row, bound):
    if bound is not None and str(bound["facilitator"].value()) == str(person.pk):
        return person, row, bound
    initial = {
        "facilitator": person.pk,
        "supervised": row is not None,
        "supervisor": row.supervisor_id if row else None,
    }
    return person, row, SupervisionForm(initial=initial, auto_id=f"id_%s_{person.pk}")


@login_required
def supervision(request):
    """Staff mark facilitators as supervised and name their supervisor; a refused change
    shows on its line and changes nothing."""
    permissions.require_staff(request.user)
    bound = None
    if request.method == "POST":
        # The line's ids carry the facilitator's pk: digits only ("%" would break auto_id).
        posted = request.POST.get("facilitator", "")
        suffix = posted if posted.isascii() and posted.isdigit() else "x"
        bound = SupervisionForm(request.POST, auto_id=f"id_%s_{suffix}")
        if bound.is_valid():
            data = bound.cleaned_data
            person = data["facilitator"]
            if data["supervised"]:
                ok, _row = call_service(
                    bound,
                    supervision_set,
                    facilitator=person,
                    supervisor=data["supervisor"],
                    actor=request.user,
                )
                done = _("%(name)s is supervised: notes they sign need a co-signature.") % {
                    "name": person.display_name
                }
            else:
                ok, _row = call_service(
                    bound, supervision_end, facilitator=person, actor=request.user
                )
                done = _("%(name)s is not supervised.") % {"name": person.display_name}
            if ok:
                messages.success(request, done)
                return redirect("notes:supervision")
    lines = [_supervision_line(p, r, bound) for p, r in supervision_rows()]
    orphan = bound if bound is not None and not any(f is bound for _p, _r, f in lines) else None
    return render(
        request,
        "notes/supervision.html",
        {"lines": lines, "orphan": orphan},
        status=400 if bound is not None else 200,
    )
