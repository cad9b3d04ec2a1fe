"""The admin site lists groups, enrolments and sessions for staff to look things up; changes
go through the app."""

from django.urls import reverse

from groups.models import Enrollment
from tests.factories import SessionFactory


def test_staff_find_groups_enrolments_and_sessions_read_only(client, world):
    # GIVEN staff signed in, and a session in the members' group
    SessionFactory(group=world.addict_group)
    client.force_login(world.staff)
    # WHEN they search each list
    pages = {
        "admin:groups_group_changelist": "Tuesday",
        "admin:groups_enrollment_changelist": "Alex",
        "admin:scheduling_session_changelist": "Tuesday",
    }
    for name, query in pages.items():
        response = client.get(reverse(name), {"q": query})
        # THEN they find it, in the clinic's own colours, with a way back to the app
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "Tuesday evening" in body, name
        assert "css/admin.css" in body and "Back to" in body
    # AND nothing can be added or changed there
    enrolment = Enrollment.objects.filter(group=world.addict_group).first()
    assert client.get(reverse("admin:groups_group_add")).status_code == 403
    response = client.post(
        reverse("admin:groups_enrollment_change", args=[enrolment.pk]), {"status": "left"}
    )
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status != "left"


def test_staff_see_the_admin_site_in_their_menu_and_facilitators_do_not(client, world):
    client.force_login(world.staff)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    client.force_login(world.facilitator)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


def test_staff_open_a_group_and_a_session_in_the_admin(client, world):
    # Each has a link field; opening one must not trip Django 5.2's URLField warning.
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.staff)
    for name, pk in (
        ("admin:groups_group_change", world.addict_group.pk),
        ("admin:scheduling_session_change", session.pk),
    ):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200, name
        assert "Tuesday evening" in response.content.decode(), name
