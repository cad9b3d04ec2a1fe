"""allauth as configured for Circle: email login, verification, invitation-only sign-up,
password reset and rate limits."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from groups.models import Enrollment
from members.models import Invitation, Role, User
from members.services.invitations import invitation_create, invitation_token
from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, totp_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signup_data(email, **extra):
    return {
        "email": email,
        "display_name": "Robin",
        "password1": "a long and unusual pass phrase",
        "password2": "a long and unusual pass phrase",
        "time_zone": "Europe/London",
        **extra,
    }


def _invite(world, email="robin@example.org", **kwargs):
    kwargs.setdefault("group", world.addict_group)
    return invitation_create(email=email, role=Role.MEMBER, invited_by=world.facilitator, **kwargs)


# Login and logout


def test_member_logs_in_by_email_and_out(client, world):
    response = _login(client, "ALEX@example.org")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == world.member

    response = client.post(reverse("account_logout"))
    assert response.url == reverse("account_login")
    assert not client.get(reverse("account_login")).context["user"].is_authenticated


def test_wrong_password_is_refused(client, world):
    response = _login(client, world.member.email, "wrong")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_facilitator_logs_in_with_totp(client, world):
    response = _login(client, world.facilitator.email)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.facilitator


# Verification


def test_unverified_address_cannot_sign_in(client, db):
    UserFactory(email="new@example.org", verified=False)
    response = _login(client, "new@example.org")
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # A confirmation email went out instead, naming only the clinic.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Northside Wellbeing: ")
    assert mail.outbox[0].body.rstrip().endswith("Northside Wellbeing")


# Sign-up: by invitation only


def test_signup_without_invitation_is_refused(client, db):
    response = client.get(reverse("account_signup"))
    assert "by invitation" in response.content.decode()
    response = client.post(reverse("account_signup"), _signup_data("robin@example.org"))
    assert "by invitation" in response.content.decode()
    assert not User.objects.filter(email="robin@example.org").exists()


def test_signup_with_invitation(client, world):
    invitation = _invite(world)
    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.url == reverse("account_signup")

    page = client.get(reverse("account_signup")).content.decode()
    assert 'value="robin@example.org"' in page
    assert "readonly" in page

    response = client.post(reverse("account_signup"), _signup_data("robin@example.org"))
    assert response.status_code == 302

    user = User.objects.get(email="robin@example.org")
    assert (user.role, user.display_name) == (Role.MEMBER, "Robin")
    assert Enrollment.objects.filter(group=world.addict_group, member=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # The link proved the mailbox: verified, signed in, no second email.
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("home")).context["user"] == user


def test_signup_must_use_the_invited_address(client, world):
    invitation = _invite(world)
    client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    response = client.post(reverse("account_signup"), _signup_data("other@example.org"))
    assert "Use the address your invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="other@example.org").exists()


def test_facilitator_invitation_gives_the_role(client, world):
    invitation = invitation_create(
        email="fac@example.org", role=Role.FACILITATOR, invited_by=world.staff
    )
    client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    client.post(reverse("account_signup"), _signup_data("fac@example.org"))
    user = User.objects.get(email="fac@example.org")
    assert user.role == Role.FACILITATOR
    # A new facilitator lands on MFA set-up before anything else.
    assert client.get(reverse("home")).url == reverse("mfa_activate_totp")
    # ... and is not asked for the password they typed a moment ago.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert client.session["mfa.totp.secret"] in setup.content.decode()


def test_invitation_used_twice_is_refused(client, world):
    invitation = _invite(world)
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    client.get(url)
    client.post(reverse("account_signup"), _signup_data("robin@example.org"))
    client.post(reverse("account_logout"))

    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    # Nor can the session's stale invitation open sign-up again.
    response = client.post(reverse("account_signup"), _signup_data("robin2@example.org"))
    assert not User.objects.filter(email="robin2@example.org").exists()


def test_expired_invitation_is_refused(client, world):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)):
        invitation = _invite(world)
        url = reverse("invitation_accept", args=[invitation_token(invitation)])
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_invitation_expiring_between_link_and_form_is_refused(client, world):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)):
        invitation = _invite(world)
    with time_machine.travel(datetime.datetime(2026, 11, 14, 12, tzinfo=datetime.UTC)):
        client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    with time_machine.travel(datetime.datetime(2026, 11, 16, 12, tzinfo=datetime.UTC)):
        client.post(reverse("account_signup"), _signup_data("robin@example.org"))
    assert not User.objects.filter(email="robin@example.org").exists()


@pytest.mark.parametrize("token", ["nonsense", "MQ:1abc:def", "a" * 300])
def test_tampered_link_is_a_clear_404(client, db, token):
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 404
    assert "couldn't read this link" in response.content.decode()


def test_revoked_invitation_is_refused(client, world):
    invitation = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created_at)
    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_open_signup_setting_allows_signup_with_verification(client, db, settings):
    settings.OPEN_SIGNUP = True
    response = client.post(reverse("account_signup"), _signup_data("robin@example.org"))
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="robin@example.org")
    assert user.role == Role.MEMBER
    assert not EmailAddress.objects.get(user=user).verified


# Password reset and rate limits


def test_password_reset_sends_a_discreet_email(client, world):
    response = client.post(reverse("account_reset_password"), {"email": world.member.email})
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Northside Wellbeing: ")
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_logins_are_rate_limited(client, world):
    for _ in range(5):
        _login(client, world.member.email, "wrong")
    response = _login(client, world.member.email)  # even the right password now waits
    assert "Too many failed login attempts" in response.content.decode()
    assert not client.get(reverse("account_login")).context["user"].is_authenticated


def test_password_reset_is_rate_limited(client, world):
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": world.member.email})
    response = client.post(reverse("account_reset_password"), {"email": world.member.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_signing_up_asks_the_time_zone_and_keeps_it(client, world):
    # GIVEN an invitation opened in a browser (the page pre-selects the browser's zone)
    client.get(reverse("invitation_accept", args=[invitation_token(_invite(world))]))
    page = client.get(reverse("account_signup")).content.decode()
    assert "data-browser-time-zone" in page and "js/time-zone.js" in page
    # WHEN they sign up choosing New York
    client.post(
        reverse("account_signup"),
        _signup_data("robin@example.org", time_zone="America/New_York"),
    )
    # THEN their account shows times in New York
    assert User.objects.get(email="robin@example.org").time_zone == "America/New_York"
