"""Access rows for every groups URL. The addict group is "the group" (see tests/access/matrix)."""

from groups.models import GroupKind
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import EnrollmentFactory, GroupFactory, UserFactory
from tests.factories.groups import IntakeFactory, SharingConsentFactory

# Facilitator pages that are not about one group: facilitators and staff, members 404.
FACILITATORS = expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200)


def _addable_person(w):
    """Someone the group's facilitator (and staff) may add: in another group Fran runs."""
    person = UserFactory(display_name="Robin")
    EnrollmentFactory(
        group=GroupFactory(kind=GroupKind.ADDICT, facilitators=[w.facilitator]), member=person
    )
    return {"member": person.pk}


def _member_intake(w):
    return {"pk": IntakeFactory(member=w.member, recorded_by=w.facilitator).pk}


def _co_member_consent(w):
    consent = SharingConsentFactory(owner=w.co_member, viewer=w.member, group=w.addict_group)
    return {"pk": consent.pk}


def _member_enrollment(w):
    return {
        "pk": w.addict_group.pk,
        "enrollment_pk": w.addict_group.enrollments.get(member=w.member).pk,
    }


def _couple(w):
    from members.models import Couple

    return {"pk": Couple.objects.get(first=w.member).pk}


ROWS = [
    Row("groups:list", signed_in_only()),
    Row("groups:create", FACILITATORS),
    Row("groups:detail", group_insiders(), kwargs=lambda w: {"pk": w.addict_group.pk}),
    Row(
        "groups:edit",
        group_insiders(members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
    ),
    Row(
        "groups:archive",
        group_insiders(302, members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
        method="post",
    ),
    Row(
        "groups:roster",
        group_insiders(members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
    ),
    Row(
        "groups:roster_add",
        group_insiders(302, members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
        method="post",
        data=_addable_person,
    ),
    Row(
        "groups:roster_invite",
        group_insiders(302, members_too=False),
        kwargs=lambda w: {"pk": w.addict_group.pk},
        method="post",
        data=lambda w: {"email": "new.person@example.org"},
    ),
    Row(
        "groups:enrollment_change",
        group_insiders(302, members_too=False),
        kwargs=_member_enrollment,
        method="post",
        data=lambda w: {"action": "pause"},
    ),
    Row(
        "groups:person",
        group_insiders(members_too=False),
        kwargs=lambda w: {"member_pk": w.member.pk},
    ),
    Row(
        "groups:intake_new",
        group_insiders(members_too=False),
        kwargs=lambda w: {"member_pk": w.member.pk},
    ),
    Row("groups:intake", group_insiders(members_too=False), kwargs=_member_intake),
    Row("groups:intake_edit", group_insiders(members_too=False), kwargs=_member_intake),
    Row("groups:couples", FACILITATORS),
    # The world's couple was linked by the addict group's facilitator.
    Row(
        "groups:couple_unlink",
        group_insiders(302, members_too=False),
        kwargs=_couple,
        method="post",
    ),
    Row("groups:sharing", signed_in_only()),
    # Only the consent's owner (the co-member here) may stop it; everyone else 404, staff too.
    Row(
        "groups:sharing_revoke",
        expect(404, anonymous=302, same_group_member=302),
        kwargs=_co_member_consent,
        method="post",
    ),
]
