"""manage.py seed_demo: idempotent, verified, TOTP for staff and facilitators."""

from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from attendance.models import Attendance
from groups.models import Enrollment, EnrollmentStatus, Group, GroupKind
from members.models import Couple, Role, User
from notifications.models import Kind, Notification
from referrals.models import OPEN_STATUSES, Referral
from sessions.models import Session


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_complete(settings):
    settings.DEMO_PASSWORD = "another demo password"
    first = _seed()
    models = (User, Group, Enrollment, Couple, Authenticator, Session)
    counts = [model.objects.count() for model in models]
    second = _seed()
    assert [model.objects.count() for model in models] == counts
    assert first == second  # same secrets, same lines

    assert set(Group.objects.values_list("kind", flat=True)) == set(GroupKind.values)
    assert User.objects.filter(role=Role.STAFF).count() == 1
    assert User.objects.filter(role=Role.FACILITATOR).count() == 2
    for user in User.objects.all():
        assert user.check_password("another demo password")
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
        has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
        assert has_totp == user.requires_mfa
        assert user.email in first  # one line per account

    couple = Couple.objects.get()
    couples_group = Group.objects.get(kind=GroupKind.COUPLES)
    both = Enrollment.objects.filter(group=couples_group, status=EnrollmentStatus.ACTIVE)
    assert set(both.values_list("member", flat=True)) == {couple.first_id, couple.second_id}
    assert first.count("TOTP secret") == 3
    for group in Group.objects.all():
        assert Session.objects.filter(group=group).exists()  # weekly sessions ahead


@pytest.mark.django_db
def test_seed_demo_names_the_groups_the_readme_lists():
    # GIVEN the README's table of demo accounts
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    # WHEN the demo is seeded
    out = _seed()
    # THEN each account's line names the groups the README gives it
    for email, groups in [
        ("fran@example.com", ["Harbour group"]),
        ("olly@example.com", ["Willow group", "Oak group"]),
        ("alex@example.com", ["Harbour group", "Oak group"]),
        ("morgan@example.com", ["Willow group"]),
    ]:
        line = next(line for line in out.splitlines() if email in line)
        readme_row = next(row for row in readme.splitlines() if f"`{email}`" in row)
        for name in groups:
            assert name in line
            assert name in readme_row


@pytest.mark.django_db
def test_the_demo_has_half_a_year_of_sessions_with_roll_taken():
    # WHEN the demo is seeded (twice)
    _seed()
    marks = Attendance.objects.count()
    _seed()
    # THEN every group has 26 held sessions behind it, each with its roll taken, once
    for group in Group.objects.all():
        past = Session.objects.filter(group=group, starts_at__lt=timezone.now())
        assert past.count() == 26
        assert not past.filter(attendance_records__isnull=True).exists()
    assert Attendance.objects.count() == marks > 0


@pytest.mark.django_db
def test_nobody_in_the_demo_has_two_sessions_at_once():
    # WHEN the demo is seeded
    _seed()
    # THEN no member and no facilitator has two sessions that overlap (Alex is in two
    # groups, Olly runs two)
    for person in User.objects.exclude(role=Role.STAFF):
        mine = Session.objects.filter(
            Q(group__enrollments__member=person) | Q(group__facilitators=person)
        ).distinct()
        spans = sorted(mine.values_list("starts_at", "ends_at"))
        assert len(spans) > 26, person.email
        for (_start, end), (next_start, _end) in zip(spans, spans[1:], strict=False):
            assert next_start >= end, (person.email, next_start)


@pytest.mark.django_db
def test_the_demo_has_two_requests_waiting_for_a_call_and_writes_to_nobody(mailoutbox):
    # WHEN the demo is seeded (twice)
    _seed()
    _seed()
    # THEN staff find two open requests on their Requests page, one of them taken by staff
    staff = User.objects.get(role=Role.STAFF)
    requests = Referral.objects.order_by("pk")
    assert [r.name for r in requests] == ["Robin", "Dee"]
    assert all(r.status in OPEN_STATUSES for r in requests)
    assert [r.taken_by for r in requests] == [None, staff]
    # AND neither asked for a written message, so none was sent or queued
    assert not any(r.message_ok for r in requests)
    assert mailoutbox == []
    assert not Notification.objects.filter(kind=Kind.REFERRAL_ACK).exists()
