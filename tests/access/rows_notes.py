"""Notes: the addict group's facilitator and staff only. Members (open notes off, the
default), the partner (even with consent: notes are never shared) and other groups'
facilitators get 404. Open notes on is tested in tests/notes/test_walls.py."""

from django.utils import timezone

from notes.models import NoteKind
from tests.access.matrix import Row, expect, group_insiders
from tests.factories import SessionFactory, UserFactory
from tests.factories.members import TEST_PASSWORD
from tests.factories.notes import NoteFactory

RUNS_GROUP = group_insiders(members_too=False)
RUNS_GROUP_POST = group_insiders(ok=302, members_too=False)
STAFF_ONLY = expect(404, anonymous=302, staff=200)
STAFF_ONLY_POST = expect(404, anonymous=302, staff=302)


def _session(w):
    return {"session_pk": SessionFactory(group=w.addict_group).pk}


def _signed_note(w, **extra):
    note = NoteFactory(
        session=SessionFactory(group=w.addict_group),
        member=w.member,
        kind=NoteKind.PROGRESS,
        signed_by=extra.pop("signed_by", w.facilitator),
        signed_at=timezone.now(),
        **extra,
    )
    return {"pk": note.pk}


def _awaiting_cosign(w):
    signer = UserFactory(facilitator=True)
    w.addict_group.facilitators.add(signer)
    return _signed_note(w, signed_by=signer, cosign_required=True)


ROWS = [
    Row(
        "notes:index",
        expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200),
    ),
    Row("notes:session", RUNS_GROUP, kwargs=_session),
    Row("notes:group_note", RUNS_GROUP, kwargs=_session),
    Row(
        "notes:group_note",
        RUNS_GROUP_POST,
        kwargs=_session,
        method="post",
        data=lambda w: {"action": "save", "s_themes": "Weekends"},
    ),
    Row(
        "notes:progress",
        RUNS_GROUP,
        kwargs=lambda w: {**_session(w), "member_pk": w.member.pk},
    ),
    Row("notes:note", RUNS_GROUP, kwargs=_signed_note),
    Row(
        "notes:addendum",
        RUNS_GROUP_POST,
        kwargs=_signed_note,
        method="post",
        data=lambda w: {"text": "Later: a correction.", "secret": TEST_PASSWORD},
    ),
    Row(
        "notes:cosign",
        RUNS_GROUP_POST,
        kwargs=_awaiting_cosign,
        method="post",
        data=lambda w: {"secret": TEST_PASSWORD},
    ),
    Row("notes:timeline", RUNS_GROUP, kwargs=lambda w: {"member_pk": w.member.pk}),
    Row("notes:export_member", RUNS_GROUP, kwargs=lambda w: {"member_pk": w.member.pk}),
    Row(
        "notes:export_group",
        RUNS_GROUP,
        kwargs=lambda w: {"group_pk": w.addict_group.pk},
        data=lambda w: {"date_from": "2026-01-01", "date_to": "2026-12-31"},
    ),
    Row("notes:supervision", STAFF_ONLY),
    Row(
        "notes:supervision",
        STAFF_ONLY_POST,
        method="post",
        data=lambda w: {"facilitator": w.facilitator.pk, "supervised": "on"},
    ),
]
