"""Private check-ins and milestone; a member shares them (never scores) with their partner or
a facilitator, per item, revocable at once, audited, seen only while the share lasts."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from measures import services
from measures.models import CheckIn, CheckInShare, ShareItem
from measures.selectors import export_member
from tests.factories.measures import ResponseFactory
from tests.measures.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def alex_writes(world, frozen):
    services.checkin_save(
        member=world.member, mood="4", urges="1", helped="a long walk", note="hard Friday"
    )
    services.milestone_save(
        member=world.member, name="Clear days", since=datetime.date(2026, 10, 31)
    )
    ResponseFactory(member=world.member, total="19", band="Moderately severe")


def test_check_ins_and_milestone_are_private_until_shared(world, alex_writes, client):
    # GIVEN Alex keeps a check-in and a milestone; nothing shared
    shared_url = reverse("measures:shared", args=[world.member.pk])
    client.force_login(world.partner)
    assert client.get(shared_url).status_code == 404
    # WHEN Alex shares check-ins with Jordan, their partner
    share = services.share_grant(
        owner=world.member, viewer=world.partner, item=ShareItem.CHECK_INS, actor=world.member
    )
    # THEN Jordan sees the check-ins, not the milestone, never a score
    page = client.get(shared_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "a long walk" in html and "hard Friday" in html
    assert "Clear days" not in html and "Moderately severe" not in html
    assert not re.search(r"\b19\b", html)  # the score (a random token may hold "19")
    assert AuditEvent.objects.filter(
        action="measure.shared_read", actor_id=world.partner.pk, subject_id=world.member.pk
    ).exists()
    # WHEN Alex also shares the milestone, Jordan sees the days
    services.share_grant(
        owner=world.member, viewer=world.partner, item=ShareItem.MILESTONE, actor=world.member
    )
    assert "30</strong> days: Clear days" in client.get(shared_url).content.decode()
    # WHEN Alex stops sharing check-ins, Jordan no longer sees them at once
    services.share_revoke(share=share, actor=world.member)
    html = client.get(shared_url).content.decode()
    assert "a long walk" not in html and "Clear days" in html
    # ...and with the milestone stopped too, the page is gone
    services.share_revoke(
        share=CheckInShare.objects.get(item=ShareItem.MILESTONE, revoked_at__isnull=True),
        actor=world.member,
    )
    assert client.get(shared_url).status_code == 404
    changes = AuditEvent.objects.filter(action="consent.change", subject_id=world.member.pk)
    assert changes.count() == 4


def test_only_the_partner_or_a_facilitator_can_be_chosen(world, frozen):
    for stranger in (world.co_member, world.outsider, world.other_facilitator):
        with pytest.raises(ValidationError):
            services.share_grant(
                owner=world.member, viewer=stranger, item=ShareItem.CHECK_INS, actor=world.member
            )
    share = services.share_grant(
        owner=world.member, viewer=world.facilitator, item=ShareItem.MILESTONE, actor=world.member
    )
    assert share.viewer == world.facilitator
    # ...scores are not an item that can be shared
    with pytest.raises(ValidationError):
        services.share_grant(
            owner=world.member, viewer=world.partner, item="scores", actor=world.member
        )


def test_sharing_page_grants_and_revokes(world, client, frozen):
    client.force_login(world.member)
    page = client.get(reverse("measures:sharing")).content.decode()
    assert "Jordan" in page and "Fran" in page and "Casey" not in page
    client.post(reverse("measures:sharing"), {"viewer": world.partner.pk, "item": "check_ins"})
    share = CheckInShare.objects.get()
    client.post(reverse("measures:share_revoke", args=[share.pk]))
    share.refresh_from_db()
    assert share.revoked_at == NOW
    # a posted stranger is a form error, not a share
    page = client.post(
        reverse("measures:sharing"), {"viewer": world.outsider.pk, "item": "check_ins"}
    )
    assert page.status_code == 200 and CheckInShare.objects.count() == 1
    # the members' sharing page links here
    assert reverse("measures:sharing") in client.get(reverse("members:sharing")).content.decode()


def test_check_in_form_and_milestone_validation(world, client, frozen):
    client.force_login(world.member)
    url = reverse("measures:checkins")
    assert client.post(url, {"checkin-mood": "9"}).status_code == 200  # a form error
    client.post(url, {"checkin-mood": "3", "checkin-note": "ok"})
    client.post(url, {"checkin-mood": "2"})  # same week: updates, no second row
    assert [c.mood for c in CheckIn.objects.filter(member=world.member)] == ["2"]
    page = client.post(
        reverse("measures:milestone"), {"milestone-name": "x", "milestone-since": "2027-01-01"}
    )
    assert page.status_code == 200 and "already come" in page.content.decode()


def test_own_export_and_erasure(world, alex_writes):
    services.share_grant(
        owner=world.member, viewer=world.partner, item=ShareItem.CHECK_INS, actor=world.member
    )
    exported = export_member(world.member.pk)
    assert exported["check_ins"][0]["helped"] == "a long walk"
    assert exported["milestone"]["name"] == "Clear days"
    assert exported["answers"][0]["score"] == 19
    assert exported["shares"][0]["with"] == "Jordan"
    services.forget_member(world.member.pk)
    services.forget_member(world.member.pk)
    assert export_member(world.member.pk) == {
        "answers": [],
        "check_ins": [],
        "milestone": None,
        "shares": [],
    }
