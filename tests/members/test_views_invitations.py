"""The Invitations page: staff invite facilitators or members, facilitators their members."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Invitation, Role
from members.services.invitations import invitation_create


def test_staff_invites_a_facilitator(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("invitations"), {"email": "new@example.org", "role": Role.FACILITATOR}
        )
    assert response.url == reverse("invitations")
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.group, invitation.invited_by) == (
        Role.FACILITATOR,
        None,
        world.staff,
    )
    assert len(callbacks) == 1  # the email task, queued after commit
    assert "new@example.org" in client.get(reverse("invitations")).content.decode()


def test_facilitator_sees_only_own_groups_and_invites_a_member(client, world):
    client.force_login(world.facilitator)
    page = client.get(reverse("invitations")).content.decode()
    assert world.addict_group.name in page
    assert world.partner_group.name not in page
    assert 'name="role"' not in page

    response = client.post(
        reverse("invitations"), {"email": "new@example.org", "group": world.addict_group.pk}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.group) == (Role.MEMBER, world.addict_group)


def test_facilitator_cannot_pick_another_group(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        reverse("invitations"), {"email": "new@example.org", "group": world.partner_group.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_service_refusal_is_shown_on_the_form(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("invitations"),
        {"email": "new@example.org", "role": Role.FACILITATOR, "group": world.addict_group.pk},
    )
    assert response.status_code == 200
    assert "Invite a facilitator without a group" in response.content.decode()


def test_facilitator_without_groups_is_told_what_to_do(client, world):
    client.force_login(world.facilitator)
    world.addict_group.facilitators.clear()
    page = client.get(reverse("invitations")).content.decode()
    assert "You don't facilitate any group yet" in page


def test_withdraw_pending_invitation(client, world):
    invitation = invitation_create(
        email="new@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    client.force_login(world.other_facilitator)
    response = client.post(reverse("invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 404

    client.force_login(world.facilitator)
    response = client.post(reverse("invitation_withdraw", args=[invitation.pk]))
    assert response.url == reverse("invitations")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    page = client.get(reverse("invitations")).content.decode()
    assert "Withdraw the invitation to new@example.org" not in page


def test_delivery_column_costs_one_query_for_the_whole_page(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """GIVEN a facilitator with one invitation, then with four
    THEN the Invitations page runs the same number of queries (the delivery labels are read
    in one query), and each row says how its email went."""
    client.force_login(world.facilitator)

    def invite(email):
        with django_capture_on_commit_callbacks(execute=False):
            invitation_create(
                email=email,
                role=Role.MEMBER,
                invited_by=world.facilitator,
                group=world.addict_group,
            )

    invite("one@example.org")
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("invitations")).content.decode()
    assert '<th scope="col">Delivery</th>' in page and "Waiting" in page

    for n in range(3):
        invite(f"more{n}@example.org")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("invitations")).content.decode()
    assert page.count(">Waiting</span>") == 4


def test_the_invitation_is_written_in_the_language_the_inviter_chooses(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("invitations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="es"' in page and '<option value="en" selected>' in page
    client.post(
        reverse("invitations"),
        {"email": "nueva@example.org", "role": Role.MEMBER, "language": "es"},
    )
    assert Invitation.objects.get(email="nueva@example.org").language == "es"
    response = client.post(
        reverse("invitations"),
        {"email": "other@example.org", "role": Role.MEMBER, "language": "de"},
    )
    assert response.status_code == 200 and not Invitation.objects.filter(email="other@example.org")
    # Left out (or from the roster's short form): the clinic's own language.
    client.post(reverse("invitations"), {"email": "plain@example.org", "role": Role.MEMBER})
    assert Invitation.objects.get(email="plain@example.org").language == "en"


def test_a_service_call_with_a_language_the_clinic_does_not_offer_uses_its_own(world, settings):
    settings.CIRCLE_LANGUAGES = ["fr", "es"]
    invitation = invitation_create(
        email="x@example.org", role=Role.MEMBER, invited_by=world.staff, language="en"
    )
    assert invitation.language == "fr"  # the clinic's first, as it does not offer English
