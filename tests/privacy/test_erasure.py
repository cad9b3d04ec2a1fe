"""Erasure: identity and free text go, attendance stays only as counts, the audit trail stays
and records the erasure; running it twice changes nothing more."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from attendance.models import Attendance, AttendanceChange, AttendanceLetter
from attendance.selectors import group_overview
from audit import api as audit
from audit.models import AuditEvent
from groups.selectors import stints
from members.models import Couple, Intake, Invitation, SharingConsent
from notifications.models import Notification, Preference
from privacy.models import ErasureRequest, ErasureStatus
from privacy.services import erasure_request_create, erasure_request_decide, member_erase
from sessions.models import RSVP, CalendarFeed
from sessions.services import calendar_feed_make
from tests.privacy.conftest import NOW


def _counts(group):
    overview = group_overview(group, now=NOW)
    return [(row.session.pk, row.headcount, row.marked) for row in overview.sessions]


def test_erasure_removes_identity(world, records):
    # GIVEN a member with a verified address and a calendar feed
    EmailAddress.objects.get_or_create(user=world.member, email=world.member.email)
    calendar_feed_make(user=world.member)
    old_email = world.member.email

    # WHEN they are erased
    member_erase(member=world.member, actor=world.staff)

    # THEN nothing says who they were, and they cannot sign in
    user = world.member
    user.refresh_from_db()
    assert user.email.endswith("@erased.invalid") and old_email not in user.email
    assert user.display_name == "Former member"
    assert user.phone == ""
    assert user.time_zone == settings.CLINIC_TIME_ZONE
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_erasure_removes_free_text_and_leaves_others_alone(world, records):
    member_erase(member=world.member, actor=world.staff)

    # The member's screening, sharing, couple link and preferences are gone...
    assert not Intake.objects.filter(member=world.member).exists()
    assert not SharingConsent.objects.filter(owner=world.member).exists()
    assert not SharingConsent.objects.filter(viewer=world.member).exists()
    assert not Couple.objects.filter(first=world.member).exists()
    assert not Preference.objects.filter(user=world.member).exists()
    # ...their notes, reasons, messages and invitation addresses say nothing...
    assert set(RSVP.objects.filter(member=world.member).values_list("note", flat=True)) == {""}
    record = Attendance.objects.get(pk=records.member_attendance.pk)
    assert record.reason == ""
    assert set(
        AttendanceChange.objects.filter(attendance=record).values_list("new_reason", flat=True)
    ) == {""}
    for row in Notification.objects.filter(recipient=world.member):
        assert (row.title, row.body) == ("", "")
    assert not Invitation.objects.filter(email__iexact="alex@example.org").exists()
    assert AttendanceLetter.objects.get(member=world.member).name_on_letter == "Former member"
    # ...they are on no roster, and hold no seat for a session still to come.
    assert not stints(member=world.member).exists()
    assert not RSVP.objects.filter(member=world.member, session=records.future_session).exists()

    # AND everyone else's records are as they were.
    assert Intake.objects.filter(member=world.partner).get().secrets == "JORDAN-secrets"
    assert Intake.objects.filter(member=world.co_member).exists()
    assert RSVP.objects.get(member=world.co_member).note == "CASEY-rsvp-note"
    assert Attendance.objects.get(pk=records.co_member_attendance.pk).reason == "CASEY-excuse"
    assert Notification.objects.get(recipient=world.co_member).body == "CASEY-body"
    assert stints(member=world.co_member).exists()
    assert stints(member=world.partner).exists()


def test_attendance_stays_as_counts(world, records):
    # GIVEN the group's headcounts before
    before = _counts(world.addict_group)
    assert before and any(marked for _, _, marked in before)

    # WHEN the member is erased
    member_erase(member=world.member, actor=world.staff)

    # THEN every session's headcount and number marked are unchanged
    assert _counts(world.addict_group) == before
    # AND the member is no longer listed by name among the group's members
    names = [s.member.display_name for s in group_overview(world.addict_group, NOW).members]
    assert names == [world.co_member.display_name]


def test_the_audit_trail_stays_and_records_the_erasure(world, records):
    # GIVEN a facilitator read the member's record
    audit.record("intake.read", subject=world.member, actor=world.facilitator)

    member_erase(member=world.member, actor=world.staff)

    # THEN the row is still there, naming the member by their id only
    read = AuditEvent.objects.get(action="intake.read")
    assert read.subject_id == world.member.pk
    # AND the erasure itself is recorded, by whom
    erased = AuditEvent.objects.get(action="privacy.erasure")
    assert (erased.subject_id, erased.actor_id) == (world.member.pk, world.staff.pk)


def test_erasure_is_idempotent(world, records):
    member_erase(member=world.member, actor=world.staff)
    world.member.refresh_from_db()
    placeholder = world.member.email

    member_erase(member=world.member, actor=world.staff)

    world.member.refresh_from_db()
    assert world.member.email == placeholder
    assert world.member.display_name == "Former member"


def test_erasure_ends_the_members_sign_ins(client, world):
    client.force_login(world.member)
    assert client.get(reverse("privacy:record")).status_code == 200

    member_erase(member=world.member, actor=world.staff)

    response = client.get(reverse("privacy:record"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_only_a_members_account_can_be_erased(world):
    with pytest.raises(ValidationError):
        member_erase(member=world.facilitator, actor=world.staff)
    world.facilitator.refresh_from_db()
    assert world.facilitator.is_active


# --- requests and decisions --------------------------------------------------------------


def test_asking_twice_while_waiting_keeps_one_request(world):
    first = erasure_request_create(member=world.member, reason="Moving on")
    again = erasure_request_create(member=world.member)

    assert again.pk == first.pk
    assert ErasureRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="privacy.erasure_request").count() == 1


def test_staff_only_decide_and_only_once(world):
    request = erasure_request_create(member=world.member)
    with pytest.raises(ValidationError):
        erasure_request_decide(request=request, actor=world.facilitator, approve=True)
    erasure_request_decide(request=request, actor=world.staff, approve=False, reason="Not yet")
    with pytest.raises(ValidationError, match="already decided"):
        erasure_request_decide(request=request, actor=world.staff, approve=True)
    world.member.refresh_from_db()
    assert world.member.is_active


def test_staff_approve_and_the_member_is_erased_and_told(
    client, world, records, mailoutbox, django_capture_on_commit_callbacks
):
    # GIVEN a member's pending request
    request = erasure_request_create(member=world.member, reason="Please remove me")
    client.force_login(world.staff)

    # WHEN staff approve it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:review", args=[request.pk]), {"decision": "approve", "reason": ""}
        )

    # THEN it is done, by whom and when, and the member's words are gone
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ErasureStatus.DONE
    assert request.decided_by == world.staff and request.done_at is not None
    assert request.reason == ""
    world.member.refresh_from_db()
    assert world.member.display_name == "Former member"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"privacy.erasure_request", "privacy.erasure_approve", "privacy.erasure"} <= actions
    # AND a discreet email went to the address they had
    assert [m.to for m in mailoutbox] == [["alex@example.org"]]
    assert "erased" in mailoutbox[0].body


def test_staff_refuse_with_a_reason_the_member_reads(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_create(member=world.member)
    client.force_login(world.staff)

    # WHEN staff refuse without a reason, THEN the form says so and nothing changes
    response = client.post(reverse("privacy:review", args=[request.pk]), {"decision": "refuse"})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ErasureStatus.PENDING

    # WHEN they refuse with a reason
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("privacy:review", args=[request.pk]),
            {"decision": "refuse", "reason": "We must keep records until March."},
        )
    request.refresh_from_db()
    assert request.status == ErasureStatus.REFUSED
    # THEN the email only says there is an answer; the member reads it signed in
    assert len(mailoutbox) == 1 and "until March" not in mailoutbox[0].body
    client.force_login(world.member)
    page = client.get(reverse("privacy:erasure", args=[request.pk])).content.decode()
    assert "We must keep records until March." in page
    assert AuditEvent.objects.filter(action="privacy.erasure_refuse").exists()
    world.member.refresh_from_db()
    assert world.member.is_active


def test_a_refused_request_can_be_asked_again(client, world):
    refused = erasure_request_create(member=world.member)
    erasure_request_decide(request=refused, actor=world.staff, approve=False, reason="No")
    client.force_login(world.member)

    response = client.post(reverse("privacy:erasure_new"), {"reason": "", "confirm": "on"})

    assert response.status_code == 302
    assert ErasureRequest.objects.filter(member=world.member, status="pending").count() == 1


def test_asking_needs_the_confirmation(client, world):
    client.force_login(world.member)
    response = client.post(reverse("privacy:erasure_new"), {"reason": "x"})
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_a_pending_request_blocks_nothing(client, world, records):
    erasure_request_create(member=world.member)
    client.force_login(world.member)

    assert client.get(reverse("privacy:export")).status_code == 200
    assert client.get(reverse("members:sharing")).status_code == 200
    # Asking again shows the waiting request instead of a second form.
    response = client.get(reverse("privacy:erasure_new"))
    assert response.status_code == 302


def test_non_staff_cannot_decide(client, world):
    request = erasure_request_create(member=world.member)
    for person in (world.member, world.facilitator, world.co_member):
        client.force_login(person)
        response = client.post(
            reverse("privacy:review", args=[request.pk]), {"decision": "approve"}
        )
        assert response.status_code == 404
        assert client.get(reverse("privacy:queue")).status_code == 404
    request.refresh_from_db()
    assert request.status == ErasureStatus.PENDING


def test_another_members_request_is_404(client, world):
    theirs = erasure_request_create(member=world.co_member, reason="CASEY-reason")
    client.force_login(world.member)

    response = client.get(reverse("privacy:erasure", args=[theirs.pk]))

    assert response.status_code == 404
    assert "CASEY-reason" not in response.content.decode()
