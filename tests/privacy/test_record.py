"""'Your record': who opened or changed the member's record, as roles; whom they share with."""

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
