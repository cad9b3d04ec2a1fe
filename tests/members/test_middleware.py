"""RequireMFAMiddleware and UserTimeZoneMiddleware."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, totp_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _login(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return response


def _reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("trait", ["facilitator", "staff"])
def test_mfa_enforced_until_enrolled(client, db, trait):
    """GIVEN a facilitator or staff member without TOTP WHEN they sign in THEN every page,
    the admin included, sends them to TOTP set-up; set-up itself and sign-out still work."""
    user = UserFactory(**{trait: True}, mfa=False)
    response = _login(client, user)
    setup = reverse("mfa_activate_totp")
    assert client.get(reverse("home")).url == setup
    assert client.get(reverse("account")).url == setup
    assert client.get(reverse("invitations")).url == setup
    assert client.get("/admin/").url == setup
    assert client.get(reverse("usersessions_list")).url == setup

    # allauth asks for the password again before MFA changes; that page is exempt too.
    response = client.get(setup)
    assert response.url.startswith(reverse("account_reauthenticate"))
    _reauthenticate(client)
    page = client.get(setup)
    assert page.status_code == 200
    assert "QR code for your authenticator app" in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    response = client.post(setup, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200

    assert client.post(reverse("account_logout")).url == reverse("account_login")


def test_mfa_not_enforced_for_a_member_who_may_enable_it(client, db):
    member = UserFactory()
    _login(client, member)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account")).status_code == 200
    setup = reverse("mfa_activate_totp")
    _reauthenticate(client)
    assert client.get(setup).status_code == 200
    client.post(setup, {"code": totp_code(client.session["mfa.totp.secret"])})
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def test_admin_sign_in_goes_through_allauth(client, world):
    """The admin's own password form would skip TOTP; it sends people to allauth instead."""
    response = client.get(reverse("admin:login"))
    assert response.url.startswith(reverse("account_login"))
    response = client.post(
        reverse("admin:login"), {"username": world.staff.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_staff_with_totp_reaches_admin(client, world):
    _login(client, world.staff)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get(reverse("admin:index")).status_code == 200


def test_member_cannot_use_admin(client, world):
    client.force_login(world.member)
    assert client.get(reverse("admin:index")).status_code == 302
    # Sent home, not shown a 403 (and no PermissionDenied traceback in the log).
    assert client.get(reverse("admin:login")).url == reverse("home")


@pytest.mark.parametrize(
    ("zone", "expected"), [("America/New_York", "America/New_York"), ("Not/AZone", "UTC")]
)
def test_pages_render_in_the_persons_time_zone(client, db, zone, expected):
    member = UserFactory()
    type(member).objects.filter(pk=member.pk).update(time_zone=zone)
    client.force_login(member)
    seen = {}

    def capture(*args, **kwargs):
        seen["zone"] = timezone.get_current_timezone_name()

    from django.test.signals import template_rendered

    template_rendered.connect(capture)
    try:
        client.get(reverse("home"))
    finally:
        template_rendered.disconnect(capture)
    assert seen["zone"] == expected
