"""Writes for reading material: create, assign from the library, publish, delete, record reading.

Uploads are checked before anything is stored; a file written to storage is removed again
if any later step fails, so a refused or failed upload never leaves an orphan behind.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audit import api as audit
from materials.filetypes import EXTENSIONS, detect_type
from materials.models import MAX_BODY_CHARS, ContentForm, LibraryItem, Material, Reading
from materials.storage import material_storage
from notifications import api as notifications

logger = logging.getLogger(__name__)

_https_only = URLValidator(schemes=["https"])


def start_of_local_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the active time zone (the person's own), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def file_too_large_message() -> str:
    return _("That file is too large. Files can be up to %(mb)s MB.") % {
        "mb": settings.MATERIAL_MAX_UPLOAD_MB
    }


def _title_error(title: str) -> str:
    if not title:
        return _("Give it a title.")
    if len(title) > 200:
        return _("Keep the title under 200 characters.")
    return ""


def _clean_title(title) -> str:
    title = (title or "").strip()
    if error := _title_error(title):
        raise ValidationError({"title": error})
    return title


def _clean_content(*, title, form, file, url, body) -> dict:
    """Check title and content; returns the model fields, or raises ValidationError by field."""
    errors: dict[str, str] = {}
    fields: dict = {"title": (title or "").strip(), "form": form}
    if error := _title_error(fields["title"]):
        errors["title"] = error
    if form == ContentForm.FILE:
        max_bytes = settings.MATERIAL_MAX_UPLOAD_MB * 1024 * 1024
        if file is None:
            errors["file"] = _("Choose a file to upload.")
        elif file.size > max_bytes:
            errors["file"] = file_too_large_message()
        elif not (file_type := detect_type(file)):
            errors["file"] = _(
                "That file is not one we can share. Upload a PDF, EPUB, Word (.docx), "
                "plain text or image (PNG, JPEG, GIF, WebP) file."
            )
        else:
            fields.update(file_type=file_type, file_size=file.size)
    elif form == ContentForm.LINK:
        fields["url"] = (url or "").strip()
        try:
            _https_only(fields["url"])
        except ValidationError:
            errors["url"] = _("Enter a full web address starting with https://.")
    elif form == ContentForm.TEXT:
        fields["body"] = (body or "").strip()
        if not fields["body"]:
            errors["body"] = _("Write the text to share.")
        elif len(fields["body"]) > MAX_BODY_CHARS:
            errors["body"] = _("Keep the text under %(max)s characters.") % {
                "max": number_format(MAX_BODY_CHARS, force_grouping=True)
            }
    else:
        errors["form"] = _("Choose a file, a link or a text.")
    if errors:
        raise ValidationError(errors)
    return fields


def _store_upload(file, file_type: str) -> str:
    """Save under a random name; a half-written file is removed if saving fails."""
    storage = material_storage()
    name = f"materials/{uuid.uuid4().hex}.{EXTENSIONS[file_type]}"
    try:
        file.seek(0)
        stored = storage.save(name, file)
    except BaseException:
        _delete_file(name)
        raise
    return stored


def _delete_file(name: str | None) -> None:
    if not name:
        return
    try:
        material_storage().delete(name)
    except OSError:
        logger.exception("Could not delete stored material file %s", name)


def _create_with_content(
    model, *, actor, title, description, form, file, url, body, after_create=None, **extra
):
    """Validate, store the upload, then write the row; the upload is removed on any failure."""
    fields = _clean_content(title=title, form=form, file=file, url=url, body=body)
    stored = _store_upload(file, fields["file_type"]) if form == ContentForm.FILE else ""
    try:
        with transaction.atomic():
            obj = model.objects.create(
                description=(description or "").strip(),
                created_by=actor,
                file=stored,
                **fields,
                **extra,
            )
            if after_create is not None:
                after_create(obj)
    except BaseException:
        _delete_file(stored)
        raise
    return obj


def _check_audience(*, actor, group, session, kind) -> None:
    if kind and (group or session):
        raise ValidationError(_("Choose one audience."))
    if kind and not actor.is_clinic_staff:
        raise ValidationError(_("Only clinic staff can share with every group of a kind."))
    if not kind and group is None:
        raise ValidationError(_("Choose who it is for."))
    if session is not None and session.group_id != group.pk:
        raise ValidationError(_("That session belongs to another group."))


def _publish_if_visible(material: Material, now) -> None:
    if material.visible_from <= now and material.published_at is None:
        material.published_at = now
        material.save(update_fields=["published_at"])
        notifications.material_published(material.pk)


def _record(action: str, obj, actor) -> None:
    """Material belongs to no one person's record: the row names the item and its audience."""
    audit.record(
        action,
        actor=actor,
        target=obj._meta.label_lower,
        target_id=obj.pk,
        detail={
            "group": getattr(obj, "group_id", None),
            "session": getattr(obj, "session_id", None),
            "kind": getattr(obj, "kind", "") or None,
            "form": obj.form,
        },
    )


