"""Reads behind the group pages: one query each, and nothing outside the person's view."""

import datetime

import time_machine

from groups import listings, selectors
from sessions.selectors import with_next_session
from tests.factories import SessionFactory

NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_facilitator_groups_is_one_query(django_assert_num_queries, world):
    SessionFactory(group=world.partner_group)
    # 1: the groups run, with the active count and (added by the page's sessions tag) the
    # next session as subqueries
    with django_assert_num_queries(1):
        groups = list(with_next_session(listings.facilitator_groups(world.other_facilitator)))
    assert [(g.name, g.active_count, g.next_session_id is not None) for g in groups] == [
        ("Saturday morning", 0, False),
        ("Thursday evening", 2, True),
    ]


def test_roster_is_one_query(django_assert_num_queries, world):
    # 1: every stint with its member and couple joined in
    with django_assert_num_queries(1):
        names = [stint.member.display_name for stint in selectors.roster(world.addict_group)]
    assert sorted(names) == ["Alex", "Casey"]


def test_addable_members_leave_out_current_members_and_strangers(world):
    assert list(listings.addable_members(world.facilitator, world.addict_group)) == []
    # In a couples group only couples the actor can see whole are offered: Jordan's partner
    # Alex is in a group the couples group's facilitator does not run.
    offered = listings.addable_members(world.other_facilitator, world.couples_group)
    assert list(offered) == []
    offered = listings.addable_members(world.staff, world.couples_group)
    assert {p.display_name for p in offered} == {"Alex", "Jordan"}
