"""'Your record' writes each date with the month in the member's language and the time the
way every other page does (it read "30 Nov 2026, 11:12" on a French page)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from audit import api as audit

pytestmark = pytest.mark.django_db

OPENED = datetime.datetime(2026, 11, 30, 11, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "30 November 2026, 11:12 am"), ("fr", "30 novembre 2026, 11 h 12")],
)
def test_who_opened_the_record_is_dated_in_the_members_language(client, world, language, shown):
    with time_machine.travel(OPENED, tick=False):
        audit.record("intake.read", subject=world.member, actor=world.facilitator)
    world.member.language = language
    world.member.time_zone = "Europe/London"
    world.member.save(update_fields=["language", "time_zone"])
    client.force_login(world.member)
    with translation.override(language):
        page = client.get(reverse("privacy:record")).content.decode()
    assert f">{shown}</time>" in page
    assert "Nov 2026" not in page
