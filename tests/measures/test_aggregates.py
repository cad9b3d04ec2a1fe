"""A group's view shows only anonymous aggregates, and none for a slot under five answers."""

import pytest
from django.urls import reverse

from measures import services
from measures.models import Instrument, Prompt
from measures.selectors import group_aggregates
from tests.factories import EnrollmentFactory, UserFactory
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import tuesday

pytestmark = pytest.mark.django_db


def _answers(schedule, slot, totals):
    phq = Instrument.objects.get(slug="phq-9")
    for total in totals:
        member = UserFactory(display_name=f"Member {total}")
        EnrollmentFactory(group=schedule.group, member=member)
        prompt = Prompt.objects.create(
            schedule=schedule, member=member, slot=slot, closes_at=tuesday()
        )
        services.response_save(
            member=member, instrument=phq, data=phq9_answers(total), submit=True, prompt=prompt
        )


def test_aggregates_hide_slots_under_five_answers(world, frozen, client):
    schedule = ScheduleFactory(group=world.addict_group)
    _answers(schedule, "week:a", [4, 6, 8, 10, 12])  # five: shown
    _answers(schedule, "week:b", [21, 22, 23, 24])  # four: hidden
    [rows] = group_aggregates(world.addict_group).values()
    shown = [r for r in rows if r.count == 5][0]
    hidden = [r for r in rows if r.count == 4][0]
    assert (shown.mean, shown.band) == (8.0, "Mild")
    assert hidden.mean is None and hidden.band == ""
    client.force_login(world.facilitator)
    html = client.get(reverse("measures:group", args=[world.addict_group.pk])).content.decode()
    assert "8.0 (Mild)" in html and "Fewer than 5 answers" in html
    assert "22.5" not in html and "Severe" not in html


def test_slot_labels_name_the_month_in_full_in_each_language():
    # GIVEN a weekly slot in June and one before a session in July
    import datetime
    from types import SimpleNamespace

    from django.utils import translation

    from measures.selectors import _slot_label

    group = SimpleNamespace(time_zone="Europe/Paris")
    weekly = ("week:2026-06-02", None, None)  # slot, closes at, session starts at
    evening = datetime.datetime(2026, 7, 7, 17, 0, tzinfo=datetime.UTC)
    before = ("session:1", None, evening)
    expected = {
        "en": ("From 2 June 2026", "Before Tuesday 7 July 2026"),
        "fr": ("À partir du 2 juin 2026", "Avant le mardi 7 juillet 2026"),
        "es": ("Desde el 2 de junio de 2026", "Antes del martes 7 de julio de 2026"),
    }
    for language, words in expected.items():
        # WHEN labelled in that language THEN no ambiguous abbreviation ('Jui'), Spanish 'de'
        with translation.override(language):
            assert (_slot_label(*weekly, group), _slot_label(*before, group)) == words, language
