"""An instrument defined as data is scheduled, prompted once per slot, answered (saved and
come back to, then sent), scored, stored encrypted and charted."""

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from core.crypto import is_encrypted
from measures import services
from measures.charts import trend_chart
from measures.models import Cadence, Instrument, Item, Prompt, Response, ResponseStatus
from measures.selectors import pending_prompts_for, trends_for
from notifications.discretion import forbidden_words_in
from notifications.models import Kind, Notification
from notifications.rendering import render_notification
from tests.factories import SessionFactory
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import NOW, tuesday

pytestmark = pytest.mark.django_db


def _custom_instrument() -> Instrument:
    """A clinic's own scale, made of rows only (as staff would in the admin site)."""
    scale = Instrument.objects.create(
        slug="week-scale",
        name="Our own scale",
        max_score=4,
        bands=[{"min": 0, "max": 1, "label": "Low"}, {"min": 2, "max": 4, "label": "High"}],
        flag_rules=[{"total_at_least": 4}],
    )
    options = [{"value": v, "label": str(v)} for v in range(3)]
    for position, code in enumerate(("a", "b"), 1):
        Item.objects.create(
            instrument=scale, position=position, code=code, text=f"Item {code}", options=options
        )
    return scale


def test_a_data_defined_instrument_is_prompted_once_per_slot_answered_scored_and_charted(
    world, frozen, django_capture_on_commit_callbacks
):
    # GIVEN a clinic's own instrument scheduled before every session of the addict group
    scale = _custom_instrument()
    session = SessionFactory(group=world.addict_group, starts_at=tuesday())
    SessionFactory(group=world.addict_group, starts_at=tuesday(weeks=2))  # beyond the lead
    ScheduleFactory(
        group=world.addict_group,
        instrument=scale,
        cadence=Cadence.EVERY_SESSION,
        starts_on=datetime.date(2026, 11, 1),
    )
    # WHEN the prompts task runs twice
    with django_capture_on_commit_callbacks(execute=False):
        first = services.prompts_open()
        second = services.prompts_open()
    # THEN each active member is asked once for Tuesday's slot, and told once
    assert (first, second) == (2, 0)
    prompt = Prompt.objects.get(member=world.member)
    assert prompt.session == session and prompt.slot == f"session:{session.pk}"
    rows = Notification.objects.filter(kind=Kind.MEASURE_PROMPT, recipient=world.member)
    assert rows.count() == 2  # email and in the app, the defaults
    rendered = render_notification(rows.get(channel="email"))
    assert rendered.subject == "A few questions before Tuesday"
    assert not forbidden_words_in(rendered.outbound_text())
    assert "Our own scale" not in rendered.outbound_text()

    # WHEN the member saves one answer and comes back, then sends both
    draft = services.response_save(
        member=world.member, instrument=scale, data={"a": "2"}, submit=False, prompt=prompt
    )
    assert pending_prompts_for(world.member) == [prompt]  # a draft still waits
    sent = services.response_save(
        member=world.member, instrument=scale, data={"a": "2", "b": "1"}, submit=True, prompt=prompt
    )
    # THEN it is the same response, scored from the data, and the prompt no longer waits
    assert sent.pk == draft.pk and sent.status == ResponseStatus.SUBMITTED
    sent.refresh_from_db()
    assert (sent.total, sent.band) == ("3", "High")
    assert pending_prompts_for(world.member) == []
    # ...and a second send for the same slot is refused
    with pytest.raises(Exception, match="already sent"):
        services.response_save(
            member=world.member,
            instrument=scale,
            data={"a": "0", "b": "0"},
            submit=True,
            prompt=prompt,
        )
    # ...and it is charted with the instrument's bands
    [trend] = trends_for(world.member)
    chart = trend_chart(trend)
    assert chart is not None and [b.label for b in chart.bands] == ["Low", "High"]
    assert trend.latest[1] == 3


