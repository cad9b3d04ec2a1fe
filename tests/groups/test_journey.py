"""The issue's "done when": a facilitator creates one group of each kind, enrols members and a
couple, records an intake; each member then sees exactly what the walls allow."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from groups import services
from groups.models import Enrollment, EnrollmentStatus, Group
from members.models import Intake, Invitation
from members.services.invitations import invitation_accept
from tests.factories import SessionFactory, UserFactory

KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY


def _as(person) -> Client:
    # A fresh browser per person, as in life (and so no one's flash messages carry over).
    client = Client()
    client.force_login(person)
    return client


def _create(client, facilitator, name, kind):
    client.post(
        reverse("groups:create"),
        {
            "name": name,
            "kind": kind,
            "time_zone": "Europe/London",
            "format": "hybrid",
            "address": "1 Calm Street",
            "video_url": "https://meet.example.org/" + kind,
            "capacity": "10",
            "enrolment": "open",
            "roster_visible": "on",
            "absence_follow_up_after": "2",
            "reminder_offsets": "24 hours",
            "facilitators": [facilitator.pk],
        },
    )
    return Group.objects.get(name=name)


def _join_by_invitation(client, group, email, display_name):
    client.post(reverse("members:roster_invite", args=[group.pk]), {"email": email})
    person = UserFactory(email=email, display_name=display_name)
    invitation_accept(invitation=Invitation.objects.get(email=email, group=group), user=person)
    return person


def test_facilitator_builds_three_groups_and_the_walls_hold(db):
    facilitator = UserFactory(facilitator=True, display_name="Fran")
    client = _as(facilitator)
    addict = _create(client, facilitator, "Monday evening", "addict")
    partner = _create(client, facilitator, "Wednesday evening", "partner")
    couples = _create(client, facilitator, "Saturday morning", "couples")

    # Members join by invitation; a couples-group invitee waits until their partner is linked.
    sam = _join_by_invitation(client, addict, "sam@example.org", "Sam")
    kim = _join_by_invitation(client, partner, "kim@example.org", "Kim")
    lee = _join_by_invitation(client, couples, "lee@example.org", "Lee")
    assert Enrollment.objects.get(group=couples, member=lee).status == EnrollmentStatus.INVITED

    # The facilitator links Sam and Kim as a couple and adds the couple to the couples group.
    client.post(reverse("members:couples"), {"first": sam.pk, "second": kim.pk})
    client.post(reverse("groups:roster_add", args=[couples.pk]), {"member": sam.pk})
    assert set(
        Enrollment.objects.filter(group=couples, status=EnrollmentStatus.ACTIVE).values_list(
            "member__display_name", flat=True
        )
    ) == {"Sam", "Kim"}

    # An intake for Sam, recorded for his addict group.
    client.post(
        reverse("members:intake_new", args=[sam.pk]),
        {
            "group": addict.pk,
            "secrets": "Hidden browser",
            "level": "addicted",
            "recommended_kind": "addict",
        },
    )
    assert Intake.objects.get(member=sam).level == "addicted"

    # Kim, Sam's partner, sees the partner and couples groups, never the addict group.
    client = _as(kim)
    body = client.get(reverse("groups:list")).content.decode()
    assert "Wednesday evening" in body and "Saturday morning" in body
    assert "Monday evening" not in body
    assert client.get(reverse("groups:detail", args=[addict.pk])).status_code == 404
    intake = Intake.objects.get(member=sam)
    assert client.get(reverse("members:intake", args=[intake.pk])).status_code == 404

    # Lee, still waiting for a partner, sees the couples group but not where it meets.
    client = _as(lee)
    body = client.get(reverse("groups:detail", args=[couples.pk])).content.decode()
    assert "1 Calm Street" not in body and "meet.example.org" not in body

    # Sam sees the couples group with Kim's name only, and where it meets.
    client = _as(sam)
    body = client.get(reverse("groups:detail", args=[couples.pk])).content.decode()
    assert "Kim" in body and "kim@example.org" not in body
    assert "1 Calm Street" in body


def test_joining_an_ongoing_group_syncs_its_upcoming_sessions(world):
    past = SessionFactory(group=world.addict_group)
    past.starts_at = past.starts_at.replace(year=2020)
    past.ends_at = past.ends_at.replace(year=2020)
    past.save()
    upcoming = SessionFactory(group=world.addict_group)
    newcomer = UserFactory()
    # groups tells notifications.api that the roster changed; it re-syncs each upcoming session.
    with mock.patch("notifications.services.session_reminders_sync", return_value=0) as sync:
        services.enrollment_add(group=world.addict_group, member=newcomer, actor=world.facilitator)
    assert [call.args[0] for call in sync.call_args_list] == [upcoming]
