"""Writes for notes: start a draft, save it (merging co-facilitators' edits per section), sign,
co-sign and add signed addenda. A signed note is never changed here again.

Concurrency between co-facilitators is a per-section three-way merge: the page sends, with the
text, a digest of each section as it was when the page loaded (`base`). A section only one of
them changed takes that change; a section both changed keeps both texts, the later one below a
line naming its writer, so nobody's words are lost and the signer tidies before signing.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from attendance.models import ATTENDED_MARKS, Attendance, Mark
from audit import api as audit
from notes.formats import format_text
from notes.models import Addendum, Note, NoteKind, NoteTemplate, SupervisedFacilitator, TemplateUse

SECTION_MAX = 20_000
ADDENDUM_MAX = 10_000
TOTP_CODE = re.compile(r"^\d{6}$")
SECRET_TRIES = 5
SECRET_LOCKOUT_SECONDS = 15 * 60


def digest(text: str) -> str:
    """A short fingerprint of a section's text, sent with the page to detect others' edits."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


def digests(note: Note | None) -> dict[str, str]:
    values = note.values() if note else {}
    keys = [s["key"] for s in note.sections] if note else []
    return {key: digest(values.get(key, "")) for key in keys}


# --- templates -----------------------------------------------------------------------------


def default_template(use: str) -> NoteTemplate:
    templates = NoteTemplate.objects.filter(use=use, is_active=True)
    found = templates.filter(is_default=True).first() or templates.first()
    if found is None:
        raise ValidationError(_("No note format is set up yet. Ask clinic staff to add one."))
    return found


def template_for(use: str, key: str | None) -> NoteTemplate:
    if not key:
        return default_template(use)
    # PostgreSQL refuses a NUL byte in a text comparison (a 500); no format has one.
    templates = NoteTemplate.objects.filter(use=use, is_active=True)
    found = None if "\x00" in key else templates.filter(key=key).first()
    if found is None:
        raise ValidationError({"template": _("Choose one of the note formats offered.")})
    return found


# --- prefill -------------------------------------------------------------------------------


def _mark_of(session, member) -> str:
    record = Attendance.objects.filter(session=session, member=member).first()
    return record.mark if record else ""


def progress_prefill(template: NoteTemplate, mark: str, group_note: Note | None) -> dict:
    """The member's attendance and the group note's shared parts, in the section the
    template names (`shared_from_group`)."""
    shared = template.shared_from_group or {}
    keys = template.field_keys()
    into = shared.get("into") or (keys[0] if keys else None)
    if not into:
        return {}
    lines = []
    if mark:
        lines.append(_("Attendance: %(mark)s.") % {"mark": str(Mark(mark).label).lower()})
    if group_note is not None:
        labels = {s["key"]: format_text(s["label"]) for s in group_note.sections}
        values = group_note.values()
        for key in shared.get("from", []):
            if values.get(key):
                lines.append(
                    _("%(part)s: %(text)s") % {"part": labels.get(key, key), "text": values[key]}
                )
    return {into: "\n".join(lines)} if lines else {}


# --- start and save ------------------------------------------------------------------------


def _start(session, member, kind, template, actor, body) -> Note:
    now = timezone.now()
    try:
        with transaction.atomic():
            note = Note.objects.create(
                session=session,
                member=member,
                kind=kind,
                template=template,
                sections=list(template.fields),
                body=json.dumps(body),
                attendance_mark=_mark_of(session, member) if member else "",
                created_by=actor,
                created_at=now,
                updated_by=actor,
                updated_at=now,
            )
    except IntegrityError:
        # A co-facilitator started it a moment ago: use theirs.
        existing = Note.objects.filter(session=session, member=member, kind=kind).first()
        if existing is None:
            raise ValidationError(_("This note could not be started. Try again.")) from None
        return existing
    audit.record(
        "notes.change",
        subject=member,
        target="notes.note",
        target_id=note.pk,
        detail={"op": "start", "kind": kind, "session": session.pk},
        actor=actor,
    )
    return note


