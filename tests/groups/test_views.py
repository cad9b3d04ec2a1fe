"""Group pages: what each person sees, forms that refuse bad input, roster actions."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from groups import listings
from groups.models import Enrollment, EnrollmentStatus, Group, GroupKind
from members.models import Invitation
from sessions.models import SessionStatus
from sessions.selectors import with_next_session
from tests.factories import CoupleFactory, EnrollmentFactory, SessionFactory, UserFactory

NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
KIND_WORDS = ("addict", "Recovery group", "Partner group", "Couples group", "couples")


@pytest.fixture
def member_client(client, world):
    client.force_login(world.member)
    return client


@pytest.fixture
def facilitator_client(client, world):
    client.force_login(world.facilitator)
    return client


@time_machine.travel(NOW, tick=False)
def test_my_groups_shows_each_groups_next_session_not_cancelled(member_client, world):
    SessionFactory(
        group=world.addict_group,
        starts_at=datetime.datetime(2026, 11, 30, 19, tzinfo=datetime.UTC),
        status=SessionStatus.CANCELLED,
    )
    SessionFactory(
        group=world.addict_group,
        starts_at=datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC),
    )
    SessionFactory(group=world.partner_group)
    response = member_client.get(reverse("groups:list"))
    body = response.content.decode()
    assert "Tuesday evening" in body
    assert "Tuesday 1 December, 7 pm" in body
    assert "Thursday evening" not in body
    assert "Monday 30 November" not in body


@time_machine.travel(NOW, tick=False)
def test_member_groups_is_one_query(django_assert_num_queries, world):
    SessionFactory(group=world.addict_group)
    # 1: the member's groups, each annotated (by the page's sessions tag) with its next
    # session by subquery
    with django_assert_num_queries(1):
        groups = list(with_next_session(listings.member_groups(world.member)))
    assert [g.next_session_starts_at for g in groups] == [
        datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
    ]


def test_group_page_shows_co_members_names_never_contact_or_kind(member_client, world):
    world.co_member.phone = "+44 7700 900123"
    world.co_member.save()
    body = member_client.get(reverse("groups:detail", args=[world.addict_group.pk])).content
    body = body.decode()
    assert "Casey" in body
    assert "12 Quiet Lane" in body
    for secret in ("casey@example.org", "7700 900123", "fran@example.org", *KIND_WORDS):
        assert secret not in body


def test_hidden_roster_shows_no_names(member_client, world):
    world.addict_group.roster_visible = False
    world.addict_group.save()
    body = member_client.get(reverse("groups:detail", args=[world.addict_group.pk])).content
    assert b"Casey" not in body


def test_invited_member_sees_no_address_or_link(client, world):
    invited = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=invited, status=EnrollmentStatus.INVITED)
    world.addict_group.video_url = "https://meet.example.org/tuesday"
    world.addict_group.save()
    client.force_login(invited)
    body = client.get(reverse("groups:detail", args=[world.addict_group.pk])).content.decode()
    assert "12 Quiet Lane" not in body
    assert "meet.example.org" not in body
    assert "Casey" not in body


def test_facilitator_sees_the_kind(facilitator_client, world):
    body = facilitator_client.get(reverse("groups:detail", args=[world.addict_group.pk]))
    assert "Recovery group" in body.content.decode()


def _form(**overrides):
    data = {
        "name": "Friday lunchtime",
        "kind": GroupKind.PARTNER,
        "time_zone": "America/New_York",
        "format": "online",
        "video_url": "https://meet.example.org/friday",
        "capacity": "8",
        "enrolment": "open",
        "roster_visible": "on",
        "absence_follow_up_after": "2",
        "reminder_offsets": "1 day, 2 hours",
    }
    data.update(overrides)
    return data


def test_facilitator_creates_a_group(facilitator_client, world):
    response = facilitator_client.post(
        reverse("groups:create"), _form(facilitators=[world.facilitator.pk])
    )
    group = Group.objects.get(name="Friday lunchtime")
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    assert group.reminder_offsets == [1440, 120]
    assert list(group.facilitators.all()) == [world.facilitator]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"time_zone": "Nowhere/Special"}, "Select a valid choice"),
        ({"video_url": "http://meet.example.org/friday"}, "must start with https://"),
        ({"video_url": ""}, "An online group needs a video link."),
        ({"format": "in_person", "video_url": ""}, "An in-person group needs an address."),
        ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "after the start date"),
        ({"reminder_offsets": "soon"}, "is not a time we understand"),
        ({"capacity": "-3"}, "greater than or equal to 0"),
    ],
)
def test_group_form_refuses_bad_input_with_a_clear_message(
    facilitator_client, world, overrides, message
):
    response = facilitator_client.post(
        reverse("groups:create"), _form(facilitators=[world.facilitator.pk], **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Group.objects.filter(name="Friday lunchtime").exists()


def test_edit_refuses_capacity_below_active_enrolment(facilitator_client, world):
    url = reverse("groups:edit", args=[world.addict_group.pk])
    data = _form(
        name="Tuesday evening",
        kind=GroupKind.ADDICT,
        capacity="1",
        facilitators=[world.facilitator.pk],
    )
    response = facilitator_client.post(url, data)
    assert "2 people are enrolled now" in response.content.decode()
    world.addict_group.refresh_from_db()
    assert world.addict_group.capacity is None
    assert world.addict_group.format == "in_person"


def test_roster_lists_contacts_for_the_facilitator(facilitator_client, world):
    body = facilitator_client.get(reverse("groups:roster", args=[world.addict_group.pk]))
    assert "casey@example.org" in body.content.decode()


def test_roster_leave_then_add_again_makes_a_second_stint(facilitator_client, world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    facilitator_client.post(
        reverse("groups:enrollment_change", args=[world.addict_group.pk, stint.pk]),
        {"action": "leave"},
    )
    facilitator_client.post(
        reverse("groups:roster_add", args=[world.addict_group.pk]), {"member": world.member.pk}
    )
    statuses = list(
        Enrollment.objects.filter(group=world.addict_group, member=world.member)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["left", "active"]


def test_roster_add_refuses_half_a_couple_with_a_message(client, world):
    single = UserFactory(display_name="Sasha")
    EnrollmentFactory(group=world.partner_group, member=single)
    client.force_login(world.other_facilitator)
    url = reverse("groups:roster_add", args=[world.couples_group.pk])
    response = client.post(url, {"member": single.pk})
    # Only people with a linked partner are offered, so the lone person is not a valid choice.
    assert response.status_code == 400
    assert not Enrollment.objects.filter(group=world.couples_group).exists()


def test_roster_add_couple_enrols_both(client, world):
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        EnrollmentFactory(group=world.partner_group, member=person)
    CoupleFactory(first=first, second=second, linked_by=world.other_facilitator)
    client.force_login(world.other_facilitator)
    client.post(reverse("groups:roster_add", args=[world.couples_group.pk]), {"member": first.pk})
    assert set(
        Enrollment.objects.filter(group=world.couples_group).values_list("member", flat=True)
    ) == {first.pk, second.pk}


def test_roster_add_refuses_someone_outside_the_facilitators_view(facilitator_client, world):
    response = facilitator_client.post(
        reverse("groups:roster_add", args=[world.addict_group.pk]), {"member": world.partner.pk}
    )
    assert response.status_code == 400
    assert not Enrollment.objects.filter(group=world.addict_group, member=world.partner).exists()
    # The roster never offers them either.
    body = facilitator_client.get(reverse("groups:roster", args=[world.addict_group.pk]))
    assert "jordan@example.org" not in body.content.decode()


def test_invite_by_email_creates_an_invitation_into_the_group(facilitator_client, world):
    response = facilitator_client.post(
        reverse("members:roster_invite", args=[world.addict_group.pk]),
        {"email": "new.person@example.org"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.group == world.addict_group
    assert invitation.invited_by == world.facilitator


def test_invite_refuses_a_bad_address(facilitator_client, world):
    response = facilitator_client.post(
        reverse("members:roster_invite", args=[world.addict_group.pk]), {"email": "nope"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_bad_enrolment_action_changes_nothing(facilitator_client, world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    response = facilitator_client.post(
        reverse("groups:enrollment_change", args=[world.addict_group.pk, stint.pk]),
        {"action": "explode"},
        follow=True,
    )
    assert "Choose pause, resume or leave." in response.content.decode()
    stint.refresh_from_db()
    assert stint.status == EnrollmentStatus.ACTIVE


def test_archived_group_leaves_the_members_list(facilitator_client, client, world):
    facilitator_client.post(reverse("groups:archive", args=[world.addict_group.pk]))
    world.addict_group.refresh_from_db()
    assert world.addict_group.is_archived
    client.force_login(world.member)
    assert b"Tuesday evening" not in client.get(reverse("groups:list")).content


def test_home_panel_lists_my_groups(member_client):
    body = member_client.get(reverse("home")).content.decode()
    assert "Tuesday evening" in body
    assert "Thursday evening" not in body


def test_person_page_shows_only_stints_in_the_facilitators_groups(client, world):
    # Staff put the member in the partner group too; the addict group's facilitator must not
    # learn that from the person page.
    EnrollmentFactory(group=world.partner_group, member=world.member)
    client.force_login(world.facilitator)
    body = client.get(reverse("members:person", args=[world.member.pk])).content.decode()
    assert "Tuesday evening" in body
    assert "Thursday evening" not in body
