"""Consented sharing: one named person sees one group's attendance summary, until revoked."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import SharingConsent
from members.selectors_privacy import consent_allows
from members.services.consent import consent_grant, consent_revoke

GRANTED = datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)
REVOKED = datetime.datetime(2026, 4, 8, 9, tzinfo=datetime.UTC)


def test_without_consent_the_partner_sees_nothing(world):
    assert not consent_allows(world.partner, world.member, world.addict_group)


def test_grant_and_revoke_are_recorded_with_time_and_actor(world):
    with time_machine.travel(GRANTED, tick=False):
        consent = consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    assert (consent.granted_at, consent.granted_by) == (GRANTED, world.member)
    assert consent_allows(world.partner, world.member, world.addict_group)
    with time_machine.travel(REVOKED, tick=False):
        consent_revoke(consent=consent, actor=world.member)
    consent.refresh_from_db()
    assert (consent.revoked_at, consent.revoked_by) == (REVOKED, world.member)
    assert not consent_allows(world.partner, world.member, world.addict_group)


def test_consent_is_for_that_viewer_and_that_group_only(world):
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    assert not consent_allows(world.co_member, world.member, world.addict_group)
    assert not consent_allows(world.partner, world.member, world.partner_group)
    assert not consent_allows(world.member, world.partner, world.addict_group)


def test_one_named_person_per_group(world):
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    with pytest.raises(ValidationError, match="already share this group with Jordan"):
        consent_grant(owner=world.member, viewer=world.co_member, group=world.addict_group)


def test_cannot_share_a_group_one_is_not_in(world):
    with pytest.raises(ValidationError, match="a group you are in"):
        consent_grant(owner=world.member, viewer=world.partner, group=world.partner_group)


def test_nobody_else_can_grant_for_the_member(world):
    with pytest.raises(ValidationError):
        consent_grant(
            owner=world.member, viewer=world.partner, group=world.addict_group, actor=world.partner
        )
    assert not SharingConsent.objects.exists()


def test_grant_and_revoke_change_what_the_partner_sees_at_once(client, world):
    # GIVEN the partner's sharing page shows nothing shared
    client.force_login(world.partner)
    assert "Alex shares" not in client.get(reverse("members:sharing")).content.decode()
    # WHEN the member shares their Tuesday group with the partner
    client.force_login(world.member)
    response = client.post(
        reverse("members:sharing"), {"viewer": world.partner.pk, "group": world.addict_group.pk}
    )
    assert response.status_code == 302
    # THEN the partner sees it on their very next request
    client.force_login(world.partner)
    body = client.get(reverse("members:sharing")).content.decode()
    assert "Alex shares their attendance for Tuesday evening with you." in body
    assert consent_allows(world.partner, world.member, world.addict_group)
    # ...and still cannot open the group itself
    assert client.get(reverse("groups:detail", args=[world.addict_group.pk])).status_code == 404
    # WHEN the member stops sharing
    client.force_login(world.member)
    consent = SharingConsent.objects.get()
    client.post(reverse("members:sharing_revoke", args=[consent.pk]))
    # THEN it is gone for the partner at once
    client.force_login(world.partner)
    assert "Alex shares" not in client.get(reverse("members:sharing")).content.decode()
    assert not consent_allows(world.partner, world.member, world.addict_group)


def test_sharing_page_offers_only_the_partner_and_visible_co_members(client, world):
    client.force_login(world.member)
    body = client.get(reverse("members:sharing")).content.decode()
    assert "Jordan" in body and "Casey" in body
    for hidden in ("Morgan", "Quinn", "Thursday evening", "jordan@example.org"):
        assert hidden not in body


def test_someone_elses_consent_cannot_be_revoked(client, world):
    consent = consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    client.force_login(world.partner)
    response = client.post(reverse("members:sharing_revoke", args=[consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_sharing_with_someone_outside_ones_circle_is_refused(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("members:sharing"), {"viewer": world.outsider.pk, "group": world.addict_group.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not SharingConsent.objects.exists()
