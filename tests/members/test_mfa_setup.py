"""Setting up two-step sign-in: the setup key stays put across reloads, and the QR code is
drawn by Circle itself (an inline image, no request to anyone)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, totp_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_the_setup_key_survives_a_reload_until_confirmed(client, db):
    # GIVEN a new facilitator on the set-up page (password confirmed)
    user = UserFactory(facilitator=True, mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    setup = reverse("mfa_activate_totp")
    first = client.get(setup)
    key = client.session["mfa.totp.secret"]
    assert key in first.content.decode()
    # WHEN they reload the page (their phone was slow to scan)
    again = client.get(setup).content.decode()
    # THEN the key and the QR code are the same, drawn inline
    assert client.session["mfa.totp.secret"] == key
    assert key in again
    assert 'src="data:image/svg+xml;base64,' in again
    # AND a code from the app set up with the first key is accepted
    response = client.post(setup, {"code": totp_code(key)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "mfa.totp.secret" not in client.session
