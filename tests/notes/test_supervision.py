"""Supervision: staff mark a facilitator supervised and may name their supervisor (staff, or
a facilitator of one of their groups), on a page outside the admin; audited; the named
supervisor is then the one who co-signs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notes.models import NoteKind, SupervisedFacilitator
from notes.permissions import can_cosign
from notes.selectors import awaiting_my_cosign
from tests.factories import SessionFactory, UserFactory
from tests.factories.members import TEST_PASSWORD
from tests.factories.notes import NoteFactory

URL = reverse("notes:supervision")


@pytest.fixture
def cory(world):
    """Fran's co-facilitator in the addict group."""
    person = UserFactory(facilitator=True, display_name="Cory")
    world.addict_group.facilitators.add(person)
    return person


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def _mark(client, facilitator, supervisor=None, supervised=True):
    data = {"facilitator": facilitator.pk}
    if supervised:
        data["supervised"] = "on"
    if supervisor is not None:
        data["supervisor"] = supervisor.pk
    return client.post(URL, data)


def _awaiting(world, signer):
    return NoteFactory(
        session=SessionFactory(group=world.addict_group),
        member=world.member,
        kind=NoteKind.PROGRESS,
        signed_by=signer,
        signed_at=timezone.now(),
        cosign_required=True,
    )


def test_staff_mark_a_facilitator_supervised_with_a_co_facilitator_as_supervisor(
    staff_client, world, cory
):
    # WHEN staff mark Fran supervised by Cory
    response = _mark(staff_client, world.facilitator, cory)
    # THEN it is saved, said and audited against Fran's account
    assert response.status_code == 302
    row = SupervisedFacilitator.objects.get(facilitator=world.facilitator)
    assert row.supervisor == cory and row.marked_by == world.staff
    event = AuditEvent.objects.get(action="account.supervision")
    assert event.subject_id == world.facilitator.pk and event.actor_id == world.staff.pk
    assert event.detail == {"op": "supervised", "supervisor": cory.pk}
    page = staff_client.get(URL).content.decode()
    assert f'<option value="{cory.pk}" selected>Cory</option>' in page
    # AND saving the same again leaves no second audit row
    _mark(staff_client, world.facilitator, cory)
    assert AuditEvent.objects.filter(action="account.supervision").count() == 1


def test_staff_may_be_named_and_the_mark_can_be_lifted(staff_client, world):
    _mark(staff_client, world.facilitator, world.staff)
    row = SupervisedFacilitator.objects.get(facilitator=world.facilitator)
    assert row.supervisor == world.staff
    # WHEN staff untick "supervised"
    response = _mark(staff_client, world.facilitator, supervised=False)
    assert response.status_code == 302
    assert not SupervisedFacilitator.objects.exists()
    events = AuditEvent.objects.filter(action="account.supervision").order_by("pk")
    ops = [event.detail["op"] for event in events]
    assert ops == ["supervised", "unsupervised"]


def test_supervised_without_a_named_supervisor(staff_client, world):
    assert _mark(staff_client, world.facilitator).status_code == 302
    assert SupervisedFacilitator.objects.get(facilitator=world.facilitator).supervisor is None


@pytest.mark.parametrize(
    "who", ["other_facilitator", "facilitator", "member"], ids=["other group", "self", "member"]
)
def test_a_supervisor_who_may_not_read_the_notes_is_refused(staff_client, world, who):
    # Olly runs other groups; Fran cannot supervise herself; a member is never offered.
    response = _mark(staff_client, world.facilitator, getattr(world, who))
    assert response.status_code == 400
    assert not SupervisedFacilitator.objects.exists()
    assert not AuditEvent.objects.filter(action="account.supervision").exists()
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"facilitator": "abc", "supervised": "on"},
        {"facilitator": "99999999999999999999999", "supervised": "on"},
        {"facilitator": "\x00", "supervised": "on"},
        {"facilitator": "%s%d", "supervised": "on"},
        {"facilitator": "١", "supervised": "on"},
        {"supervised": "on"},
        {"facilitator": "1", "supervisor": "nope"},
    ],
)
def test_bad_input_is_a_clear_refusal_not_an_error(staff_client, world, data):
    response = staff_client.post(URL, data)
    assert response.status_code == 400
    assert not SupervisedFacilitator.objects.exists()


def test_naming_a_supervisor_without_ticking_supervised_is_refused(staff_client, world, cory):
    response = _mark(staff_client, world.facilitator, cory, supervised=False)
    assert response.status_code == 400
    assert "Tick" in response.content.decode()
    assert not SupervisedFacilitator.objects.exists()


def test_a_member_cannot_be_marked(staff_client, world):
    assert _mark(staff_client, world.member).status_code == 400


def test_the_named_supervisor_is_the_one_who_co_signs(world, cory):
    # GIVEN Fran supervised by Cory, and a third facilitator of the group
    third = UserFactory(facilitator=True)
    world.addict_group.facilitators.add(third)
    SupervisedFacilitator.objects.create(facilitator=world.facilitator, supervisor=cory)
    note = _awaiting(world, world.facilitator)
    # THEN Cory co-signs; staff, the third facilitator and Fran herself do not
    assert can_cosign(cory, note)
    assert not can_cosign(world.staff, note)
    assert not can_cosign(third, note)
    assert not can_cosign(world.facilitator, note)
    assert [n.pk for n in awaiting_my_cosign(cory)] == [note.pk]
    assert awaiting_my_cosign(world.staff) == [] and awaiting_my_cosign(third) == []


def test_a_supervisor_who_no_longer_runs_the_group_hands_back_to_staff(world, cory):
    SupervisedFacilitator.objects.create(facilitator=world.facilitator, supervisor=cory)
    note = _awaiting(world, world.facilitator)
    world.addict_group.facilitators.remove(cory)
    assert not can_cosign(cory, note)
    assert can_cosign(world.staff, note)


def test_without_a_named_supervisor_staff_or_a_co_facilitator_co_sign(world, cory):
    SupervisedFacilitator.objects.create(facilitator=world.facilitator)
    note = _awaiting(world, world.facilitator)
    assert can_cosign(cory, note) and can_cosign(world.staff, note)
    assert not can_cosign(world.other_facilitator, note)
    assert not can_cosign(world.member, note)


def test_the_cosign_page_refuses_someone_other_than_the_named_supervisor(client, world, cory):
    SupervisedFacilitator.objects.create(facilitator=world.facilitator, supervisor=cory)
    note = _awaiting(world, world.facilitator)
    client.force_login(world.staff)
    response = client.post(reverse("notes:cosign", args=[note.pk]), {"secret": TEST_PASSWORD})
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.cosigned_at is None
    client.force_login(cory)
    response = client.post(reverse("notes:cosign", args=[note.pk]), {"secret": TEST_PASSWORD})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.cosigned_by == cory
