"""A draft's "last saved" line says which day when it was not today (found trying the demo:
a draft from last week read "last saved by Fran at 9:15 pm")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from notes.models import NoteKind
from tests.factories.notes import NoteFactory

pytestmark = pytest.mark.django_db


def _line(client, session) -> str:
    body = client.get(reverse("notes:group_note", args=[session.pk])).content.decode()
    start = body.index('id="note-editor">')
    return body[start : body.index("</p>", start)]


def _draft(world, session, saved_at):
    return NoteFactory(
        session=session,
        member=None,
        kind=NoteKind.GROUP,
        created_by=world.facilitator,
        updated_at=saved_at,
    )


def test_a_draft_saved_today_gives_the_time_only(client, world, held, frozen):
    _draft(world, held, datetime.datetime(2026, 3, 3, 20, 45, tzinfo=datetime.UTC))
    client.force_login(world.facilitator)
    line = _line(client, held)
    assert "at 8:45 pm" in line and "March" not in line


def test_a_draft_saved_days_ago_names_the_day(client, world, held, frozen):
    _draft(world, held, datetime.datetime(2026, 2, 24, 21, 15, tzinfo=datetime.UTC))
    client.force_login(world.facilitator)
    assert "on Tuesday 24 February, 9:15 pm" in _line(client, held)


def test_the_day_is_in_the_readers_language(client, world, held, frozen):
    _draft(world, held, datetime.datetime(2026, 2, 24, 21, 15, tzinfo=datetime.UTC))
    world.facilitator.language = "fr"
    world.facilitator.save(update_fields=["language"])
    client.force_login(world.facilitator)
    with translation.override("fr"):
        line = _line(client, held)
    assert "le mardi 24 février à 21 h 15" in line


def test_the_to_do_list_spells_the_month_in_the_readers_language(client, world, held, frozen):
    world.facilitator.language = "fr"
    world.facilitator.save(update_fields=["language"])
    client.force_login(world.facilitator)
    with translation.override("fr"):
        body = client.get(reverse("notes:index")).content.decode()
    assert "mardi 3 mars à 19 h" in body and "3 Mar" not in body