def _material_created(material: Material, now, actor) -> None:
    _record("material.create", material, actor)
    _publish_if_visible(material, now)


def material_create(
    *,
    actor,
    title,
    form,
    description="",
    file=None,
    url="",
    body="",
    group=None,
    session=None,
    kind="",
    visible_from=None,
) -> Material:
    """Share new material with a group, one of its sessions, or (staff) every group of a kind."""
    _check_audience(actor=actor, group=group, session=session, kind=kind)
    now = timezone.now()
    return _create_with_content(
        Material,
        actor=actor,
        title=title,
        description=description,
        form=form,
        file=file,
        url=url,
        body=body,
        group=group,
        session=session,
        kind=kind,
        visible_from=visible_from or now,
        after_create=lambda material: _material_created(material, now, actor),
    )


def library_item_create(
    *, actor, title, form, description="", file=None, url="", body=""
) -> LibraryItem:
    return _create_with_content(
        LibraryItem,
        actor=actor,
        title=title,
        description=description,
        form=form,
        file=file,
        url=url,
        body=body,
        after_create=lambda item: _record("material.create", item, actor),
    )


@transaction.atomic
def library_item_assign(
    *, actor, item: LibraryItem, group=None, session=None, kind="", visible_from=None
) -> Material:
    """Share a library item with an audience; the content stays in the library, not copied."""
    _check_audience(actor=actor, group=group, session=session, kind=kind)
    now = timezone.now()
    material = Material.objects.create(
        library_item=item,
        title=item.title,
        description=item.description,
        form=item.form,
        group=group,
        session=session,
        kind=kind,
        visible_from=visible_from or now,
        created_by=actor,
    )
    _material_created(material, now, actor)
    return material


def material_delete(*, actor, material: Material) -> None:
    """Remove an item; its own file goes once the deletion is committed (library files stay)."""
    name = material.file.name
    with transaction.atomic():
        _record("material.delete", material, actor)
        material.delete()
        transaction.on_commit(lambda: _delete_file(name))


def library_item_delete(*, actor, item: LibraryItem) -> None:
    """Remove a library item and every assignment of it."""
    name = item.file.name
    with transaction.atomic():
        _record("material.delete", item, actor)
        item.delete()
        transaction.on_commit(lambda: _delete_file(name))


def material_update(
    *, actor, material: Material, title, description="", url="", body="", file=None
) -> Material:
    """Change an item's words: title, description, and its link, text or (a new) file.
    Its audience stays; to share it elsewhere, share it again. A library item's content is
    the library's: only the title and description of this assignment change."""
    changes_content = material.library_item_id is None and not (
        material.form == ContentForm.FILE and file is None  # no new file: the old one stays
    )
    if changes_content:
        fields = _clean_content(title=title, form=material.form, file=file, url=url, body=body)
    else:
        fields = {"title": _clean_title(title)}
    fields.pop("form", None)
    stored = _store_upload(file, fields["file_type"]) if "file_type" in fields else ""
    old_file = material.file.name if stored else ""
    try:
        with transaction.atomic():
            material = Material.objects.select_for_update().get(pk=material.pk)
            for name, value in fields.items():
                setattr(material, name, value)
            if stored:
                material.file = stored
            material.description = (description or "").strip()
            material.save()
            _record("material.update", material, actor)
            if old_file:
                transaction.on_commit(lambda: _delete_file(old_file))
    except BaseException:
        _delete_file(stored)
        raise
    return material


def reading_record(*, material: Material, member) -> Reading:
    """Record that a member marked the item read (opening it does not); idempotent."""
    try:
        with transaction.atomic():
            reading, _created = Reading.objects.get_or_create(material=material, member=member)
    except IntegrityError:
        # Two requests at once: the other one recorded it.
        reading = Reading.objects.get(material=material, member=member)
    return reading


def reading_unmark(*, material: Material, member) -> None:
    """The member wants it back on their list as unread."""
    Reading.objects.filter(material=material, member=member).delete()


def materials_publish_due(now=None) -> int:
    """Tell the audience of every item whose visible-from time has come; safe to run twice."""
    now = now or timezone.now()
    due = Material.objects.filter(published_at__isnull=True, visible_from__lte=now)
    published = 0
    for pk in due.values_list("pk", flat=True).order_by("visible_from", "pk")[:500]:
        with transaction.atomic():
            # The conditional update claims the row, so a concurrent run skips it.
            if Material.objects.filter(pk=pk, published_at__isnull=True).update(published_at=now):
                notifications.material_published(pk)
                published += 1
    return published