def test_every_nth_session_and_every_n_weeks_slots(world, frozen):
    # GIVEN sessions every Tuesday from 3 Nov and two schedules
    for week in range(-4, 1):
        SessionFactory(group=world.addict_group, starts_at=tuesday(weeks=week))
    every_second = ScheduleFactory(
        group=world.addict_group,
        cadence=Cadence.EVERY_NTH_SESSION,
        every=2,
        starts_on=datetime.date(2026, 11, 1),
    )
    every_third = ScheduleFactory(
        group=world.addict_group,
        cadence=Cadence.EVERY_NTH_SESSION,
        every=3,
        starts_on=datetime.date(2026, 11, 1),
    )
    fortnightly = ScheduleFactory(
        group=world.addict_group,
        cadence=Cadence.EVERY_N_WEEKS,
        every=2,
        starts_on=datetime.date(2026, 11, 23),
    )
    # THEN 1 Dec is the 5th session: asked for every 2nd (1st, 3rd, 5th), not every 3rd
    assert [s for s, _, _ in services.schedule_slots(every_second, NOW)] != []
    assert services.schedule_slots(every_third, NOW) == []
    # ...and the fortnight that began on 23 Nov is open until 6 Dec ends
    [(slot, session, closes)] = services.schedule_slots(fortnightly, NOW)
    assert slot == "week:2026-11-23" and session is None
    assert closes.date() == datetime.date(2026, 12, 7)


def test_answering_on_a_phone_save_and_come_back_then_send(world, frozen, client):
    # GIVEN a PHQ-9 prompt for the member
    schedule = ScheduleFactory(group=world.addict_group)
    prompt = Prompt.objects.create(
        schedule=schedule, member=world.member, slot="week:x", closes_at=tuesday()
    )
    client.force_login(world.member)
    url = reverse("measures:prompt", args=[prompt.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    # WHEN they save half and come back
    half = {k: v for k, v in phq9_answers(4).items() if k in ("phq9_1", "phq9_2")}
    saved = client.post(url, {**half, "save": "1"})
    assert saved.status_code == 302
    again = client.get(url).content.decode()
    assert 'value="3" checked' in again or 'checked value="3"' in again or "checked" in again
    # ...then send everything
    sent = client.post(url, {**phq9_answers(4), "send": "1"})
    response = Response.objects.get(prompt=prompt)
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "measures:done", args=[response.pk]
    )
    done = client.get(sent["Location"]).content.decode()
    assert "4" in done and "Minimal" in done and "If you need help now" not in done


def test_sending_with_a_missing_answer_is_a_form_error_not_a_500(world, frozen, client):
    schedule = ScheduleFactory(group=world.addict_group)
    prompt = Prompt.objects.create(
        schedule=schedule, member=world.member, slot="week:x", closes_at=tuesday()
    )
    client.force_login(world.member)
    answers = phq9_answers(4)
    del answers["phq9_5"]
    page = client.post(reverse("measures:prompt", args=[prompt.pk]), {**answers, "send": "1"})
    assert page.status_code == 200 and "Please answer this one." in page.content.decode()
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()


def test_scores_and_answers_are_ciphertext_in_the_database(world, frozen):
    # GIVEN a sent PHQ-9
    prompt = Prompt.objects.create(
        schedule=ScheduleFactory(group=world.addict_group),
        member=world.member,
        slot="week:x",
        closes_at=tuesday(),
    )
    response = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="phq-9"),
        data=phq9_answers(17),
        submit=True,
        prompt=prompt,
    )
    # WHEN the raw columns are read as a dump would
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers, total, band FROM measures_response WHERE id = %s", [response.pk]
        )
        answers, total, band = cursor.fetchone()
    # THEN none of them is readable: no score, band or answer
    for raw in (answers, total, band):
        assert is_encrypted(raw)
    assert "17" not in total and "severe" not in band.lower() and "phq9" not in answers
    response.refresh_from_db()
    assert (response.total, response.band) == ("17", "Moderately severe")
    assert json.loads(response.answers)["phq9_1"] == 3


def test_the_member_sees_their_own_trend_chart(world, frozen, client):
    phq = Instrument.objects.get(slug="phq-9")
    for total in (14, 9, 5):
        services.response_save(
            member=world.member,
            instrument=phq,
            data=phq9_answers(total),
            submit=True,
            response=None,
            prompt=Prompt.objects.create(
                schedule=ScheduleFactory(group=world.addict_group),
                member=world.member,
                slot=f"week:{total}",
                closes_at=tuesday(),
            ),
        )
    client.force_login(world.member)
    html = client.get(reverse("measures:index")).content.decode()
    assert "<svg" in html and "latest 5 of 27" in html and "Moderate" in html
