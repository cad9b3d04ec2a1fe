from members.models import Role
from members.services.invitations import invitation_create, invitation_token
from tests.access.matrix import Row, expect, signed_in_only


def _facilitator_invitation(world):
    return invitation_create(
        email="invited@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )


ROWS = [
    Row("home", signed_in_only()),
    Row("account", signed_in_only()),
    # Staff and facilitators invite; members do not learn the page exists.
    Row(
        "invitations",
        expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200),
    ),
    Row(
        "invitation_withdraw",
        expect(404, anonymous=302, group_facilitator=302, staff=302),
        kwargs=lambda w: {"pk": _facilitator_invitation(w).pk},
        method="post",
    ),
    # The emailed link is public: visitors go on to sign-up; signed-in people are told to
    # sign out first.
    Row(
        "invitation_accept",
        signed_in_only(),
        kwargs=lambda w: {"token": invitation_token(_facilitator_invitation(w))},
    ),
]
