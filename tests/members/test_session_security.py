"""Sign-in sessions: idle timeout, absolute lifetime, the per-person stamp that a password
change, "sign out everywhere else", an MFA change and disabling an account all change, and
allauth's re-authentication before changing email, password or two-step sign-in."""

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.crypto import salted_hmac

from audit.models import AuditEvent
from members.middleware import (
    BACKGROUND_HEADER,
    IDLE_MESSAGE,
    LAST_SEEN_AT,
    LIFETIME_MESSAGE,
    SIGNED_IN_AT,
)
from members.models import User
from members.services import security
from sessions.links import SALT, rsvp_token
from tests.factories import SessionFactory
from tests.factories.members import TEST_PASSWORD, enable_totp

START = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "a completely new passphrase 2026"


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _sign_in(user) -> Client:
    """A browser signed in through allauth's own form (members have no second step)."""
    browser = Client()
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return browser


def _sign_in_here(client, user) -> None:
    """Signed in, then the page the sign-in redirects to: the clocks start there."""
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def _reauthenticate(browser) -> None:
    response = browser.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def _rsvp_link(member, session) -> str:
    return reverse("scheduling:link", kwargs={"token": rsvp_token(member, session, "going")})


def _link_refused(client, url) -> bool:
    response = client.get(url)
    return response.status_code == 400 and "This link no longer works" in response.text


# Idle timeout and absolute lifetime ---------------------------------------------------------


def test_idle_timeout_signs_a_facilitator_out_and_keeps_next(client, world):
    upcoming = reverse("scheduling:upcoming")
    with time_machine.travel(START, tick=False) as traveller:
        # GIVEN a facilitator who signed in and used a page
        client.force_login(world.facilitator)
        assert client.get(upcoming).status_code == 200
        # WHEN 29 minutes pass, they are still signed in (and that use restarts the clock)
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(upcoming).status_code == 200
        # WHEN then 31 minutes pass without activity
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get(upcoming)
        # THEN they are signed out and sent to sign in, coming back to the same page after
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={upcoming}"
        assert not _signed_in(client)
        page = client.get(response.url)
        assert str(IDLE_MESSAGE) in page.text
        event = AuditEvent.objects.get(action="auth.session_expired")
        assert (event.subject_id, event.detail) == (world.facilitator.pk, {"why": "idle"})


def test_a_member_is_still_signed_in_after_an_hour_but_not_after_two(client, world):
    upcoming = reverse("scheduling:upcoming")
    with time_machine.travel(START, tick=False) as traveller:
        # GIVEN a member who signed in (and landed on a page, as the browser does)
        _sign_in_here(client, world.member)
        # WHEN an hour passes without activity THEN they are still signed in
        traveller.shift(datetime.timedelta(minutes=60))
        assert client.get(upcoming).status_code == 200
        # WHEN a further two hours and a minute pass THEN they are signed out
        traveller.shift(datetime.timedelta(minutes=121))
        assert client.get(upcoming).status_code == 302
        assert not _signed_in(client)


def test_idle_limits_come_from_settings(client, world, settings):
    settings.SESSION_IDLE_TIMEOUT_MEMBER_MINUTES = 10
    with time_machine.travel(START, tick=False) as traveller:
        _sign_in_here(client, world.member)
        traveller.shift(datetime.timedelta(minutes=11))
        assert client.get(reverse("scheduling:upcoming")).status_code == 302


def test_absolute_lifetime_ends_even_an_active_sign_in(client, world):
    upcoming = reverse("scheduling:upcoming")
    hours = settings.SESSION_ABSOLUTE_LIFETIME_HOURS
    with time_machine.travel(START, tick=False) as traveller:
        # GIVEN a member who signed in and uses Circle every hour
        _sign_in_here(client, world.member)
        for _ in range(hours):
            traveller.shift(datetime.timedelta(minutes=60))
            assert client.get(upcoming).status_code == 200
        # WHEN the lifetime has passed, however active they are
        traveller.shift(datetime.timedelta(minutes=1))
        response = client.get(upcoming)
        # THEN they are signed out, told why
        assert response.status_code == 302
        assert not _signed_in(client)
        assert str(LIFETIME_MESSAGE) in client.get(response.url).text


def test_signing_in_again_does_not_inherit_an_old_clock(client, world):
    # GIVEN a browser whose session still holds clocks from a day ago
    client.force_login(world.member)
    session = client.session
    day_ago = int(START.timestamp()) - 24 * 3600
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = day_ago
    session.save()
    with time_machine.travel(START, tick=False):
        # WHEN the same person signs in again in it (Django keeps the session's data)
        client.force_login(world.member)
        # THEN the new sign-in is not ended by the old clock
        assert client.get(reverse("scheduling:upcoming")).status_code == 200
        assert client.session[SIGNED_IN_AT] == int(START.timestamp())


def test_the_cookie_lasts_no_longer_than_the_lifetime():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_LIFETIME_HOURS * 3600
    assert settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES == 30
    assert settings.SESSION_IDLE_TIMEOUT_MEMBER_MINUTES == 120


