"""Roll call names only the people on that session's roll: a mark posted for anyone else is 404
and the answer carries no name (attendance.permissions.get_member_on_roll)."""

import pytest
from django.urls import reverse

from attendance.models import Attendance
from tests.attendance.conftest import TUESDAYS

pytestmark = pytest.mark.django_db


def _post_mark(client, session, member_pk):
    url = reverse("attendance:mark", args=[session.pk, member_pk])
    return client.post(url, {"mark": "present"}, follow=True)


@pytest.mark.parametrize(
    "persona", ["outsider", "partner", "other_kind_member", "other_facilitator", "staff"]
)
def test_a_mark_for_someone_not_on_the_roll_is_404_and_names_nobody(
    world, history, client, persona
):
    # GIVEN the addict group's facilitator, and a person who is not on this session's roll
    session = history.sessions[TUESDAYS[5]]
    person = getattr(world, persona)
    client.force_login(world.facilitator)
    # WHEN the facilitator posts a mark for that person's id
    response = _post_mark(client, session, person.pk)
    # THEN the answer is 404, names nobody, and nothing is recorded
    assert response.status_code == 404
    assert person.display_name not in response.content.decode()
    assert not Attendance.objects.filter(session=session, member=person).exists()


def test_a_member_between_stints_is_not_on_that_days_roll(world, history, client):
    # GIVEN world.member, who had left the group on the day of the 27 January session
    session = history.sessions[TUESDAYS[3]]
    client.force_login(world.facilitator)
    # WHEN the facilitator posts a mark for them on that session
    response = _post_mark(client, session, world.member.pk)
    # THEN 404, with no name, and nothing recorded
    assert response.status_code == 404
    assert "Alex" not in response.content.decode()
    assert not Attendance.objects.filter(session=session, member=world.member).exists()


@pytest.mark.parametrize("member_pk", [999999, 2**63])
def test_unknown_or_huge_ids_are_404(world, history, client, member_pk):
    # GIVEN the group's facilitator on a session's roll
    client.force_login(world.facilitator)
    # WHEN they post a mark for an id nobody has (or one past the database's range)
    response = _post_mark(client, history.sessions[TUESDAYS[5]], member_pk)
    # THEN 404
    assert response.status_code == 404


def test_a_member_on_the_roll_is_marked_and_named(world, history, client):
    # GIVEN co_member, active in the group on the session's date
    session = history.sessions[TUESDAYS[6]]
    client.force_login(world.facilitator)
    # WHEN the facilitator marks them present
    response = _post_mark(client, session, world.co_member.pk)
    # THEN the mark is kept and the confirmation names them
    assert response.status_code == 200
    assert "Casey: Present." in response.content.decode()
    assert Attendance.objects.get(session=session, member=world.co_member).mark == "present"
