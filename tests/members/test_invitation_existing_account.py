"""The invitation form answers the same for an address with and without an account, so it cannot
test an address book against the clinic's members. The person with an account gets a notice to
sign in (and join) instead of a sign-up link."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import EnrollmentStatus
from groups.selectors import stints
from members.models import Invitation, Role
from members.services.invitations import invitation_create, invitation_token
from notifications.discretion import forbidden_words_in
from notifications.models import Kind, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "nobody.yet@example.org"
EXISTING = "morgan@example.org"  # world.other_kind_member, in a group Fran does not run


def _post(client, url, email, group):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"email": email, "group": group.pk}, follow=True)
    body = response.content.decode().replace(email, "ADDRESS")
    sql = [query["sql"].replace(email, "ADDRESS") for query in queries.captured_queries]
    return response, body, sql


def _normalise(body: str) -> str:
    """The page minus what differs between any two requests (tokens, ids, nonces)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'nonce="[^"]+"', "", body)
    return re.sub(r"\d+", "N", body)


def _forget_invitations():
    Notification.objects.filter(kind=Kind.INVITATION).delete()
    Invitation.objects.all().delete()


@pytest.mark.parametrize("page", ["invitations", "roster"])
def test_the_answer_is_the_same_with_or_without_an_account(client, world, page):
    # GIVEN Fran on the Invitations page (or her group's roster)
    client.force_login(world.facilitator)
    url = (
        reverse("invitations")
        if page == "invitations"
        else reverse("members:roster_invite", args=[world.addict_group.pk])
    )
    # (a first invitation warms the session and caches, so the two compared start alike)
    _post(client, url, "warm.up@example.org", world.addict_group)
    _forget_invitations()
    # WHEN she invites an address nobody has, then (from the same starting point) one that
    # already has an account
    new, new_body, new_sql = _post(client, url, NEW, world.addict_group)
    assert Notification.objects.get(object_id=Invitation.objects.get(email=NEW).pk)
    _forget_invitations()
    old, old_body, old_sql = _post(client, url, EXISTING, world.addict_group)
    # THEN both answer alike: same redirect, same page and message, same database work
    assert new.redirect_chain == old.redirect_chain
    assert new.status_code == old.status_code == 200
    assert ("Invitation sent to ADDRESS." if page == "invitations" else "Invitation sent.") in (
        old_body
    )
    assert _normalise(old_body) == _normalise(new_body)
    assert [_normalise(sql) for sql in old_sql] == [_normalise(sql) for sql in new_sql]
    # ...and it is an invitation with one email row of the same kind as any other
    invitation = Invitation.objects.get(email=EXISTING)
    assert Notification.objects.get(object_id=invitation.pk).kind == Kind.INVITATION


def test_both_rows_show_alike_on_the_invitations_page(client, world):
    # GIVEN Fran invited one address with an account and one without
    for email in (NEW, EXISTING):
        invitation_create(
            email=email, role=Role.MEMBER, invited_by=world.facilitator, group=world.addict_group
        )
    # WHEN she opens the Invitations page
    client.force_login(world.facilitator)
    page = client.get(reverse("invitations")).content.decode()
    # THEN both are listed as pending, with the same delivery label
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    new_row = next(row for row in rows if NEW in row).replace(NEW, "ADDRESS")
    old_row = next(row for row in rows if EXISTING in row).replace(EXISTING, "ADDRESS")
    assert re.sub(r"\d+", "N", new_row) == re.sub(r"\d+", "N", old_row)


def test_an_existing_account_gets_a_discreet_sign_in_notice(
    world, eager_celery, django_capture_on_commit_callbacks
):
    # GIVEN Fran invites an address with an account and one without
    with django_capture_on_commit_callbacks(execute=True):
        for email in (NEW, EXISTING):
            invitation_create(
                email=email,
                role=Role.MEMBER,
                invited_by=world.facilitator,
                group=world.addict_group,
            )
    # WHEN the emails go out
    sent = {message.to[0]: message for message in mail.outbox}
    # THEN the new address is asked to choose a password, the existing one to sign in
    assert "choose your password" in sent[NEW].body
    notice = sent[EXISTING]
    assert "You already have an account" in notice.body and "Sign in" in notice.body
    assert "choose your password" not in notice.body
    existing = Invitation.objects.get(email=EXISTING)
    assert invitation_token(existing) in notice.body
    # ...with the same subject, and nothing that names the kind of group
    assert notice.subject == sent[NEW].subject
    html = notice.alternatives[0][0]
    assert not forbidden_words_in(" ".join([notice.subject, notice.body, html]))


def test_the_existing_account_signs_in_then_joins_through_the_link(client, world):
    # GIVEN Fran invited Morgan, who already has an account, into her group
    invitation = invitation_create(
        email=EXISTING, role=Role.MEMBER, invited_by=world.facilitator, group=world.addict_group
    )
    link = reverse("invitation_accept", args=[invitation_token(invitation)])
    # WHEN Morgan opens the link signed out
    response = client.get(link)
    # THEN they are sent to sign in (not to sign up), coming back to the link
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "next=" in response.url
    # WHEN they open it signed in
    client.force_login(world.other_kind_member)
    response = client.get(link)
    # THEN they join the group; their role stays; the link is used up
    assert response.status_code == 302
    stint = stints(group=world.addict_group, member=world.other_kind_member).get()
    assert stint.status == EnrollmentStatus.ACTIVE
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.other_kind_member
    world.other_kind_member.refresh_from_db()
    assert world.other_kind_member.role == Role.MEMBER


def test_someone_else_signed_in_cannot_use_the_link(client, world):
    # GIVEN an invitation for Morgan's address
    invitation = invitation_create(
        email=EXISTING, role=Role.MEMBER, invited_by=world.facilitator, group=world.addict_group
    )
    # WHEN Casey, signed in, opens it
    client.force_login(world.co_member)
    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    # THEN they are told to sign out first, and nothing is accepted
    assert "You're already signed in" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_account_never_changes_role_through_an_invitation(client, world):
    # GIVEN staff invited a member's address as a facilitator
    member = UserFactory(email="riley@example.org")
    invitation = invitation_create(
        email=member.email, role=Role.FACILITATOR, invited_by=world.staff
    )
    # WHEN the member opens it signed in
    client.force_login(member)
    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    # THEN it is refused with a clear page, and they stay a member
    assert response.status_code == 410
    assert "different kind of account" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
