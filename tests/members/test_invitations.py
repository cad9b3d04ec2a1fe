"""invitation_create: who may invite whom, the discreet email, the signed single-use link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError

from groups.models import Enrollment, EnrollmentStatus
from members.models import Invitation, Role
from members.services.invitations import (
    InvitationInvalid,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
    invitation_token,
)
from notifications import delivery, selectors
from notifications.models import Kind, Notification, Status
from tests.factories import GroupFactory, UserFactory

DISCREET_WORDS = ("addict", "partner", "couple", "recovery", "sex", "therapy", "compulsive")


def test_staff_invites_facilitator_and_the_email_is_discreet(
    world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            email="New.Person@Example.org", role=Role.FACILITATOR, invited_by=world.staff
        )
    assert invitation.email == "new.person@example.org"
    assert invitation.group is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject == "Your invitation to Northside Wellbeing"
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "Northside Wellbeing" in text
        for word in DISCREET_WORDS:
            assert word not in text.lower()
    assert invitation_token(invitation).split(":")[0] in message.body


def test_staff_invites_member_into_any_group(world):
    invitation = invitation_create(
        email="a@example.org", role=Role.MEMBER, invited_by=world.staff, group=world.partner_group
    )
    assert invitation.group == world.partner_group


def test_facilitator_invites_member_into_own_group(world):
    invitation = invitation_create(
        email="a@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    assert invitation.invited_by == world.facilitator


@pytest.mark.parametrize(
    ("inviter", "role", "group", "message"),
    [
        ("facilitator", Role.MEMBER, "partner_group", "groups you facilitate"),
        ("facilitator", Role.MEMBER, None, "Choose one of your groups"),
        ("facilitator", Role.FACILITATOR, None, "Only clinic staff can invite facilitators"),
        ("member", Role.MEMBER, "addict_group", "Only clinic staff and facilitators"),
        ("staff", Role.STAFF, None, "facilitators or members only"),
        ("staff", Role.FACILITATOR, "addict_group", "without a group"),
    ],
)
def test_who_may_not_invite(world, inviter, role, group, message):
    with pytest.raises(ValidationError, match=message):
        invitation_create(
            email="a@example.org",
            role=role,
            invited_by=getattr(world, inviter),
            group=getattr(world, group) if group else None,
        )
    assert not Invitation.objects.exists()


def test_bad_address_is_refused_but_an_existing_account_is_not_told_apart(world):
    with pytest.raises(ValidationError, match="valid email"):
        invitation_create(email="not an address", role=Role.MEMBER, invited_by=world.staff)
    # An address with an account is invited like any other (it gets a sign-in notice instead:
    # tests/members/test_invitation_existing_account.py).
    invitation = invitation_create(
        email="ALEX@example.org", role=Role.MEMBER, invited_by=world.staff
    )
    assert invitation.email == "alex@example.org"


def test_archived_group_refused(world):
    group = GroupFactory(
        facilitators=[world.facilitator], archived_at=datetime.datetime.now(datetime.UTC)
    )
    with pytest.raises(ValidationError, match="archived"):
        invitation_create(
            email="a@example.org", role=Role.MEMBER, invited_by=world.facilitator, group=group
        )


def test_new_invitation_replaces_the_pending_one(world):
    first = invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    first.refresh_from_db()
    with pytest.raises(InvitationInvalid, match="revoked"):
        invitation_from_token(invitation_token(first))


def test_token_round_trip_and_tampering(world):
    invitation = invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    assert invitation_from_token(invitation_token(invitation)) == invitation
    token = invitation_token(invitation)
    with pytest.raises(InvitationInvalid, match="tampered"):
        invitation_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(InvitationInvalid, match="tampered"):
        invitation_from_token(signing.dumps("x", salt="other"))


def test_expired_link_is_refused(world, settings):
    settings.INVITATION_MAX_AGE_DAYS = 14
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC), tick=False):
        invitation = invitation_create(
            email="a@example.org", role=Role.MEMBER, invited_by=world.staff
        )
        token = invitation_token(invitation)
    with (
        time_machine.travel(datetime.datetime(2026, 11, 16, tzinfo=datetime.UTC), tick=False),
        pytest.raises(InvitationInvalid, match="expired"),
    ):
        invitation_from_token(token)


def test_accept_gives_role_enrols_and_is_single_use(world):
    invitation = invitation_create(
        email="new@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    user = UserFactory(email="new@example.org", role=Role.FACILITATOR)
    invitation_accept(invitation=invitation, user=user)
    user.refresh_from_db()
    assert user.role == Role.MEMBER
    assert Enrollment.objects.get(group=world.addict_group, member=user).status == (
        EnrollmentStatus.ACTIVE
    )
    with pytest.raises(InvitationInvalid, match="used"):
        invitation_accept(invitation=invitation, user=user)


def test_revoke_by_inviter_or_staff_only(world):
    invitation = invitation_create(
        email="a@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    with pytest.raises(ValidationError, match="cannot withdraw"):
        invitation_revoke(invitation=invitation, actor=world.other_facilitator)
    invitation_revoke(invitation=invitation, actor=world.staff)
    with pytest.raises(InvitationInvalid, match="revoked"):
        invitation_from_token(invitation_token(invitation))


def test_email_link_opens_signup(world, client, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    url = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302


def test_the_email_is_an_outbox_row_sent_once(world, django_capture_on_commit_callbacks):
    """GIVEN an invitation WHEN its outbox row is delivered twice (a redelivered task)
    THEN one email goes out, and the row says sent."""
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = invitation_create(
            email="a@example.org", role=Role.MEMBER, invited_by=world.staff
        )
    assert len(callbacks) == 1  # the dispatcher, nudged after commit
    row = Notification.objects.get(kind=Kind.INVITATION)
    assert (row.recipient, row.address, row.about) == (None, "a@example.org", invitation)
    assert delivery.notification_deliver(row.pk) == "sent"
    assert delivery.notification_deliver(row.pk) == "not claimed"
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert selectors.invitation_email_status(invitation) == "sent"


def test_an_invitation_no_longer_usable_is_not_sent(world):
    invitation = invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    invitation_revoke(invitation=invitation, actor=world.staff)
    row = Notification.objects.get(kind=Kind.INVITATION)
    assert delivery.notification_deliver(row.pk) == "skipped"
    assert mail.outbox == []
    assert selectors.invitation_email_status(invitation) == "not sent"


def test_an_indiscreet_invitation_is_held_back_and_shown_failed(world, settings):
    settings.CLINIC_NAME = "Recovery Partners"
    invitation = invitation_create(email="a@example.org", role=Role.MEMBER, invited_by=world.staff)
    assert selectors.invitation_email_status(invitation) == "waiting"
    row = Notification.objects.get(kind=Kind.INVITATION)
    assert delivery.notification_deliver(row.pk) == "failed"
    assert mail.outbox == []
    assert selectors.invitation_email_status(invitation) == "failed"
