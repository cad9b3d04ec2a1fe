"""Notes for the demo's last three held sessions, for `manage.py seed_demo`: the two older
ones written and signed on the night, last week's started but not signed, so the notes pages
and the home list of notes to finish show something on the first run.

Safe to run again: a group that has any note is left alone.
"""

import datetime

from django.utils import timezone

from notes import services
from notes.models import Note
from notes.selectors import session_notes
from sessions.models import Session, SessionStatus

SESSIONS = 3
# Group note sections for each of the three sessions, oldest first.
GROUP_NOTES = [
    {
        "topic": "Getting through the weekend",
        "themes": "Boredom and loneliness on Saturday evenings; plans that fall through.",
        "interventions": "Check-in round; mapping a hard evening hour by hour.",
        "process": "Warm and engaged; quieter members spoke in pairs first.",
        "plan": "Each brings one plan for Saturday evening.",
    },
    {
        "topic": "Asking for help",
        "themes": "Not wanting to be a burden; who each of us can call.",
        "interventions": "Role play of a first phone call; sharing contact lists.",
        "process": "Some tension early on, settled after the role play.",
        "plan": "Follow up on calls made during the week.",
    },
    {
        "topic": "Looking back on the month",
        "themes": "What has changed since joining; setbacks named without shame.",
        "interventions": "Timeline exercise.",
    },
]
PROGRESS = {
    "assessment": "Engaged and reflective; steady progress toward the goals set at the start.",
    "plan": "Continue weekly; revisit the weekend plan next session.",
}


def seed_demo_notes(group, facilitator, *, secret: str) -> int:
    """Notes for the group's last SESSIONS held sessions; `secret` is the facilitator's
    password (notes are signed the way a facilitator signs them). Returns notes written."""
    if Note.objects.filter(session__group=group).exists():
        return 0
    held = list(
        Session.objects.filter(group=group, ends_at__lt=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group")
        .order_by("-starts_at")[:SESSIONS]
    )[::-1]
    written = 0
    for index, session in enumerate(held):
        sign = index < len(held) - 1  # the latest stays a draft, so something is left to do
        notes = [_write_group_note(session, facilitator, GROUP_NOTES[index])]
        attended = session_notes(session).attended
        for row in attended if sign else attended[:1]:
            notes.append(_write_progress_note(session, row.member, facilitator))
        for note in notes:
            if sign:
                services.note_sign(note=note, actor=facilitator, secret=secret)
        # Written on the night, not today.
        night = session.ends_at + datetime.timedelta(minutes=45)
        stamps = {"created_at": night, "updated_at": night}
        Note.objects.filter(pk__in=[n.pk for n in notes]).update(
            **stamps, **({"signed_at": night} if sign else {})
        )
        written += len(notes)
    return written


def _write_group_note(session, facilitator, values) -> Note:
    note = services.group_note_start(session=session, actor=facilitator)
    services.note_save(note=note, values=values, base=None, actor=facilitator)
    return note


def _write_progress_note(session, member, facilitator) -> Note:
    note = services.progress_note_start(session=session, member=member, actor=facilitator)
    services.note_save(note=note, values=PROGRESS, base=None, actor=facilitator)
    return note