def test_background_requests_do_not_keep_a_sign_in_alive(client, world):
    upcoming = reverse("scheduling:upcoming")
    with time_machine.travel(START, tick=False) as traveller:
        # GIVEN a facilitator whose page refreshes itself in the background every 10 minutes
        _sign_in_here(client, world.facilitator)
        for _ in range(3):
            traveller.shift(datetime.timedelta(minutes=10))
            assert client.get(upcoming, headers={BACKGROUND_HEADER[5:]: "1"}).status_code == 200
        # WHEN 31 minutes have passed since they last did anything themselves
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        # THEN they are signed out
        assert client.get(upcoming).status_code == 302


def test_an_expired_sign_in_still_opens_an_rsvp_link_as_a_visitor(client, world):
    session = SessionFactory(group=world.addict_group)
    with time_machine.travel(START, tick=False) as traveller:
        _sign_in_here(client, world.member)
        traveller.shift(datetime.timedelta(hours=3))
        # A page that needs no sign-in works (the link is the key); the sign-in has ended.
        url = _rsvp_link(world.member, session)
        assert client.get(url).status_code == 200
        assert not _signed_in(client)


# The stamp ---------------------------------------------------------------------------------


def test_an_empty_stamp_keeps_djangos_own_hash(world):
    """Accounts from before the stamp existed keep their sessions across the deploy."""
    user = world.member
    user.session_stamp = ""
    djangos = salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
        user.password,
        algorithm="sha256",
    ).hexdigest()
    assert user.get_session_auth_hash() == djangos


def test_disabling_and_enabling_an_account_does_not_revive_an_old_cookie(world):
    upcoming = reverse("scheduling:upcoming")
    # GIVEN a member signed in on one browser, and staff in the admin on another
    old = _sign_in(world.member)
    assert old.get(upcoming).status_code == 200
    assert UserSession.objects.filter(user=world.member).exists()
    admin = Client()
    admin.force_login(world.staff)
    changelist = reverse("admin:members_user_changelist")
    # WHEN staff disable the account, then enable it again
    for action in ("disable_accounts", "enable_accounts"):
        response = admin.post(changelist, {"action": action, "_selected_action": [world.member.pk]})
        assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.is_active
    # THEN the old browser is signed out, and its session is gone from the list and the store
    assert old.get(upcoming).status_code == 302
    assert not _signed_in(old)
    assert not UserSession.objects.filter(user=world.member).exists()
    # AND the member can sign in again afresh
    assert _sign_in(world.member).get(upcoming).status_code == 200
    # AND the audit trail says who did it to whom
    actions = AuditEvent.objects.filter(subject_id=world.member.pk, actor_id=world.staff.pk)
    assert set(actions.values_list("action", flat=True)) >= {"account.disable", "account.enable"}


def test_unticking_active_in_the_admin_form_goes_through_the_service(world):
    old = Client()
    old.force_login(world.member)
    stamp = User.objects.get(pk=world.member.pk).session_stamp
    admin = Client()
    admin.force_login(world.staff)
    url = reverse("admin:members_user_change", args=[world.member.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        groups=[], user_permissions=[], is_active="", is_staff="", is_superuser="", password=""
    )
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"
    data["last_login_0"] = data["last_login_1"] = ""
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = User.objects.get(pk=world.member.pk)
    assert not member.is_active
    assert member.session_stamp != stamp
    security.account_enable(member)
    assert old.get(reverse("scheduling:upcoming")).status_code == 302


def test_a_password_change_ends_other_sessions_and_rsvp_links_but_not_this_one(world):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.member, session)
    upcoming = reverse("scheduling:upcoming")
    # GIVEN the member signed in on a phone and a laptop, with a reminder link in their inbox
    here, elsewhere = _sign_in(world.member), _sign_in(world.member)
    # WHEN they change their password on the laptop
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # THEN the laptop stays signed in, the phone is signed out, the old link no longer works
    assert here.get(upcoming).status_code == 200
    assert elsewhere.get(upcoming).status_code == 302
    assert _link_refused(Client(), link)
    # AND the phone's session is gone from "Where you're signed in"
    assert UserSession.objects.filter(user=world.member).count() == 1
    # AND a link sent from now on works
    world.member.refresh_from_db()
    assert Client().get(_rsvp_link(world.member, session)).status_code == 200


def test_a_password_reset_ends_every_session_and_link(world, mailoutbox):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.member, session)
    elsewhere = _sign_in(world.member)
    stamp = User.objects.get(pk=world.member.pk).session_stamp
    visitor = Client()
    visitor.post(reverse("account_reset_password"), {"email": world.member.email})
    (message,) = mailoutbox
    reset_url = next(word for word in message.body.split() if "/password/reset/key/" in word)
    form_url = visitor.get(reset_url).url
    response = visitor.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=world.member.pk).session_stamp != stamp
    assert elsewhere.get(reverse("scheduling:upcoming")).status_code == 302
    assert _link_refused(Client(), link)


