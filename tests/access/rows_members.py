from members.models import Couple, IntakeShare, Role
from members.services.invitations import invitation_create, invitation_token
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import EnrollmentFactory
from tests.factories.groups import IntakeFactory, SharingConsentFactory

# Facilitator pages that are not about one group: facilitators and staff, members 404.
FACILITATORS = expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200)


def _facilitator_invitation(world):
    return invitation_create(
        email="invited@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )


def _member_intake(w):
    intake = IntakeFactory(member=w.member, recorded_by=w.staff, group=w.addict_group)
    return {"pk": intake.pk}


def _co_member_intake_share(w):
    intake = IntakeFactory(member=w.co_member, recorded_by=w.facilitator, group=w.addict_group)
    EnrollmentFactory(group=w.partner_group, member=w.co_member)
    share = IntakeShare.objects.create(intake=intake, group=w.partner_group, granted_by=w.co_member)
    return {"pk": share.pk}


def _co_member_consent(w):
    consent = SharingConsentFactory(owner=w.co_member, viewer=w.member, group=w.addict_group)
    return {"pk": consent.pk}


def _couple(w):
    # Both partners in the couples group, which the other facilitator runs.
    for person in (w.member, w.partner):
        EnrollmentFactory(group=w.couples_group, member=person, status="invited")
    return {"pk": Couple.objects.get(first=w.member).pk}


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
    # The people pages and the roster's invitation, at addresses under groups/
    Row(
        "members:roster_invite",
        group_insiders(302, members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
        method="post",
        data=lambda w: {"email": "new.person@example.org"},
    ),
    Row(
        "members:person",
        group_insiders(members_too=False),
        kwargs=lambda w: {"member_pk": w.member.pk},
    ),
    Row(
        "members:intake_new",
        group_insiders(members_too=False),
        kwargs=lambda w: {"member_pk": w.member.pk},
    ),
    # Recorded by staff for the addict group: its facilitator reads it; the facilitator of
    # the member's partner's and couples groups does not.
    Row("members:intake", group_insiders(members_too=False), kwargs=_member_intake),
    Row("members:intake_edit", group_insiders(members_too=False), kwargs=_member_intake),
    Row("members:couples", FACILITATORS),
    # The world's couple, in the couples group: its facilitator (the "other" one here) and
    # staff unlink; the addict group's facilitator, who linked them, does not see it.
    Row(
        "members:couple_unlink",
        expect(404, anonymous=302, other_facilitator=302, staff=302),
        kwargs=_couple,
        method="post",
        data=lambda w: {"confirmed": "1"},
    ),
    Row("members:sharing", signed_in_only()),
    # Only the consent's owner (the co-member here) may stop it; everyone else 404, staff too.
    Row(
        "members:sharing_revoke",
        expect(404, anonymous=302, same_group_member=302),
        kwargs=_co_member_consent,
        method="post",
    ),
    # Sharing one's intake notes: anyone signed in may post (an empty form is a 400).
    Row("members:intake_share", expect(400, anonymous=302), method="post"),
    # Only the member the notes are about (the co-member here) may stop it; staff too 404.
    Row(
        "members:intake_share_stop",
        expect(404, anonymous=302, same_group_member=302),
        kwargs=_co_member_intake_share,
        method="post",
    ),
    # Quick exit: a plain redirect for anyone; its beacon (POST) answers 204 for anyone.
    Row("quick_exit", expect(302)),
    Row("quick_exit", expect(204), method="post"),
    Row("away", expect(200)),
]
