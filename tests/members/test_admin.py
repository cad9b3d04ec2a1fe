"""The admin site: staff only, invitations read-only (they are sent from the app)."""

from django.urls import reverse

from members.models import Invitation, Role
from members.services.invitations import invitation_create


def test_admin_lists_invitations_read_only(client, world):
    invitation = invitation_create(
        email="new@example.org", role=Role.FACILITATOR, invited_by=world.staff
    )
    client.force_login(world.staff)
    assert client.get(reverse("admin:members_invitation_changelist")).status_code == 200
    assert client.get(reverse("admin:members_invitation_add")).status_code == 403
    response = client.post(
        reverse("admin:members_invitation_change", args=[invitation.pk]),
        {"email": "other@example.org"},
    )
    assert response.status_code == 403
    assert Invitation.objects.get().email == "new@example.org"


def test_a_member_opening_the_admin_is_sent_home_without_an_error_logged(client, world, caplog):
    # GIVEN a signed-in member who follows a link to the admin site
    client.force_login(world.member)
    # WHEN they open it
    response = client.get(reverse("admin:index"), follow=True)
    # THEN they land on their own home page, and nothing is logged as an error
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == 200
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR") or r.exc_info]
