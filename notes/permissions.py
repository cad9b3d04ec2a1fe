"""The one place that decides who may read, write, sign or export which note. Outsiders 404.

Readers: the facilitators of the note's group and clinic staff. A member reads their own
signed progress notes only when the clinic turns on open notes (NOTES_OPEN_TO_MEMBERS), never
the group note and never anyone else's. A partner never reads a note: sharing consent covers
attendance summaries, not notes, so nothing here asks members.selectors_privacy.
"""

from django.conf import settings
from django.http import Http404

from core.lookups import get_object_for_user_or_404
from groups.models import PARTICIPATED_STATUSES, Group
from groups.permissions import groups_facilitated_by, is_facilitating_role
from groups.selectors import stints
from members.models import User
from notes.models import Note, NoteKind, SupervisedFacilitator


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


def cosignable(user, notes) -> list[Note]:
    """Of `notes` (with their session), those `user` may co-sign; never one they signed.
    The signer's named supervisor co-signs, while they may for the note's group (staff, or a
    facilitator of it); without one, staff or another facilitator of the group. 2 queries."""
    notes = [n for n in notes if n.signed_by_id != user.pk] if user.is_authenticated else []
    if not notes:
        return []
    runs = set(
        Group.facilitators.through.objects.filter(
            group_id__in={n.session.group_id for n in notes}
        ).values_list("group_id", "user_id")
    )
    supervisors = {
        row.facilitator_id: row.supervisor
        for row in SupervisedFacilitator.objects.filter(
            facilitator_id__in={n.signed_by_id for n in notes},
            supervisor__is_active=True,
        ).select_related("supervisor")
    }

    def may(person, note) -> bool:
        return person.is_clinic_staff or (
            person.is_facilitator and (note.session.group_id, person.pk) in runs
        )

    allowed = []
    for note in notes:
        supervisor = supervisors.get(note.signed_by_id)
        if supervisor is not None and supervisor.pk != note.signed_by_id and may(supervisor, note):
            ok = supervisor.pk == user.pk
        else:
            ok = may(user, note)
        if ok:
            allowed.append(note)
    return allowed


def can_cosign(user, note) -> bool:
    return bool(cosignable(user, [note]))


def require_staff(user) -> None:
    """Staff pages (who is supervised): everyone else 404, as if they did not exist."""
    if not (user.is_authenticated and user.is_clinic_staff):
        raise Http404("Not found")


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
