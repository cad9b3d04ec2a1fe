import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import AbsenceFollowUp, Attendance, Mark
from members.models import SharingConsent
from tests.attendance.conftest import TUESDAYS
from tests.factories import EnrollmentFactory, RSVPFactory, UserFactory

pytestmark = pytest.mark.django_db

# Words that would tell a passer-by what kind of group this is.
KIND_WORDS = re.compile(r"addict|recovery|partner group|couples|sexual|porn", re.I)


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def notified(monkeypatch):
    calls = []
    monkeypatch.setattr("notifications.api.absence_follow_up_opened", calls.append)
    return calls


def test_roll_page_for_the_facilitator(world, history, client):
    session = history.sessions[TUESDAYS[3]]  # 27 Jan: world.member was between stints
    client.force_login(world.facilitator)
    response = client.get(reverse("attendance:roll", args=[session.pk]))

    assert response.status_code == 200
    html = _text(response)
    assert "Casey" in html and "Alex" not in html
    assert 'name="mark" value="present"' in html
    assert "http://" not in html and "https://" not in html  # nothing third-party
    assert not KIND_WORDS.search(html)


def test_marking_and_correcting_through_the_page(world, history, client, notified):
    session = history.sessions[TUESDAYS[7]]
    client.force_login(world.facilitator)
    url = reverse("attendance:mark", args=[session.pk, world.co_member.pk])

    response = client.post(url, {"mark": "excused", "reason": ""})
    assert response.status_code == 302
    assert Attendance.objects.get(session=session, member=world.co_member).mark == Mark.LATE

    client.post(url, {"mark": "excused", "reason": "Childcare"})
    response = client.get(reverse("attendance:roll", args=[session.pk]))
    html = _text(response)
    assert "Childcare" in html and "Changes (1)" not in html  # fixture rows have no history
    record = Attendance.objects.get(session=session, member=world.co_member)
    assert (record.mark, record.reason, record.marked_by) == (
        Mark.EXCUSED,
        "Childcare",
        world.facilitator,
    )
    assert record.changes.get().old_mark == Mark.LATE

    response = client.post(url, {"mark": "bogus"}, follow=True)
    assert "Choose present" in _text(response)


def test_marking_someone_not_active_that_day_is_refused(world, history, client):
    session = history.sessions[TUESDAYS[3]]
    client.force_login(world.facilitator)
    url = reverse("attendance:mark", args=[session.pk, world.member.pk])
    # Not on that day's roll: 404, naming nobody (tests/attendance/test_roll_scope.py).
    response = client.post(url, {"mark": "present"}, follow=True)
    assert response.status_code == 404 and "Alex" not in _text(response)
    assert not Attendance.objects.filter(session=session, member=world.member).exists()
    missing = reverse("attendance:mark", args=[session.pk, 999999])
    assert client.post(missing, {"mark": "present"}).status_code == 404


def test_mark_going_button(world, history, client, notified):
    session = history.future
    client.force_login(world.facilitator)
    url = reverse("attendance:mark_going", args=[session.pk])
    response = client.post(url, follow=True)
    assert "day of the session" in _text(response)

    session = history.sessions[TUESDAYS[6]]  # 17 Feb: co_member not marked yet
    RSVPFactory(session=session, member=world.co_member)
    client.post(reverse("attendance:mark_going", args=[session.pk]))
    assert Attendance.objects.get(session=session, member=world.co_member).mark == Mark.PRESENT


def test_group_page_shows_chart_table_and_follow_up_flag(world, history, client, notified):
    client.force_login(world.facilitator)
    # A second unexcused absence in a row for world.member (after 24 Feb) raises the flag.
    client.post(
        reverse("attendance:mark", args=[history.future.pk, world.member.pk]), {"mark": "absent"}
    )
    session = history.sessions[TUESDAYS[6]]
    client.post(reverse("attendance:mark", args=[session.pk, world.member.pk]), {"mark": "absent"})
    assert len(notified) == 1

    response = client.get(reverse("attendance:group", args=[world.addict_group.pk]))
    html = _text(response)
    assert "<svg" in html and 'class="chart-line"' in html
    assert "Needs a follow-up" in html
    assert "60%" not in html  # the 17 Feb correction changed Alex's figures
    assert not KIND_WORDS.search(html)

    follow_up = AbsenceFollowUp.objects.get()
    response = client.post(reverse("attendance:follow_up_done", args=[follow_up.pk]))
    assert response.status_code == 302
    assert "Needs a follow-up" not in _text(client.get(response.url))


