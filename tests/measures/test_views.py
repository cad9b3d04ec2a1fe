"""Facilitators' pages: a member's trend chart with bands, answers (every read audited), a
schedule made on the group page (bad input is a form error); a clinic's own instrument as data."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from groups.models import EnrollmentStatus
from measures import services
from measures.loading import instrument_definitions, instruments_load
from measures.models import Instrument, Item, Prompt, Schedule
from measures.scoring import validate_definition
from tests.factories import EnrollmentFactory
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import tuesday

pytestmark = pytest.mark.django_db


def _send(world, totals):
    phq = Instrument.objects.get(slug="phq-9")
    schedule = ScheduleFactory(group=world.addict_group)
    sent = []
    for n, total in enumerate(totals):
        prompt = Prompt.objects.create(
            schedule=schedule, member=world.member, slot=f"week:{n}", closes_at=tuesday()
        )
        sent.append(
            services.response_save(
                member=world.member,
                instrument=phq,
                data=phq9_answers(total),
                submit=True,
                prompt=prompt,
            )
        )
    return sent


def test_facilitator_sees_the_trend_with_bands_and_the_read_is_audited(world, frozen, client):
    sent = _send(world, [16, 11, 7])
    client.force_login(world.facilitator)
    url = reverse("measures:member", args=[world.addict_group.pk, world.member.pk])
    html = client.get(url).content.decode()
    assert "<svg" in html and 'class="chart-band chart-band-4"' in html
    assert "latest 7 of 27" in html and "Moderately severe" in html
    assert AuditEvent.objects.filter(
        action="measure.read", subject_id=world.member.pk, actor_id=world.facilitator.pk
    ).exists()
    answers = client.get(
        reverse("measures:response", args=[world.addict_group.pk, world.member.pk, sent[0].pk])
    ).content.decode()
    assert "Little interest or pleasure" in answers and "Nearly every day" in answers
    assert AuditEvent.objects.filter(
        action="measure.read", target="measures.response", target_id=str(sent[0].pk)
    ).exists()


def test_another_groups_facilitator_and_a_co_member_get_404(world, frozen, client):
    [sent] = _send(world, [5])
    for person in (world.other_facilitator, world.co_member, world.partner):
        client.force_login(person)
        url = reverse("measures:response", args=[world.addict_group.pk, world.member.pk, sent.pk])
        assert client.get(url).status_code == 404


def test_schedule_on_the_group_page(world, frozen, client):
    client.force_login(world.facilitator)
    url = reverse("measures:group", args=[world.addict_group.pk])
    phq = Instrument.objects.get(slug="phq-9")
    bad = client.post(
        url, {"instrument": phq.pk, "cadence": "every_n_weeks", "every": "0", "starts_on": "x"}
    )
    assert bad.status_code == 200 and not Schedule.objects.exists()
    client.post(
        url,
        {"instrument": phq.pk, "cadence": "every_n_weeks", "every": "2", "starts_on": "2026-12-01"},
    )
    schedule = Schedule.objects.get()
    assert (schedule.cadence, schedule.every, schedule.created_by) == (
        "every_n_weeks",
        2,
        world.facilitator,
    )
    client.post(reverse("measures:schedule_end", args=[schedule.pk]))
    schedule.refresh_from_db()
    assert schedule.ended_at is not None


def test_a_schedule_for_one_member_lists_and_takes_the_active_members_only(world, frozen, client):
    # GIVEN Robin, who left the group: listed among those who took part, not to be asked
    robin = EnrollmentFactory(
        group=world.addict_group, member__display_name="Robin", status=EnrollmentStatus.LEFT
    ).member
    client.force_login(world.facilitator)
    url = reverse("measures:group", args=[world.addict_group.pk])
    html = client.get(url).content.decode()
    assert f'href="{reverse("measures:member", args=[world.addict_group.pk, robin.pk])}"' in html
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]+)</option>', html)
    people = [(value, name) for value, _on, name in options if name in ("Alex", "Casey", "Robin")]
    assert people == [(str(world.member.pk), "Alex"), (str(world.co_member.pk), "Casey")]
    phq = Instrument.objects.get(slug="phq-9")
    asked = {"instrument": phq.pk, "cadence": "every_session", "every": "1"}
    # WHEN a form error comes back, the person chosen stays chosen
    bad = client.post(url, {**asked, "starts_on": "x", "member": world.co_member.pk})
    assert f'<option value="{world.co_member.pk}" selected>Casey</option>' in bad.content.decode()
    # WHEN Robin is posted, the form refuses; Casey is scheduled
    client.post(url, {**asked, "starts_on": "2026-12-01", "member": robin.pk})
    assert not Schedule.objects.exists()
    client.post(url, {**asked, "starts_on": "2026-12-01", "member": world.co_member.pk})
    assert Schedule.objects.get().member == world.co_member


def test_a_clinic_adds_its_own_instrument_as_data_and_loading_twice_changes_nothing(db):
    definitions = instrument_definitions()
    own = {
        "slug": "own-scale",
        "name": "Our own scale",
        "max_score": 3,
        "bands": [{"min": 0, "max": 3, "label": "Any"}],
        "flag_rules": [{"total_at_least": 3}],
        "items": [
            {
                "code": "a",
                "text": "A question",
                "options": [{"value": v, "label": str(v)} for v in range(4)],
            }
        ],
    }
    instruments_load(Instrument, Item, [*definitions, own])
    instruments_load(Instrument, Item, [*definitions, own])
    assert Instrument.objects.count() == 4 and Item.objects.count() == 9 + 7 + 6 + 1
    scale = Instrument.objects.get(slug="own-scale")
    validate_definition(scale, list(scale.items.all()))


def test_a_facilitator_trend_leaves_out_another_groups_answers(world, frozen, client):
    # GIVEN Alex answers PHQ-9 for the addict group (7) and for the couples group (25)
    EnrollmentFactory(group=world.couples_group, member=world.member)
    _send(world, [7])
    couples = ScheduleFactory(group=world.couples_group)
    prompt = Prompt.objects.create(
        schedule=couples, member=world.member, slot="week:c", closes_at=tuesday()
    )
    services.response_save(
        member=world.member,
        instrument=couples.instrument,
        data=phq9_answers(24, item9=1),
        submit=True,
        prompt=prompt,
    )
    # THEN the addict group's facilitator sees only their group's score
    client.force_login(world.facilitator)
    url = reverse("measures:member", args=[world.addict_group.pk, world.member.pk])
    html = client.get(url).content.decode()
    assert "latest 7 of 27" in html and ": 25" not in html and "Severe)" not in html
