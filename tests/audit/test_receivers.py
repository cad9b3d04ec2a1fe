"""Signing in and out, failed sign-ins, two-step sign-in and passwords reach the audit trail
through allauth's own pages, and nothing typed is stored."""

import json

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.members import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a different horse, battery and staple"


def _actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def _row_text(event) -> str:
    return json.dumps(model_to_dict(event), default=str)


def _sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_and_sign_out_are_recorded(client, world):
    # GIVEN a member WHEN they sign in and out
    _sign_in(client, world.member.email)
    client.post(reverse("account_logout"))
    # THEN both are recorded against their account, with the address they came from
    login, logout = AuditEvent.objects.order_by("pk")
    assert (login.action, login.actor_id, login.subject_id) == (
        "auth.login",
        world.member.pk,
        world.member.pk,
    )
    assert login.ip == "127.0.0.1"
    assert (logout.action, logout.subject_id) == ("auth.logout", world.member.pk)


def test_a_failed_sign_in_names_the_account_by_id_never_the_typed_address(client, world):
    # GIVEN a wrong password for a real account, and an address nobody has
    _sign_in(client, world.member.email, "wrong password")
    _sign_in(client, "nobody-here@example.org", "wrong password")
    # THEN each is recorded as failed, with no actor
    known, unknown = AuditEvent.objects.order_by("pk")
    assert (known.action, known.outcome, known.actor_id) == ("auth.login_failed", "failed", None)
    assert known.subject_id == world.member.pk
    assert (unknown.subject_id, unknown.detail) == (None, {"known_account": False})
    # AND no column of either row holds what was typed
    for event in (known, unknown):
        text = _row_text(event)
        for typed in (world.member.email, "nobody-here@example.org", "wrong password"):
            assert typed not in text


def _reauthenticate(client):
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})


def test_turning_two_step_sign_in_on_and_off_is_recorded(
    client, db, django_capture_on_commit_callbacks
):
    # GIVEN a member turning on an authenticator app through allauth's page
    member = UserFactory()
    client.force_login(member)
    _reauthenticate(client)
    setup = reverse("mfa_activate_totp")
    client.get(setup)
    # allauth sends its signal once the enrolment is committed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(setup, {"code": totp_code(client.session["mfa.totp.secret"])})
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    # WHEN they turn it off again (allauth's own removal flow, as its deactivate page runs it)
    request = RequestFactory().post("/")
    request.user, request.session = member, SessionStore()
    delete_and_cleanup(request, Authenticator.objects.get(user=member, type="totp"))
    assert not Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    # THEN both are recorded, naming the kind of authenticator only
    added = AuditEvent.objects.filter(action="auth.mfa_add", subject_id=member.pk)
    assert added.filter(detail__type="totp").exists()
    removed = AuditEvent.objects.filter(action="auth.mfa_remove", subject_id=member.pk)
    assert removed.filter(detail__type="totp").exists()
    removed = removed.first()
    assert "secret" not in _row_text(removed)


def test_a_wrong_two_step_code_is_recorded_as_failed(client, world):
    # GIVEN a facilitator past the password step WHEN they type a wrong code
    _sign_in(client, world.facilitator.email)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    # THEN the failure is recorded against their account (and no sign-in)
    failed = AuditEvent.objects.get(action="auth.mfa_failed")
    assert (failed.subject_id, failed.outcome) == (world.facilitator.pk, "failed")
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_password_change_is_recorded_without_the_password(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="auth.password_change")
    assert (changed.actor_id, changed.subject_id) == (world.member.pk, world.member.pk)
    assert NEW_PASSWORD not in _row_text(changed)
    assert TEST_PASSWORD not in _row_text(changed)