def test_sign_out_everywhere_else_ends_other_sessions_and_rsvp_links_but_not_this_one(world):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.member, session)
    upcoming = reverse("scheduling:upcoming")
    # GIVEN the member signed in on two browsers
    here, elsewhere = _sign_in(world.member), _sign_in(world.member)
    assert elsewhere.get(upcoming).status_code == 200
    # WHEN they press "Sign out everywhere else" on one
    response = here.post(reverse("usersessions_list"))
    assert response.status_code == 302
    # THEN that one stays signed in, the other is signed out, the emailed link stops working
    assert here.get(upcoming).status_code == 200
    assert elsewhere.get(upcoming).status_code == 302
    assert _link_refused(Client(), link)
    (kept,) = UserSession.objects.filter(user=world.member)
    assert kept.session_key == here.session.session_key
    assert AuditEvent.objects.filter(
        action="auth.logout_everywhere", subject_id=world.member.pk
    ).exists()


def test_sign_out_everywhere_else_with_no_other_listed_session_still_kills_links(world):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.member, session)
    here = _sign_in(world.member)
    assert UserSession.objects.filter(user=world.member).count() == 1
    page = here.get(reverse("usersessions_list"))
    assert "Sign out everywhere else" in page.text
    here.post(reverse("usersessions_list"))
    assert _link_refused(Client(), link)
    assert here.get(reverse("scheduling:upcoming")).status_code == 200


# allauth sends its MFA signals on commit: with real transactions, that is mid-request, as live.
@pytest.mark.django_db(transaction=True)
def test_an_mfa_change_ends_other_sessions_and_rsvp_links_but_not_this_one(world):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.facilitator, session)
    upcoming = reverse("scheduling:upcoming")
    # GIVEN a facilitator signed in on two browsers (two-step sign-in already on)
    here, elsewhere = Client(), Client()
    here.force_login(world.facilitator)
    elsewhere.force_login(world.facilitator)
    assert elsewhere.get(upcoming).status_code == 200
    # WHEN they make new recovery codes on one (after giving their password again)
    _reauthenticate(here)
    response = here.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    # THEN that browser stays signed in, the other does not, and the link stops working
    assert here.get(upcoming).status_code == 200
    assert elsewhere.get(upcoming).status_code == 302
    assert _link_refused(Client(), link)


def test_turning_two_step_sign_in_off_ends_other_sessions(world):
    # GIVEN a member with two-step sign-in on, signed in on two browsers
    member = world.member
    enable_totp(member)
    here, elsewhere = Client(), Client()
    here.force_login(member)
    elsewhere.force_login(member)
    # WHEN they turn it off on one
    _reauthenticate(here)
    response = here.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    # THEN only that browser stays signed in
    assert here.get(reverse("scheduling:upcoming")).status_code == 200
    assert elsewhere.get(reverse("scheduling:upcoming")).status_code == 302


def test_links_emailed_before_the_stamp_existed_work_until_it_first_changes(world):
    session = SessionFactory(group=world.addict_group)
    User.objects.filter(pk=world.member.pk).update(session_stamp="")
    world.member.refresh_from_db()
    legacy = signing.dumps({"m": world.member.pk, "s": session.pk, "a": "going"}, salt=SALT)
    url = reverse("scheduling:link", kwargs={"token": legacy})
    assert Client().get(url).status_code == 200
    security.end_other_sessions(world.member)
    assert _link_refused(Client(), url)


def test_a_forged_link_key_is_refused(world):
    session = SessionFactory(group=world.addict_group)
    forged = signing.dumps(
        {"m": world.member.pk, "s": session.pk, "a": "going", "k": "0" * 20}, salt=SALT
    )
    assert _link_refused(Client(), reverse("scheduling:link", kwargs={"token": forged}))


# Re-authentication (allauth's) ---------------------------------------------------------------


def test_changing_email_asks_for_the_password_again(client, world):
    # GIVEN a member signed in long enough ago that allauth no longer counts it as recent
    client.force_login(world.member)
    # WHEN they add a new address
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new-address@example.org"}
    )
    # THEN they are asked for their password first, and nothing changes yet
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not world.member.emailaddress_set.filter(email="new-address@example.org").exists()


@pytest.mark.parametrize("page", ["mfa_activate_totp", "mfa_generate_recovery_codes"])
def test_two_step_changes_ask_for_the_password_again(client, world, page):
    user = world.member if page == "mfa_activate_totp" else world.facilitator
    client.force_login(user)
    response = client.post(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_changing_the_password_needs_the_current_one(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    world.member.refresh_from_db()
    assert world.member.check_password(TEST_PASSWORD)


def test_links_survive_a_secret_key_rotation(world, settings):
    session = SessionFactory(group=world.addict_group)
    link = _rsvp_link(world.member, session)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test-0123456789"
    assert Client().get(link).status_code == 200
