"""audit.api.record: what a row holds, what it never holds, and how it fails."""

import logging
from unittest import mock

import pytest
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from audit import api as audit
from audit.models import AppendOnlyError, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request(user=None, **meta):
    request = RequestFactory().get("/", **meta)
    if user is not None:
        request.user = user
    return request


def test_a_row_holds_actor_role_subject_target_ip_and_agent(world):
    # GIVEN a facilitator's request from a browser
    request = _request(world.facilitator, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/1")
    token = audit.bind_request(request)
    try:
        # WHEN they open a member's screening
        audit.record("intake.read", subject=world.member, target="members.intake", target_id=9)
    finally:
        audit.unbind_request(token)
    # THEN the row names who, whose, what, from where, by id
    event = AuditEvent.objects.get()
    assert event.actor_id == world.facilitator.pk
    assert event.actor_role == "facilitator"
    assert event.subject_id == world.member.pk
    assert (event.action, event.target, event.target_id) == ("intake.read", "members.intake", "9")
    assert (event.outcome, event.ip, event.user_agent) == ("ok", "203.0.113.7", "Firefox/1")


def test_outside_a_request_there_is_no_actor_unless_given(world):
    # GIVEN no request (a Celery task, a command) WHEN a change is recorded
    audit.record("enrolment.add", subject=world.member.pk)
    audit.record("enrolment.add", subject=world.member.pk, actor=world.staff.pk)
    # THEN the first row has no actor; the second snapshots the given actor's role
    first, second = AuditEvent.objects.order_by("pk")
    assert (first.actor_id, first.actor_role, first.ip) == (None, "", None)
    assert (second.actor_id, second.actor_role) == (world.staff.pk, "staff")


def test_the_subject_reading_their_own_record_leaves_no_row(world):
    # GIVEN a member WHEN they read their own attendance THEN nothing is recorded
    audit.record("attendance.read", subject=world.member, actor=world.member)
    assert not AuditEvent.objects.exists()
    # BUT their own changes are recorded, and so is someone else's read
    audit.record("consent.grant", subject=world.member, actor=world.member)
    audit.record("attendance.read", subject=world.member, actor=world.facilitator)
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("pk")) == [
        "consent.grant",
        "attendance.read",
    ]


@pytest.mark.parametrize(
    "detail",
    [
        {"email": "alex@example.org"},
        {"answer": "I hide it from my partner"},
        {"nested": {"a": 1}},
        {"Bad Key": 1},
        {"names": ["two words"]},
    ],
)
def test_strict_mode_refuses_text_in_detail(world, settings, detail):
    settings.AUDIT_STRICT = True
    with pytest.raises(audit.AuditError):
        audit.record("intake.read", subject=world.member, actor=world.staff, detail=detail)
    assert not AuditEvent.objects.exists()


def test_strict_mode_refuses_an_unknown_action(world, settings):
    settings.AUDIT_STRICT = True
    with pytest.raises(audit.AuditError, match="unknown action"):
        audit.record("intake.peek", subject=world.member)


def test_in_production_a_bad_call_is_logged_and_the_row_kept_without_the_text(
    world, settings, caplog
):
    # GIVEN strict mode off (production) WHEN a call carries text and an unknown code
    settings.AUDIT_STRICT = False
    with caplog.at_level(logging.WARNING, logger="audit.api"):
        audit.record(
            "intake.peek",
            subject=world.member,
            actor=world.staff,
            detail={"email": "alex@example.org", "group": 3},
        )
    # THEN the row is written, without the text, and the problem is logged (without it too)
    event = AuditEvent.objects.get()
    assert (event.action, event.detail) == ("intake.peek", {"group": 3})
    assert "unknown action" in caplog.text
    assert "alex@example.org" not in caplog.text


def test_in_production_a_failed_insert_never_reaches_the_caller(world, settings, caplog):
    # GIVEN strict mode off and a database that refuses the insert
    settings.AUDIT_STRICT = False
    # WHEN a change is recorded inside the caller's transaction
    with (
        mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")),
        caplog.at_level(logging.ERROR, logger="audit.api"),
        transaction.atomic(),
    ):
        audit.record("attendance.mark", subject=world.member, actor=world.facilitator)
        # THEN the caller carries on, its transaction still usable
        assert UserFactory().pk
    assert "Could not record the audit event attendance.mark" in caplog.text


def test_in_strict_mode_a_failed_insert_raises(world, settings):
    settings.AUDIT_STRICT = True
    with (
        mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        audit.record("attendance.mark", subject=world.member, actor=world.facilitator)


def test_a_change_rolls_back_with_its_transaction(world):
    # GIVEN a change recorded inside a transaction WHEN the transaction rolls back
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("attendance.mark", subject=world.member, actor=world.facilitator)
        raise RuntimeError("the write failed")
    # THEN its audit row goes too: the trail never claims a change that did not happen
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("count", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "198.51.100.1"),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"},
            "203.0.113.9",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.3"},
            "203.0.113.9",
        ),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "10.0.0.3"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-ip"}, None),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "[2001:db8::1]:443"},
            "2001:db8::1",
        ),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, count, meta, expected):
    # GIVEN n trusted proxies WHEN a request arrives through them
    settings.TRUSTED_PROXY_COUNT = count
    # THEN the client is the address our outermost proxy saw; what the client sent is ignored
    assert audit.client_ip(_request(**meta)) == expected


def test_a_long_user_agent_is_cut(world):
    token = audit.bind_request(_request(world.staff, HTTP_USER_AGENT="x" * 2000))
    try:
        audit.record("audit.view")
    finally:
        audit.unbind_request(token)
    assert len(AuditEvent.objects.get().user_agent) == audit.USER_AGENT_MAX


def test_rows_cannot_be_changed_or_deleted_through_the_orm(world):
    # GIVEN a row WHEN code tries to change or delete it, one by one or in bulk THEN it is refused
    audit.record("auth.login", subject=world.member, actor=world.member)
    event = AuditEvent.objects.get()
    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="auth.logout")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "auth.login"