@transaction.atomic
def group_note_start(*, session, actor, template_key: str | None = None) -> Note:
    existing = Note.objects.filter(session=session, kind=NoteKind.GROUP).first()
    if existing is not None:
        return existing
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled, so it has no notes."))
    template = template_for(TemplateUse.GROUP, template_key)
    body = {"topic": session.topic} if session.topic and "topic" in template.field_keys() else {}
    return _start(session, None, NoteKind.GROUP, template, actor, body)


@transaction.atomic
def progress_note_start(*, session, member, actor, template_key: str | None = None) -> Note:
    """A note for a member who attended; for one who did not, a missed-session note."""
    existing = Note.objects.filter(session=session, member=member).first()
    if existing is not None:
        return existing
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled, so it has no notes."))
    template = template_for(TemplateUse.PROGRESS, template_key)
    mark = _mark_of(session, member)
    kind = NoteKind.PROGRESS if mark in ATTENDED_MARKS else NoteKind.MISSED
    group_note = Note.objects.filter(session=session, kind=NoteKind.GROUP).first()
    body = progress_prefill(template, mark, group_note) if kind == NoteKind.PROGRESS else {}
    return _start(session, member, kind, template, actor, body)


@dataclass
class SaveResult:
    note: Note
    merged: list[str] = field(default_factory=list)  # section labels where both texts were kept
    changed: bool = False


def _clean_values(note: Note, values: dict) -> dict[str, str]:
    keys = {s["key"] for s in note.sections}
    cleaned = {}
    for key, text in values.items():
        if key not in keys:
            continue
        text = (text or "").replace("\r\n", "\n")
        if len(text) > SECTION_MAX:
            raise ValidationError(
                {
                    key: _("Keep each part under %(max)s characters.")
                    % {"max": number_format(SECTION_MAX, force_grouping=True)}
                }
            )
        cleaned[key] = text
    return cleaned


def merge_section(current: str, base_digest: str | None, incoming: str, writer: str) -> str:
    """Three-way merge of one section (see the module docstring)."""
    if incoming == current:
        return current
    if base_digest is None or base_digest == digest(current):
        return incoming  # nobody else changed it since this page loaded
    if digest(incoming) == base_digest:
        return current  # only the other person changed it
    line = _("--- also written by %(name)s at the same time ---") % {"name": writer}
    return f"{current.rstrip()}\n\n{line}\n{incoming}"


@transaction.atomic
def note_save(*, note: Note, values: dict, base: dict | None, actor) -> SaveResult:
    """Save a draft's sections; refused once the note is signed."""
    locked = Note.objects.select_for_update().get(pk=note.pk)
    if locked.is_signed:
        raise ValidationError(
            _("This note is signed, so it can no longer be changed. Add an addendum instead.")
        )
    incoming = _clean_values(locked, values)
    current = locked.values()
    base = base or {}
    result = SaveResult(note=locked)
    merged = dict(current)
    for key, text in incoming.items():
        old = current.get(key, "")
        new = merge_section(old, base.get(key), text, actor.display_name)
        if new != old:
            merged[key] = new
            result.changed = True
            if new not in (text, old):
                label = next((s["label"] for s in locked.sections if s["key"] == key), key)
                label = format_text(label)
                result.merged.append(label)
    if result.changed:
        locked.body = json.dumps(merged)
        locked.updated_by = actor
        locked.updated_at = timezone.now()
        locked.save(update_fields=["body", "updated_by", "updated_at"])
        audit.record(
            "notes.change",
            subject=locked.member,
            target="notes.note",
            target_id=locked.pk,
            detail={"op": "edit", "merged": len(result.merged)},
            actor=actor,
        )
    return result


# --- signing -------------------------------------------------------------------------------


def secret_matches(user, secret: str) -> bool:
    """The person's password, or a current code from their authenticator app."""
    secret = (secret or "").strip()
    if not secret:
        return False
    if TOTP_CODE.match(secret.replace(" ", "")):
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None and totp.wrap().validate_code(secret.replace(" ", "")):
            return True
    return user.check_password(secret)


