"""Minimum necessary for intake notes: the group it was recorded for, its recorder and staff read
it; a facilitator of the member's other groups only while the member consents (IntakeShare).

The world: Alex (world.member) is in the recovery group run by Fran (world.facilitator); Alex and
Jordan (world.partner) are a couple, and Olly (world.other_facilitator) runs the partner group
and the couples group.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from groups.models import Enrollment, EnrollmentStatus
from members import permissions
from members.models import Intake, IntakeShare
from members.services.consent import intake_share_grant, intake_share_revoke
from members.services.intake import intake_record
from members.services.invitations import invitation_create
from tests.factories import EnrollmentFactory, GroupFactory, UserFactory
from tests.factories.groups import IntakeFactory

pytestmark = pytest.mark.django_db

KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="
SECRET = "I delete my history every day."  # IntakeFactory's `secrets` answer


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY


@pytest.fixture
def couples(world):
    """Alex and Jordan both in the couples group Olly runs."""
    for person in (world.member, world.partner):
        EnrollmentFactory(group=world.couples_group, member=person)
    return world.couples_group


@pytest.fixture
def co_facilitator(world):
    person = UserFactory(facilitator=True, display_name="Cora")
    world.addict_group.facilitators.add(person)
    return person


def _status(client, person, name, pk) -> int:
    client.force_login(person)
    return client.get(reverse(name, args=[pk])).status_code


# --- who reads an intake recorded for a group ------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", 200),
        ("facilitator", 200),  # the recovery group's facilitator
        ("co_facilitator", 200),  # also runs the recovery group, did not record it
        ("other_facilitator", 404),  # runs the couples group Alex is in: no longer reads it
        ("member", 404),
        ("partner", 404),
        ("co_member", 404),
        ("outsider", 404),
    ],
)
def test_an_intake_recorded_for_a_group_is_read_by_that_groups_facilitators(
    client, world, couples, co_facilitator, persona, expected
):
    # GIVEN an intake staff recorded for Alex's recovery group, Alex also in Olly's couples group
    intake = IntakeFactory(member=world.member, recorded_by=world.staff, group=world.addict_group)
    person = co_facilitator if persona == "co_facilitator" else getattr(world, persona)
    # WHEN each person opens it
    status = _status(client, person, "members:intake", intake.pk)
    # THEN only staff and the recovery group's facilitators read it; everyone else gets 404
    assert status == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("staff", 200), ("facilitator", 200), ("co_facilitator", 404), ("other_facilitator", 404)],
)
def test_an_old_intake_with_no_group_is_read_by_staff_and_its_recorder_only(
    client, world, couples, co_facilitator, persona, expected
):
    # GIVEN an older intake Fran recorded, whose group could not be worked out
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator, group=None)
    person = co_facilitator if persona == "co_facilitator" else getattr(world, persona)
    # WHEN each facilitator opens it
    # THEN staff and Fran read it; her co-facilitator and the couples facilitator get 404
    assert _status(client, person, "members:intake", intake.pk) == expected


def test_the_couples_facilitator_does_not_see_it_on_the_persons_page(client, world, couples):
    # GIVEN Fran's intake of Alex for the recovery group
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    # WHEN Olly opens Alex's page (Alex is in his couples group)
    client.force_login(world.other_facilitator)
    response = client.get(reverse("members:person", args=[world.member.pk]))
    # THEN the page shows no link to it
    assert response.status_code == 200
    assert reverse("members:intake", args=[intake.pk]) not in response.content.decode()


# --- the member's consent --------------------------------------------------------------------


def test_consent_opens_it_to_another_groups_facilitators_and_revoking_closes_it_at_once(
    client, world, couples
):
    # GIVEN Fran's intake of Alex for the recovery group
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    assert _status(client, world.other_facilitator, "members:intake", intake.pk) == 404
    # WHEN Alex lets the couples group's facilitators read it
    share = intake_share_grant(intake=intake, group=couples, actor=world.member)
    # THEN Olly reads it (read only: editing stays 404), and the grant is in the audit trail
    assert _status(client, world.other_facilitator, "members:intake", intake.pk) == 200
    assert _status(client, world.other_facilitator, "members:intake_edit", intake.pk) == 404
    granted = AuditEvent.objects.get(action="consent.change", detail__change="grant")
    assert (granted.subject_id, granted.target_id) == (world.member.pk, str(share.pk))
    # ...but nobody else gains anything: Jordan, in the same couples group, still gets 404
    assert _status(client, world.partner, "members:intake", intake.pk) == 404
    # WHEN Alex stops sharing
    intake_share_revoke(share=share, actor=world.member)
    # THEN the very next read is refused, and the revocation is recorded
    assert _status(client, world.other_facilitator, "members:intake", intake.pk) == 404
    share.refresh_from_db()
    assert share.revoked_by == world.member and share.revoked_at is not None
    assert AuditEvent.objects.filter(action="consent.change", detail__change="revoke").exists()


def test_a_share_lapses_when_the_member_leaves_that_group(client, world, couples):
    # GIVEN Alex shares the intake with the couples group
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    intake_share_grant(intake=intake, group=couples, actor=world.member)
    # WHEN Alex leaves the couples group
    Enrollment.objects.filter(group=couples, member=world.member).update(
        status=EnrollmentStatus.LEFT, left_on=datetime.date(2026, 2, 1)
    )
    # THEN its facilitator no longer reads it
    assert not permissions.intakes_visible_to(world.other_facilitator).filter(pk=intake.pk).exists()


def test_only_the_member_shares_and_only_with_a_group_they_are_in(world, couples):
    # GIVEN Fran's intake of Alex
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    # WHEN someone else tries to share it, or Alex names a group they are not in
    # THEN it is refused and nothing is shared
    for actor in (world.facilitator, world.other_facilitator, world.partner, world.staff):
        with pytest.raises(ValidationError, match="Only the member"):
            intake_share_grant(intake=intake, group=couples, actor=actor)
    with pytest.raises(ValidationError, match="a group you are in"):
        intake_share_grant(intake=intake, group=world.partner_group, actor=world.member)
    assert not IntakeShare.objects.exists()


def test_the_member_shares_and_stops_on_their_sharing_page(client, world, couples):
    # GIVEN Alex, with an intake recorded for the recovery group
    intake = IntakeFactory(
        member=world.member, recorded_by=world.facilitator, group=world.addict_group
    )
    client.force_login(world.member)
    page = client.get(reverse("members:sharing")).content.decode()
    # THEN the sharing page offers the notes by date and group, never their answers
    assert "Notes taken with you" in page and SECRET not in page
    # WHEN Alex shares them with the couples group
    response = client.post(
        reverse("members:intake_share"), {"notes-intake": intake.pk, "notes-group": couples.pk}
    )
    assert response.status_code == 302
    share = IntakeShare.objects.get(revoked_at=None)
    assert (share.intake, share.group, share.granted_by) == (intake, couples, world.member)
    # WHEN Jordan tries to stop Alex's share
    client.force_login(world.partner)
    stop = reverse("members:intake_share_stop", args=[share.pk])
    # THEN 404, and it stands
    assert client.post(stop).status_code == 404
    assert IntakeShare.objects.get(pk=share.pk).revoked_at is None
    # WHEN Alex stops it
    client.force_login(world.member)
    assert client.post(stop).status_code == 302
    # THEN it is revoked
    assert IntakeShare.objects.get(pk=share.pk).revoked_at is not None


def test_a_member_cannot_share_someone_elses_intake_through_the_page(client, world, couples):
    # GIVEN an intake about Jordan
    theirs = IntakeFactory(member=world.partner, recorded_by=world.other_facilitator)
    # WHEN Alex posts its id on their own sharing form
    client.force_login(world.member)
    response = client.post(
        reverse("members:intake_share"), {"notes-intake": theirs.pk, "notes-group": couples.pk}
    )
    # THEN the form refuses it (not one of Alex's choices) and nothing is shared
    assert response.status_code == 400
    assert not IntakeShare.objects.exists()


# --- recording: the group is chosen among the member's groups the facilitator runs -----------


def test_the_form_offers_only_the_members_groups_the_facilitator_runs(client, world, couples):
    # GIVEN Olly, who runs the partner group (Alex is not in it) and the couples group (Alex is)
    client.force_login(world.other_facilitator)
    # WHEN he opens a new intake for Alex
    body = client.get(reverse("members:intake_new", args=[world.member.pk])).content.decode()
    # THEN the only group offered is the couples group
    assert world.couples_group.name in body
    assert world.partner_group.name not in body and world.addict_group.name not in body


def test_recording_for_a_group_one_does_not_run_or_without_a_group_is_refused(client, world):
    # GIVEN Fran, who runs only Alex's recovery group
    client.force_login(world.facilitator)
    url = reverse("members:intake_new", args=[world.member.pk])
    answers = {"level": "at_risk", "recommended_kind": "addict"}
    # WHEN she posts another group's id, or no group
    other = client.post(url, {**answers, "group": world.couples_group.pk})
    none = client.post(url, answers)
    # THEN both answer with a form error and nothing is saved
    assert other.status_code == 200 and "Select a valid choice" in other.content.decode()
    assert "Choose one of their groups that you run." in none.content.decode()
    assert not Intake.objects.exists()


def test_a_pending_invitation_counts_as_the_members_group(world):
    # GIVEN Fran invited Casey (already a member elsewhere) into a second group she runs
    second = GroupFactory(facilitators=[world.facilitator])
    invitation_create(
        email=world.co_member.email, role="member", invited_by=world.facilitator, group=second
    )
    # WHEN she records an intake of Casey for that group
    intake = intake_record(
        member=world.co_member,
        actor=world.facilitator,
        group=second,
        level="casual",
        recommended_kind="addict",
    )
    # THEN it is recorded for it
    assert intake.group == second


def test_staff_may_record_without_a_group_but_a_facilitator_may_not(world):
    # GIVEN staff and Fran, each screening Alex with no group chosen
    answers = {"level": "casual", "recommended_kind": "addict"}
    # WHEN they save
    by_staff = intake_record(member=world.member, actor=world.staff, group=None, **answers)
    # THEN staff's is kept with no group (staff and the recorder read it), Fran's is refused
    assert by_staff.group is None
    with pytest.raises(ValidationError):
        intake_record(member=world.member, actor=world.facilitator, group=None, **answers)


def test_an_old_intake_keeps_no_group_on_edit_until_its_recorder_chooses_one(client, world):
    # GIVEN an older intake Fran recorded, with no group
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator, group=None)
    client.force_login(world.facilitator)
    url = reverse("members:intake_edit", args=[intake.pk])
    answers = {"level": "casual", "recommended_kind": "addict"}
    # WHEN she saves it without a group
    assert client.post(url, answers).status_code == 302
    # THEN it keeps none
    assert Intake.objects.get(pk=intake.pk).group is None
    # WHEN she saves it for her group
    assert client.post(url, {**answers, "group": world.addict_group.pk}).status_code == 302
    # THEN it is recorded for it, and her co-facilitators may now read it
    assert Intake.objects.get(pk=intake.pk).group == world.addict_group
