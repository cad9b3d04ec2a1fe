"""Reads behind the group pages: a person's groups, the groups they run, whom a roster may add.

Built on groups.permissions and the membership API (groups.selectors). Whom a facilitator may
see is members' answer, asked through members.api. The next session of each group is the
sessions app's: templates add it with `{% with_next_session %}` (scheduling_tags).
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from groups.labels import own_label
from groups.models import ACTIVE_STATUSES, VISIBLE_STATUSES, GroupKind
from groups.permissions import groups_facilitated_by, groups_visible_to
from groups.selectors import group_ids_of, member_ids_in
from members import api as members_api


def member_groups(user):
    """The groups a member belongs to (not archived), each with `own_label` (the name they
    gave it, or None; in the same query), by the name they see."""
    if not user.is_authenticated:
        return groups_visible_to(user)
    mine = group_ids_of(user, VISIBLE_STATUSES)
    groups = groups_visible_to(user).filter(pk__in=mine).active()
    groups = groups.annotate(own_label=own_label(user))
    return groups.order_by(Coalesce("own_label", "name"), "pk")


def facilitator_groups(user, archived: bool = False, language: str = ""):
    """Groups the user runs (staff: all), each with `active_count`, by name; only those that
    meet in `language` when one is given."""
    groups = groups_facilitated_by(user)
    groups = groups.filter(archived_at__isnull=not archived)
    if language:
        groups = groups.filter(language=language)
    # The seats taken (groups.selectors.enrolled_count), counted for every group at once.
    groups = groups.annotate(
        active_count=Count("enrollments", filter=Q(enrollments__status__in=ACTIVE_STATUSES))
    )
    return groups.order_by("name", "pk")


def addable_members(actor, group):
    """People the actor may add: visible to them and not currently in the group."""
    current = member_ids_in(group, statuses=VISIBLE_STATUSES)  # a current (not left) stint
    people = (
        get_user_model()
        .objects.filter(pk__in=members_api.member_ids_visible_to(actor.pk))
        .exclude(pk__in=current)
        .order_by("display_name", "pk")
    )
    if group.kind == GroupKind.COUPLES:
        # Only people in a couple the actor can see (both partners) can join a couples group.
        people = people.filter(pk__in=members_api.coupled_member_ids_visible_to(actor.pk))
    return people