def _require_secret(user, secret, note, action) -> None:
    # A signed-in session must not become a way to guess the password: a few tries, then wait.
    tries_key = f"notes.secret-failures:{user.pk}"
    if cache.get(tries_key, 0) >= SECRET_TRIES:
        raise ValidationError(
            {
                "secret": _(  # nosec: a message, not a password
                    "Too many wrong tries. Your text is saved; wait 15 minutes and sign again."
                )
            }
        )
    if not secret_matches(user, secret):
        cache.add(tries_key, 0, SECRET_LOCKOUT_SECONDS)
        cache.incr(tries_key)
        audit.record(
            action,
            subject=note.member,
            target="notes.note",
            target_id=note.pk,
            outcome="denied",
            actor=user,
        )
        raise ValidationError(
            {
                "secret": _(  # nosec: a message, not a password
                    "That password or code is not right. Your text is saved; try again."
                )
            }
        )


def note_sign(*, note: Note, actor, secret: str) -> Note:
    """Sign (and lock) a draft after re-checking the signer's password or TOTP code."""
    if note.is_signed:
        raise ValidationError(_("This note is already signed."))
    _require_secret(actor, secret, note, "notes.sign")
    with transaction.atomic():
        locked = Note.objects.select_for_update().get(pk=note.pk)
        if locked.is_signed:
            raise ValidationError(_("This note is already signed."))
        if not any(text.strip() for text in locked.values().values()):
            raise ValidationError(_("Write something before signing."))
        locked.signed_by = actor
        locked.signed_at = timezone.now()
        locked.cosign_required = SupervisedFacilitator.objects.filter(facilitator=actor).exists()
        locked.save(update_fields=["signed_by", "signed_at", "cosign_required"])
        audit.record(
            "notes.sign",
            subject=locked.member,
            target="notes.note",
            target_id=locked.pk,
            detail={"cosign_required": locked.cosign_required},
            actor=actor,
        )
    return locked


def note_cosign(*, note: Note, actor, secret: str, allowed: bool) -> Note:
    """A supervisor's co-signature. `allowed`: notes.permissions.can_cosign(actor, note)."""
    if not allowed:
        raise ValidationError(_("Only the supervisor, clinic staff or a co-facilitator co-signs."))
    if not note.awaits_cosign:
        raise ValidationError(_("This note does not need a co-signature."))
    _require_secret(actor, secret, note, "notes.cosign")
    with transaction.atomic():
        locked = Note.objects.select_for_update().get(pk=note.pk)
        if not locked.awaits_cosign:
            raise ValidationError(_("This note does not need a co-signature."))
        locked.cosigned_by = actor
        locked.cosigned_at = timezone.now()
        locked.save(update_fields=["cosigned_by", "cosigned_at"])
        audit.record(
            "notes.cosign",
            subject=locked.member,
            target="notes.note",
            target_id=locked.pk,
            actor=actor,
        )
    return locked


def addendum_add(*, note: Note, text: str, actor, secret: str) -> Addendum:
    """An addendum to a signed note, signed as it is written."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not note.is_signed:
        raise ValidationError(_("Edit the draft instead: addenda are for signed notes."))
    if not text:
        raise ValidationError({"text": _("Write the addendum first.")})
    if len(text) > ADDENDUM_MAX:
        raise ValidationError(
            {
                "text": _("Keep an addendum under %(max)s characters.")
                % {"max": number_format(ADDENDUM_MAX, force_grouping=True)}
            }
        )
    _require_secret(actor, secret, note, "notes.addendum")
    with transaction.atomic():
        addendum = Addendum.objects.create(note=note, text=text, signed_by=actor)
        audit.record(
            "notes.addendum",
            subject=note.member,
            target="notes.note",
            target_id=note.pk,
            detail={"addendum": addendum.pk},
            actor=actor,
        )
    return addendum
