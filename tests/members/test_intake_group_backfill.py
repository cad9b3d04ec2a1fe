"""The data migration that gives existing intakes their group: only where one answer is certain
(the member's group the recorder ran when the intake was recorded); otherwise none, and only
staff and the recorder read it."""

import datetime
import importlib

import pytest
from django.apps import apps

from groups.models import EnrollmentStatus
from members.models import Intake
from tests.factories import EnrollmentFactory, GroupFactory
from tests.factories.groups import IntakeFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("members.migrations.0008_intake_group_backfill").backfill


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="


def _old_intake(member, recorded_by, created_at=None):
    """An intake as rows older than the field are: no group. By default recorded just now,
    after the world's stints began."""
    created_at = created_at or datetime.datetime.now(datetime.UTC)
    return IntakeFactory(member=member, recorded_by=recorded_by, created_at=created_at, group=None)


def _group_after_backfill(intake):
    backfill(apps, None)
    return Intake.objects.get(pk=intake.pk).group


def test_the_one_group_the_recorder_ran_is_set(world):
    # GIVEN an old intake Fran recorded for Alex, who was then in her group only
    intake = _old_intake(world.member, world.facilitator)
    # WHEN the migration runs THEN its group is Fran's group
    assert _group_after_backfill(intake) == world.addict_group


def test_two_candidate_groups_leave_it_empty(world):
    # GIVEN Fran also ran a second group Alex was in when she recorded the intake
    second = GroupFactory(facilitators=[world.facilitator])
    EnrollmentFactory(group=second, member=world.member)
    intake = _old_intake(
        world.member, world.facilitator, created_at=datetime.datetime.now(datetime.UTC)
    )
    # WHEN the migration runs THEN the group stays empty (ambiguous)
    assert _group_after_backfill(intake) is None


def test_a_stint_begun_later_or_ended_before_does_not_count(world):
    # GIVEN an intake recorded before Alex's stint row existed
    early = _old_intake(
        world.member,
        world.facilitator,
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    # AND Casey, who had left Fran's group before her intake was recorded
    stint = world.co_member.enrollments.get()
    stint.status, stint.left_on = EnrollmentStatus.LEFT, datetime.date(2020, 1, 1)
    stint.created_at = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    stint.save()
    after_leaving = _old_intake(
        world.co_member, world.facilitator, created_at=datetime.datetime.now(datetime.UTC)
    )
    # WHEN the migration runs THEN neither gets a group
    assert _group_after_backfill(early) is None
    assert _group_after_backfill(after_leaving) is None


def test_a_recorder_who_ran_none_of_the_members_groups_leaves_it_empty(world):
    # GIVEN an intake staff recorded (staff are named facilitator of no group here)
    intake = _old_intake(world.member, world.staff, created_at=datetime.datetime.now(datetime.UTC))
    # WHEN the migration runs THEN it has no group: staff and the recorder read it
    assert _group_after_backfill(intake) is None


def test_an_intake_with_a_group_is_left_alone(world):
    # GIVEN an intake already recorded for the couples group
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.couples_group
    )
    # WHEN the migration runs THEN it keeps its group
    assert _group_after_backfill(intake) == world.couples_group
