"""'Your record': who opened or changed the member's record, as roles; whom they share with."""

import datetime
import re

import time_machine
from django.urls import reverse

from audit import api as audit
from members.services.consent import consent_grant


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("privacy:record"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_member_sees_roles_not_names(client, world):
    # GIVEN their facilitator, staff and another group's facilitator opened their record
    audit.record("intake.read", subject=world.member, actor=world.facilitator)
    audit.record("attendance.read", subject=world.member, actor=world.staff)
    audit.record("attendance.read", subject=world.member, actor=world.other_facilitator)
    # AND someone else's record was opened too
    audit.record("intake.read", subject=world.co_member, actor=world.facilitator)

    page = _page(client, world.member)

    # THEN each shows by role, with what they did
    assert "A facilitator of your group" in page
    assert "Clinic staff" in page
    assert "A facilitator." in page
    assert page.count("<li><time") == 3
    # AND no name is given
    for person in (world.facilitator, world.staff, world.other_facilitator):
        assert person.display_name not in page


def test_the_clinic_may_show_names(client, world, settings):
    settings.PRIVACY_SHOW_ACTOR_NAMES = True
    audit.record("intake.read", subject=world.member, actor=world.facilitator)

    page = _page(client, world.member)

    assert f"A facilitator of your group ({world.facilitator.display_name})" in page


def test_nobody_looked(client, world):
    page = _page(client, world.member)
    assert "Nobody but you has opened or changed your record" in page


def test_whom_they_share_with_links_to_the_sharing_page(client, world):
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)

    page = _page(client, world.member)

    assert f"{world.partner.display_name} sees your attendance for" in page
    assert reverse("members:sharing") in page
    assert reverse("privacy:export") in page
    assert reverse("privacy:erasure_new") in page


def test_the_account_page_links_members_to_their_record(client, world):
    client.force_login(world.member)
    assert reverse("privacy:record") in client.get(reverse("account")).content.decode()
    client.force_login(world.facilitator)
    assert reverse("privacy:record") not in client.get(reverse("account")).content.decode()


def test_staff_find_the_queue_in_their_navigation(client, world):
    client.force_login(world.staff)
    assert reverse("privacy:queue") in client.get(reverse("account")).content.decode()
    client.force_login(world.member)
    assert reverse("privacy:queue") not in client.get(reverse("account")).content.decode()


def test_an_evening_of_reads_is_one_line_a_day_in_the_members_zone(client, world):
    # GIVEN a member in New York whose facilitator opened their notes twelve times one
    # evening (across midnight in UTC), staff once that evening, and the facilitator once
    # the next day
    world.member.time_zone = "America/New_York"
    world.member.save(update_fields=["time_zone"])
    evening = datetime.datetime(2026, 11, 30, 23, 0, tzinfo=datetime.UTC)  # 6 pm in New York
    for minutes in range(0, 240, 20):  # the last at 9:40 pm New York, 02:40 UTC the next day
        _opened_at(world.member, world.facilitator, evening + datetime.timedelta(minutes=minutes))
    _opened_at(world.member, world.staff, evening + datetime.timedelta(minutes=30))
    _opened_at(world.member, world.facilitator, evening + datetime.timedelta(days=1))

    with time_machine.travel(evening + datetime.timedelta(days=2), tick=False):
        page = _page(client, world.member)

    # THEN the evening is one line for the facilitator, one for staff, and the next day one
    line = r'<li><time[^>]*>([^<]*)</time>: ([^.]*)\. <span class="muted">([^<]*)</span>'
    facilitator = "A facilitator of your group"
    assert re.findall(line, page) == [
        ("1 December 2026, 6 pm", facilitator, "Opened a screening."),
        ("30 November 2026, 9:40 pm", facilitator, "Opened a screening (12 times that day)."),
        ("30 November 2026, 6:30 pm", "Clinic staff", "Opened a screening."),
    ]


def _opened_at(subject, actor, at) -> None:
    with time_machine.travel(at, tick=False):
        audit.record("intake.read", subject=subject, actor=actor)
