import datetime

import pytest
from django.urls import reverse

from attendance.letters import format_code, letter_pdf, letter_sentence
from attendance.models import AttendanceLetter, Mark
from attendance.services import attendance_letter_issue
from members.models import SharingConsent
from tests.attendance.conftest import TUESDAYS

pytestmark = pytest.mark.django_db

JAN_1, FEB_28 = datetime.date(2026, 1, 1), datetime.date(2026, 2, 28)


def _issue(world, **extra):
    options = {"date_from": JAN_1, "date_to": FEB_28, "name_on_letter": ""} | extra
    return attendance_letter_issue(
        group=world.addict_group, member=world.member, actor=world.member, **options
    )


def test_letter_figures_match_the_records(world, history):
    """GIVEN the hand-built history WHEN a letter for Jan-Feb is issued
    THEN it certifies exactly the sessions attended (present, late, left early), with durations."""
    letter = _issue(world)

    assert letter.sessions_attended == 3
    assert [e["date"] for e in letter.sessions] == [
        TUESDAYS[0].isoformat(),
        TUESDAYS[4].isoformat(),
        TUESDAYS[5].isoformat(),
    ]
    assert [e["minutes"] for e in letter.sessions] == [90, 90, 90]
    assert letter.total_minutes == 270
    assert letter.name_on_letter == "Alex"
    # A narrower range certifies fewer.
    assert _issue(world, date_from=datetime.date(2026, 2, 4)).sessions_attended == 1


def test_letter_is_discreet_unless_asked(world, history):
    discreet = letter_sentence(_issue(world))
    assert discreet == (
        "This letter confirms that Alex attended 3 group sessions at Northside Wellbeing "
        "between 1 January 2026 and 28 February 2026, 4 hours 30 minutes in total."
    )
    named = letter_sentence(_issue(world, name_programme=True, name_on_letter="Alex Smith"))
    assert "3 sessions of the recovery group “Tuesday evening”" in named
    assert "Alex Smith" in named


def test_pdf_renders_any_name(world, history):
    pdf = letter_pdf(_issue(world, name_on_letter="Zoë 王 Ærø"))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_bad_ranges_are_refused(world, history, client):
    client.force_login(world.member)
    url = reverse("attendance:letter", args=[world.addict_group.pk, world.member.pk])
    for first, last in [("2026-02-01", "2026-01-01"), ("2026-01-01", "2027-01-01"), ("x", "")]:
        response = client.post(url, {"date_from": first, "date_to": last})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not AttendanceLetter.objects.exists()


def test_member_downloads_a_neutrally_named_pdf(world, history, client):
    client.force_login(world.member)
    url = reverse("attendance:letter", args=[world.addict_group.pk, world.member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date_from": "2026-01-01", "date_to": "2026-02-28"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    letter = AttendanceLetter.objects.get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="letter-{letter.code.lower()}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert letter.issued_by == world.member


def test_facilitator_issues_for_a_member_but_others_cannot(world, history, client):
    url = reverse("attendance:letter", args=[world.addict_group.pk, world.member.pk])
    data = {"date_from": "2026-01-01", "date_to": "2026-02-28", "name_programme": "on"}
    client.force_login(world.facilitator)
    assert client.post(url, data).status_code == 200
    assert AttendanceLetter.objects.get().issued_by == world.facilitator

    SharingConsent.objects.create(
        owner=world.member, viewer=world.partner, group=world.addict_group
    )
    for someone in (world.co_member, world.partner, world.other_facilitator):
        client.force_login(someone)
        assert client.post(url, data).status_code == 404
    assert AttendanceLetter.objects.count() == 1


def test_staff_check_the_verification_code(world, history, client):
    letter = _issue(world)
    client.force_login(world.staff)
    url = reverse("attendance:verify")

    typed = format_code(letter.code).lower().replace("-", " ")  # as read off the paper
    response = client.get(url, {"code": typed})
    assert response.context["letter"] == letter
    assert response.context["still_matches"] is True
    assert "3 group sessions" in response.content.decode()

    response = client.get(url, {"code": "NOPE-NOPE-NOPE"})
    assert response.context["letter"] is None
    assert "No letter has this code" in response.content.decode()

    # A later correction inside the range shows the letter no longer matches the records.
    record = history.sessions[TUESDAYS[0]].attendance_records.get(member=world.member)
    record.mark = Mark.ABSENT
    record.save()
    assert client.get(url, {"code": letter.code}).context["still_matches"] is False


def test_only_staff_verify(world, history, client):
    letter = _issue(world)
    for someone in (world.facilitator, world.member):
        client.force_login(someone)
        response = client.get(reverse("attendance:verify"), {"code": letter.code})
        assert response.status_code == 404
