"""Builders for measures rows (the instruments themselves come from the data migration)."""

import datetime
import json

import factory
from django.utils import timezone

from measures.models import (
    Alert,
    Cadence,
    CheckIn,
    CheckInShare,
    Instrument,
    Milestone,
    Prompt,
    Response,
    ResponseStatus,
    Schedule,
)
from tests.factories.groups import GroupFactory
from tests.factories.members import UserFactory


def instrument(slug: str = "phq-9") -> Instrument:
    return Instrument.objects.get(slug=slug)


def phq9_answers(total_without_item9: int = 0, item9: int = 0) -> dict:
    """PHQ-9 answers as posted: items 1-8 carry `total_without_item9`, item 9 its own."""
    answers, left = {}, total_without_item9
    for n in range(1, 9):
        answers[f"phq9_{n}"] = str(min(3, left))
        left -= min(3, left)
    answers["phq9_9"] = str(item9)
    return answers


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    instrument = factory.LazyFunction(instrument)
    group = factory.SubFactory(GroupFactory)
    cadence = Cadence.EVERY_SESSION
    every = 1
    starts_on = datetime.date(2026, 1, 1)


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prompt

    schedule = factory.SubFactory(ScheduleFactory)
    member = factory.SubFactory(UserFactory)
    slot = factory.Sequence(lambda n: f"week:test-{n}")
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))


class ResponseFactory(factory.django.DjangoModelFactory):
    """A sent PHQ-9 with a total of 6 (Mild), no flag."""

    class Meta:
        model = Response

    member = factory.SubFactory(UserFactory)
    instrument = factory.LazyFunction(instrument)
    status = ResponseStatus.SUBMITTED
    answers = factory.LazyFunction(
        lambda: json.dumps({k: int(v) for k, v in phq9_answers(6).items()})
    )
    total = "6"
    band = "Mild"
    submitted_at = factory.LazyFunction(timezone.now)


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    response = factory.SubFactory(ResponseFactory)
    member = factory.SelfAttribute("response.member")
    group = factory.SubFactory(GroupFactory)


class CheckInShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckInShare

    owner = factory.SubFactory(UserFactory)
    viewer = factory.SubFactory(UserFactory)
    item = "check_ins"


class CheckInFactory(factory.django.DjangoModelFactory):
    """A weekly check-in, one week apart per row unless `week` is given (a Monday)."""

    class Meta:
        model = CheckIn

    member = factory.SubFactory(UserFactory)
    week = factory.Sequence(lambda n: datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n))
    mood = "3"
    urges = "1"
    helped = "A walk after work."
    note = "A steady week."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    member = factory.SubFactory(UserFactory)
    name = "Since I started"
    since = "2026-01-05"
