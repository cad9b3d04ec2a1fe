"""100 scripted reads and writes of sensitive records give exactly 100 audit rows, and no row
holds the sensitive text: not an answer, not a name, not an email address."""

import datetime
import json

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from groups.models import Enrollment
from groups.services import enrollment_change
from members.services.consent import consent_grant, consent_revoke
from members.services.intake import intake_record, intake_update
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "I delete my browser history every single day"
SECRET_NOTE = "Works nights at the harbour office"
ANSWERS = {
    "others_concerned": "Yes, my wife found out",
    "self_concerned": "Yes, very",
    "escape": "Scrolling late at night",
    "secrets": SECRET_ANSWER,
    "others_disturbed": "My search history",
    "shame": "Every morning",
    "level": "at_risk",
    "recommended_kind": "addict",
    "notes": SECRET_NOTE,
}


def _everything_stored() -> str:
    return json.dumps(
        [model_to_dict(event) for event in AuditEvent.objects.all()], default=str
    ).lower()


def test_a_hundred_reads_and_writes_give_a_hundred_rows_and_no_sensitive_text(client, world):
    # GIVEN a member with a screening, a session held two days ago, and their facilitator
    # signed in (signing in is itself recorded: we count from here)
    intake = intake_record(
        member=world.member, actor=world.facilitator, group=world.addict_group, **ANSWERS
    )
    session = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    co_member_stint = Enrollment.objects.get(group=world.addict_group, member=world.co_member)
    client.force_login(world.facilitator)
    group, member = world.addict_group.pk, world.member.pk
    before = AuditEvent.objects.count()

    # WHEN ten rounds of ten things happen to members' records
    for round_ in range(10):
        # five reads by the facilitator
        for url, data in (
            (reverse("members:intake", args=[intake.pk]), {}),
            (reverse("members:person", args=[member]), {}),
            (reverse("attendance:member", args=[group, member]), {}),
            (reverse("attendance:roll", args=[session.pk]), {}),
            (
                reverse("attendance:export", args=[group]),
                {"date_from": "2026-01-01", "date_to": timezone.localdate().isoformat()},
            ),
        ):
            assert client.get(url, data).status_code == 200, url
        # a mark (changed each round, so each post is a change)
        mark = "present" if round_ % 2 else "late"
        response = client.post(
            reverse("attendance:mark", args=[session.pk, member]), {"mark": mark}
        )
        assert response.status_code == 302
        # a screening edited, sharing started and stopped by the member, an enrolment paused
        # or resumed
        answers = {**ANSWERS, "shame": f"round {round_}"}
        intake_update(intake=intake, actor=world.facilitator, group=world.addict_group, **answers)
        consent = consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
        consent_revoke(consent=consent, actor=world.member)
        co_member_stint.refresh_from_db()
        enrollment_change(
            enrollment=co_member_stint,
            action="pause" if round_ % 2 == 0 else "resume",
            actor=world.facilitator,
        )

    # THEN exactly one row each
    assert AuditEvent.objects.count() - before == 100
    recorded = AuditEvent.objects.exclude(action="auth.login")
    counts = {}
    for action in recorded.values_list("action", flat=True):
        counts[action] = counts.get(action, 0) + 1
    assert counts == {
        "intake.create": 1,  # the setup, before counting
        "intake.read": 10,
        "intake.list": 10,
        "attendance.read": 10,
        "attendance.roll_read": 10,
        "attendance.export": 10,
        "attendance.mark": 10,
        "intake.update": 10,
        "consent.grant": 10,
        "consent.revoke": 10,
        "enrolment.change": 10,
    }
    # AND each names whose record it was, by id
    reads = AuditEvent.objects.filter(action__in=["intake.read", "attendance.read"])
    assert set(reads.values_list("subject_id", flat=True)) == {member}
    # AND no column of any row holds an answer, a name or an email address
    stored = _everything_stored()
    for text in [*ANSWERS.values(), "round 3"]:
        if len(text) > 8:
            assert text.lower() not in stored, text
    for person in (world.member, world.partner, world.facilitator, world.co_member):
        assert person.email.lower() not in stored
        assert person.display_name.lower() not in stored


def test_the_member_reading_their_own_record_leaves_no_row(client, world):
    # GIVEN the member signed in WHEN they open their own attendance summary
    client.force_login(world.member)
    before = AuditEvent.objects.count()
    url = reverse("attendance:member", args=[world.addict_group.pk, world.member.pk])
    assert client.get(url).status_code == 200
    # THEN nothing is recorded; the same page opened by their facilitator is
    assert AuditEvent.objects.count() == before
    client.force_login(world.facilitator)
    before = AuditEvent.objects.count()
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == before + 1
