"""The one place that decides who may read, write, sign or export which note. Outsiders 404.

Readers: the facilitators of the note's group and clinic staff. A member reads their own
signed progress notes only when the clinic turns on open notes (NOTES_OPEN_TO_MEMBERS), never
the group note and never anyone else's. A partner never reads a note: sharing consent covers
attendance summaries, not notes, so nothing here asks members.selectors_privacy.
"""

from django.conf import settings
from django.http import Http404

from core.lookups import get_object_for_user_or_404
from groups.models import PARTICIPATED_STATUSES
from groups.permissions import groups_facilitated_by, is_facilitating_role
from groups.selectors import stints
from members.models import User
from notes.models import Note, NoteKind


def open_notes_on() -> bool:
    return bool(getattr(settings, "NOTES_OPEN_TO_MEMBERS", False))


def notes_readable_by(user):
    if not user.is_authenticated:
        return Note.objects.none()
    if is_facilitating_role(user):
        if user.is_clinic_staff:
            return Note.objects.all()
        return Note.objects.filter(session__group__in=groups_facilitated_by(user))
    if open_notes_on():
        return Note.objects.filter(
            member=user,
            kind__in=(NoteKind.PROGRESS, NoteKind.MISSED),
            signed_at__isnull=False,
        )
    return Note.objects.none()


def notes_writable_by(user):
    """Drafts, signatures and addenda: the group's facilitators and staff; members never."""
    if not is_facilitating_role(user):
        return Note.objects.none()
    return Note.objects.filter(session__group__in=groups_facilitated_by(user))


def get_note_for_user(user, pk) -> Note:
    return get_object_for_user_or_404(
        notes_readable_by(user).select_related("session__group", "member", "template"),
        pk,
        "No such note",
    )


def get_note_to_write(user, pk) -> Note:
    return get_object_for_user_or_404(
        notes_writable_by(user).select_related("session__group", "member", "template"),
        pk,
        "No such note",
    )


def can_write(user, note) -> bool:
    return notes_writable_by(user).filter(pk=note.pk).exists()


def require_note_writer(user) -> None:
    if not is_facilitating_role(user):
        raise Http404("Not found")


def require_notes_list(user) -> None:
    """The notes home: facilitators and staff; members only with open notes on."""
    if not user.is_authenticated:
        raise Http404("Not found")
    if not is_facilitating_role(user) and not open_notes_on():
        raise Http404("Not found")


def can_cosign(user, note) -> bool:
    """Staff, or another facilitator of the note's group; never the one who signed it."""
    if not user.is_authenticated or user.pk == note.signed_by_id:
        return False
    if user.is_clinic_staff:
        return True
    return user.is_facilitator and note.session.group.facilitators.filter(pk=user.pk).exists()


def get_member_of_my_groups(user, member_pk) -> tuple[User, list[int]]:
    """A member who took part in a group `user` runs, and those group ids; 404 otherwise."""
    require_note_writer(user)
    try:
        rows = list(
            stints(
                groups=groups_facilitated_by(user),
                member=int(member_pk),
                statuses=PARTICIPATED_STATUSES,
            )
            .select_related("member")
            .order_by("pk")
        )
    except (ValueError, TypeError, OverflowError):
        rows = []
    if not rows:
        raise Http404("No such member")
    return rows[0].member, sorted({row.group_id for row in rows})