def test_empty_group_page_says_what_to_do(world, client, frozen):
    client.force_login(world.other_facilitator)
    response = client.get(reverse("attendance:group", args=[world.couples_group.pk]))
    html = _text(response)
    assert "No sessions have taken place yet" in html
    assert "No members yet" in html


def test_csv_export(world, history, client):
    evil = UserFactory(display_name="=HYPERLINK(1)")
    EnrollmentFactory(group=world.addict_group, member=evil)
    client.force_login(world.facilitator)
    url = reverse("attendance:export", args=[world.addict_group.pk])
    response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-02-28"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-20260201-20260228.csv"'
    )
    rows = list(csv.reader(io.StringIO(_text(response))))
    assert rows[0] == ["date", "start", "minutes", "member", "attendance", "reason"]
    alex = [r for r in rows if r[3] == "Alex"]
    assert [r[4] for r in alex] == ["Present", "Left early", "Excused", "Absent"]
    assert ["2026-02-17", "19:00", "90", "Casey", "Not recorded", ""] in rows
    assert all(r[0] != "2026-02-12" for r in rows)  # the cancelled session
    assert "'=HYPERLINK(1)" in {r[3] for r in rows}

    response = client.get(url, {"date_from": "2026-03-01", "date_to": "2026-02-01"}, follow=True)
    assert "on or before" in _text(response)


def test_member_sees_own_summary_and_history(world, history, client):
    client.force_login(world.member)
    response = client.get(
        reverse("attendance:member", args=[world.addict_group.pk, world.member.pk])
    )
    html = _text(response)
    assert response.context["summary"].rate == 60
    assert "Your attendance" in html and "Unwell" in html


def test_shared_summary_follows_consent_at_once(world, history, client):
    """GIVEN the member shares with their partner WHEN the partner looks THEN they see the
    figures (not the reasons); WHEN the consent is revoked THEN the next request is a 404."""
    url = reverse("attendance:member", args=[world.addict_group.pk, world.member.pk])
    consent = SharingConsent.objects.create(
        owner=world.member, viewer=world.partner, group=world.addict_group
    )
    client.force_login(world.partner)

    response = client.get(url)
    assert response.status_code == 200
    html = _text(response)
    assert "Alex's attendance" in html and "60%" in html
    assert "Unwell" not in html and "letter" not in html.lower()
    assert "Alex" in _text(client.get(reverse("attendance:index")))
    # Only that member and that group.
    other = reverse("attendance:member", args=[world.addict_group.pk, world.co_member.pk])
    assert client.get(other).status_code == 404

    consent.revoked_at = timezone.now()
    consent.revoked_by = world.member
    consent.save()
    assert client.get(url).status_code == 404
    assert "Alex" not in _text(client.get(reverse("attendance:index")))


def test_consent_for_another_group_shows_nothing(world, history, client):
    SharingConsent.objects.create(
        owner=world.member, viewer=world.partner, group=world.couples_group
    )
    client.force_login(world.partner)
    url = reverse("attendance:member", args=[world.addict_group.pk, world.member.pk])
    assert client.get(url).status_code == 404


def test_index_lists_own_groups_including_past_ones(world, history, client):
    EnrollmentFactory(group=world.partner_group, member=world.member, status="left")
    client.force_login(world.member)
    html = _text(client.get(reverse("attendance:index")))
    assert "Tuesday evening" in html and "Thursday evening" in html
    client.force_login(world.outsider)
    assert "Once you join a group" in _text(client.get(reverse("attendance:index")))


def test_home_panel_lists_follow_ups_for_facilitators_only(world, history, client):
    enrollment = history.second_stint
    AbsenceFollowUp.objects.create(
        enrollment=enrollment, threshold_session=history.sessions[TUESDAYS[7]], absences=2
    )
    client.force_login(world.facilitator)
    html = _text(client.get(reverse("home")))
    assert "Check in with" in html and "missed 2 in a row" in html
    for someone in (world.member, world.other_facilitator):
        client.force_login(someone)
        assert "Check in with" not in _text(client.get(reverse("home")))
