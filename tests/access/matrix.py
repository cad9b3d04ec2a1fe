"""The access matrix: every URL pattern of the project x every role -> expected status.

Each app lists its rows in `tests/access/rows_<app>.py` as ROWS. A URL pattern with no row
fails `test_every_url_pattern_has_a_row`, so no page can skip the matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "other_kind_member",  # member of another kind of group
    "same_group_member",  # member of the same group
    "partner_of_member",  # the member's partner, in a partner group
    "other_facilitator",  # facilitator of another group
    "group_facilitator",
    "staff",
)

# Which World persona plays each role (None: not signed in).
ROLE_PERSONA = {
    "anonymous": None,
    "other_kind_member": "other_kind_member",
    "same_group_member": "co_member",
    "partner_of_member": "partner",
    "other_facilitator": "other_facilitator",
    "group_facilitator": "facilitator",
    "staff": "staff",
}


@dataclass
class Row:
    """One URL pattern: how to build its arguments from the World, and who gets what."""

    name: str
    expect: dict[str, int]
    kwargs: Callable[..., dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[..., dict] = field(default=lambda world: {})


def expect(default: int, **by_role: int) -> dict[str, int]:
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return {role: by_role.get(role, default) for role in ROLES}


# Shorthands for the common shapes. 302: a login redirect for anonymous visitors.
def signed_in_only(ok: int = 200) -> dict[str, int]:
    return expect(ok, anonymous=302)


def group_insiders(ok: int = 200, members_too: bool = True) -> dict[str, int]:
    """The addict group's own facilitator and staff (and members, if members_too); 404 else."""
    return expect(
        404,
        anonymous=302,
        same_group_member=ok if members_too else 404,
        group_facilitator=ok,
        staff=ok,
    )
