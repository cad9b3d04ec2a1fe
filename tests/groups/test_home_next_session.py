"""The home panel names each group's next session in one natural phrase per language
(the trial found 'Oak group: prochaine : mardi, 19 h', two colons)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import SessionFactory

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "— next session Tuesday at 7 pm"),
        ("fr", "— prochaine séance mardi à 19 h"),
        ("es", "— próxima sesión el martes a las 19:00"),
    ],
)
def test_next_session_reads_as_one_phrase(client, world, language, words):
    # GIVEN Alex's group meets next on Tuesday at 7 pm (London, as Alex)
    SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 12, 1, 19, tzinfo=UTC)
    )
    world.member.language = language
    world.member.save(update_fields=["language"])
    client.force_login(world.member)
    # WHEN Alex opens home in that language
    saturday = datetime.datetime(2026, 11, 28, 12, tzinfo=UTC)
    with time_machine.travel(saturday, tick=False), translation.override(language):
        html = client.get(reverse("home")).content.decode()
    # THEN the group's line reads naturally, with no doubled colon
    assert f"</a>&nbsp;{words}" in html
    assert "prochaine :" not in html and "próxima:" not in html
