"""Group and enrolment services: validation across fields, archive, stints, couples."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from groups import services
from groups.models import Enrollment, EnrollmentStatus, Group, GroupFormat, GroupKind
from tests.factories import CoupleFactory, EnrollmentFactory, GroupFactory, UserFactory


def _fields(**overrides):
    fields = {
        "name": "Wednesday evening",
        "kind": GroupKind.ADDICT,
        "time_zone": "Europe/London",
        "format": GroupFormat.IN_PERSON,
        "address": "12 Quiet Lane",
        "video_url": "",
        "capacity": 10,
    }
    fields.update(overrides)
    return fields


def test_facilitator_creates_a_group_and_runs_it(world):
    group = services.group_create(actor=world.facilitator, **_fields())
    assert list(group.facilitators.all()) == [world.facilitator]


def test_staff_creates_a_group_for_named_facilitators(world):
    group = services.group_create(
        actor=world.staff, facilitators=[world.facilitator, world.other_facilitator], **_fields()
    )
    assert set(group.facilitators.all()) == {world.facilitator, world.other_facilitator}


def test_staff_must_name_a_facilitator(world):
    with pytest.raises(ValidationError, match="at least one facilitator"):
        services.group_create(actor=world.staff, **_fields())
    assert not Group.objects.filter(name="Wednesday evening").exists()


def test_a_member_cannot_create_a_group(world):
    with pytest.raises(ValidationError):
        services.group_create(actor=world.member, **_fields())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "time zone"),
        ({"address": ""}, "address", "needs an address"),
        ({"format": GroupFormat.ONLINE, "address": ""}, "video_url", "needs a video link"),
        (
            {"format": GroupFormat.ONLINE, "video_url": "http://meet.example.org/x"},
            "video_url",
            "https",
        ),
        ({"format": GroupFormat.HYBRID}, "video_url", "needs a video link"),
        (
            {"starts_on": datetime.date(2026, 3, 1), "ends_on": datetime.date(2026, 2, 1)},
            "ends_on",
            "after the start",
        ),
        ({"capacity": 0}, "capacity", "at least 1"),
    ],
)
def test_group_create_refuses_bad_input_and_saves_nothing(world, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        services.group_create(actor=world.facilitator, **_fields(**overrides))
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not Group.objects.filter(name="Wednesday evening").exists()


def test_capacity_cannot_drop_below_active_enrolment(world):
    # GIVEN two active members in the addict group
    # WHEN the capacity is set to one
    with pytest.raises(ValidationError) as caught:
        services.group_update(group=world.addict_group, actor=world.facilitator, capacity=1)
    # THEN it is refused with the count, and nothing changes
    assert "2 people are enrolled" in caught.value.message_dict["capacity"][0]
    world.addict_group.refresh_from_db()
    assert world.addict_group.capacity is None
    services.group_update(group=world.addict_group, actor=world.facilitator, capacity=2)


def test_kind_cannot_change_once_people_are_in(world):
    with pytest.raises(ValidationError, match="kind cannot change"):
        services.group_update(
            group=world.addict_group, actor=world.facilitator, kind=GroupKind.COUPLES
        )
    world.addict_group.refresh_from_db()
    assert world.addict_group.kind == GroupKind.ADDICT
    empty = GroupFactory(facilitators=[world.facilitator])
    services.group_update(group=empty, actor=world.facilitator, kind=GroupKind.PARTNER)


def test_only_the_groups_facilitator_can_update_it(world):
    with pytest.raises(ValidationError):
        services.group_update(group=world.addict_group, actor=world.other_facilitator, name="X")


def test_archive_and_restore(world):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)):
        services.group_archive(group=world.addict_group, actor=world.facilitator)
    assert world.addict_group.archived_at == datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    services.group_restore(group=world.addict_group, actor=world.facilitator)
    assert world.addict_group.archived_at is None


def test_roster_add_refuses_someone_the_facilitator_cannot_see(world):
    # The partner is in another facilitator's group: invisible to this one.
    with pytest.raises(ValidationError, match="from the list"):
        services.roster_add(group=world.addict_group, member=world.partner, actor=world.facilitator)
    assert not Enrollment.objects.filter(group=world.addict_group, member=world.partner).exists()


def test_roster_add_refuses_a_full_group(world):
    world.addict_group.capacity = 2
    world.addict_group.save()
    newcomer = UserFactory()
    EnrollmentFactory(group=GroupFactory(facilitators=[world.facilitator]), member=newcomer)
    with pytest.raises(ValidationError, match="full"):
        services.roster_add(group=world.addict_group, member=newcomer, actor=world.facilitator)


def test_a_closed_group_takes_nobody_new_but_lets_a_former_member_back(world):
    # GIVEN a closed group (a fixed cohort) and someone new the facilitator knows
    world.addict_group.enrolment = "closed"
    world.addict_group.save()
    newcomer = UserFactory()
    EnrollmentFactory(group=GroupFactory(facilitators=[world.facilitator]), member=newcomer)
    # WHEN the facilitator adds the newcomer, THEN it is refused, saying how to open the group
    with pytest.raises(ValidationError, match="closed to new members"):
        services.roster_add(group=world.addict_group, member=newcomer, actor=world.facilitator)
    assert not Enrollment.objects.filter(group=world.addict_group, member=newcomer).exists()
    # WHEN a member of the cohort who had left is added back, THEN they return
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    services.enrollment_change(enrollment=stint, action="leave", actor=world.facilitator)
    services.roster_add(group=world.addict_group, member=world.member, actor=world.facilitator)
    assert Enrollment.objects.filter(
        group=world.addict_group, member=world.member, status=EnrollmentStatus.ACTIVE
    ).exists()


def test_leaving_and_returning_keeps_both_stints(world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        services.enrollment_change(enrollment=stint, action="leave", actor=world.facilitator)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)):
        services.roster_add(group=world.addict_group, member=world.member, actor=world.facilitator)
    stints = list(
        Enrollment.objects.filter(group=world.addict_group, member=world.member).order_by("pk")
    )
    assert [(s.status, s.joined_on, s.left_on) for s in stints] == [
        (EnrollmentStatus.LEFT, datetime.date(2026, 1, 6), datetime.date(2026, 3, 1)),
        (EnrollmentStatus.ACTIVE, datetime.date(2026, 6, 1), None),
    ]


def test_pause_and_resume(world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    services.enrollment_change(enrollment=stint, action="pause", actor=world.facilitator)
    stint.refresh_from_db()
    assert stint.status == EnrollmentStatus.PAUSED
    with pytest.raises(ValidationError, match="cannot pause"):
        services.enrollment_change(enrollment=stint, action="pause", actor=world.facilitator)
    services.enrollment_change(enrollment=stint, action="resume", actor=world.facilitator)
    stint.refresh_from_db()
    assert stint.status == EnrollmentStatus.ACTIVE


def test_unknown_action_is_refused(world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    with pytest.raises(ValidationError):
        services.enrollment_change(enrollment=stint, action="delete", actor=world.facilitator)


# --- couples groups ------------------------------------------------------------------------


def test_couples_group_refuses_half_a_couple(world):
    # GIVEN a member of the couples group's facilitator's other group with no linked partner
    single = UserFactory(display_name="Sasha")
    EnrollmentFactory(group=world.partner_group, member=single)
    # WHEN they are added to the couples group alone
    with pytest.raises(ValidationError) as caught:
        services.roster_add(group=world.couples_group, member=single, actor=world.other_facilitator)
    # THEN a clear message says why, and nothing is saved
    assert "both partners join together" in caught.value.messages[0]
    assert not Enrollment.objects.filter(group=world.couples_group).exists()


def test_couples_group_enrols_both_partners_together(world):
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        EnrollmentFactory(group=world.partner_group, member=person)
    couple = CoupleFactory(first=first, second=second, linked_by=world.other_facilitator)
    services.roster_add(group=world.couples_group, member=first, actor=world.other_facilitator)
    stints = Enrollment.objects.filter(group=world.couples_group)
    assert {(s.member, s.status, s.couple) for s in stints} == {
        (first, EnrollmentStatus.ACTIVE, couple),
        (second, EnrollmentStatus.ACTIVE, couple),
    }


def test_couples_group_refuses_a_couple_whose_partner_is_out_of_view(world):
    # Jordan's linked partner Alex is in a group this facilitator does not run.
    with pytest.raises(ValidationError, match="partner is not in any group you run"):
        services.roster_add(
            group=world.couples_group, member=world.partner, actor=world.other_facilitator
        )
    assert not Enrollment.objects.filter(group=world.couples_group).exists()
    services.roster_add(group=world.couples_group, member=world.partner, actor=world.staff)
    assert Enrollment.objects.filter(group=world.couples_group).count() == 2


def test_couples_group_without_room_for_both_saves_nothing(world):
    world.couples_group.capacity = 1
    world.couples_group.save()
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        EnrollmentFactory(group=world.partner_group, member=person)
    CoupleFactory(first=first, second=second, linked_by=world.other_facilitator)
    with pytest.raises(ValidationError, match="both partners"):
        services.roster_add(group=world.couples_group, member=first, actor=world.other_facilitator)
    assert not Enrollment.objects.filter(group=world.couples_group).exists()


def test_couples_partners_pause_and_leave_together(world):
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        EnrollmentFactory(group=world.partner_group, member=person)
    CoupleFactory(first=first, second=second, linked_by=world.other_facilitator)
    stint = services.roster_add(
        group=world.couples_group, member=first, actor=world.other_facilitator
    )
    services.enrollment_change(enrollment=stint, action="leave", actor=world.other_facilitator)
    assert set(
        Enrollment.objects.filter(group=world.couples_group).values_list("status", flat=True)
    ) == {EnrollmentStatus.LEFT}


def test_invitation_into_couples_group_holds_an_uncoupled_person_as_invited(world):
    # Invitation acceptance calls enrollment_add; a person with no partner yet waits, unenrolled.
    newcomer = UserFactory()
    stint = services.enrollment_add(
        group=world.couples_group, member=newcomer, actor=world.other_facilitator
    )
    assert stint.status == EnrollmentStatus.INVITED
    with pytest.raises(ValidationError, match="both partners join together"):
        services.enrollment_change(enrollment=stint, action="resume", actor=world.other_facilitator)
