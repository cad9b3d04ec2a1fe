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
