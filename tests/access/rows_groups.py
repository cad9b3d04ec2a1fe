"""Access rows for every groups URL. The addict group is "the group" (see tests/access/matrix).

The people pages under groups/ (person, intake, couples, sharing, the roster's invitation) are
members' URLs: tests/access/rows_members.py."""

from groups.models import GroupKind
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import EnrollmentFactory, GroupFactory, UserFactory

# Facilitator pages that are not about one group: facilitators and staff, members 404.
FACILITATORS = expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200)


def _addable_person(w):
    """Someone the group's facilitator (and staff) may add: in another group Fran runs."""
    person = UserFactory(display_name="Robin")
    EnrollmentFactory(
        group=GroupFactory(kind=GroupKind.ADDICT, facilitators=[w.facilitator]), member=person
    )
    return {"member": person.pk}


def _member_enrollment(w):
    return {
        "pk": w.addict_group.pk,
        "enrollment_pk": w.addict_group.enrollments.get(member=w.member).pk,
    }


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
    # A member's own name for a group: members of it only (a redirect back to its page);
    # facilitators and staff always see the real name, so they cannot set one.
    Row(
        "groups:label",
        expect(404, anonymous=302, same_group_member=302),
        kwargs=lambda w: {"pk": w.addict_group.pk},
        method="post",
        data=lambda w: {"label": "Book club"},
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
        "groups:enrollment_change",
        group_insiders(302, members_too=False),
        kwargs=_member_enrollment,
        method="post",
        data=lambda w: {"action": "pause"},
    ),
]
