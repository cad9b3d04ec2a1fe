"""Questionnaires, alerts, check-ins and sharing: Alex's (world.member's) things are Alex's
alone; the addict group's facilitator and staff read them; a partner sees only what Alex
shares (check-ins, milestone), only while the share lasts."""

from measures.models import Instrument
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories.measures import (
    AlertFactory,
    CheckInShareFactory,
    PromptFactory,
    ResponseFactory,
    ScheduleFactory,
)

RUNS_GROUP = group_insiders(members_too=False)
RUNS_GROUP_POST = group_insiders(ok=302, members_too=False)
NOBODY_BUT_ALEX = expect(404, anonymous=302)
MEMBERS_ONLY = expect(
    404, anonymous=302, other_kind_member=200, same_group_member=200, partner_of_member=200
)


def _prompt(w):
    schedule = ScheduleFactory(group=w.addict_group)
    return {"pk": PromptFactory(schedule=schedule, member=w.member).pk}


def _response(w):
    return {"pk": ResponseFactory(member=w.member).pk}


def _member(w):
    return {"group_pk": w.addict_group.pk, "member_pk": w.member.pk}


def _alert(w):
    return {"pk": AlertFactory(response__member=w.member, group=w.addict_group).pk}


def _schedule(w):
    return {"pk": ScheduleFactory(group=w.addict_group).pk}


def _first_questions(w):
    return {"pk": Instrument.objects.get(slug="first-questions").pk}


def _shared_with_partner(w):
    CheckInShareFactory(owner=w.member, viewer=w.partner, item="check_ins")
    return {"owner_pk": w.member.pk}


def _own_share(w):
    return {"pk": CheckInShareFactory(owner=w.member, viewer=w.partner).pk}


ROWS = [
    Row("measures:index", signed_in_only()),
    Row("measures:crisis", signed_in_only()),
    Row("measures:prompt", NOBODY_BUT_ALEX, kwargs=_prompt),
    Row("measures:start", MEMBERS_ONLY, kwargs=_first_questions),
    Row("measures:draft", NOBODY_BUT_ALEX, kwargs=_response),
    Row("measures:done", NOBODY_BUT_ALEX, kwargs=_response),
    Row("measures:group", RUNS_GROUP, kwargs=lambda w: {"group_pk": w.addict_group.pk}),
    Row("measures:member", RUNS_GROUP, kwargs=_member),
    Row("measures:response", RUNS_GROUP, kwargs=lambda w: {**_member(w), **_response(w)}),
    Row("measures:schedule_end", RUNS_GROUP_POST, kwargs=_schedule, method="post"),
    Row("measures:alert", RUNS_GROUP, kwargs=_alert),
    Row("measures:alert_ack", RUNS_GROUP_POST, kwargs=_alert, method="post"),
    Row("measures:checkins", signed_in_only()),
    Row(
        "measures:milestone",
        signed_in_only(302),
        method="post",
        data=lambda w: {"milestone-name": "Free days", "milestone-since": "2026-01-01"},
    ),
    Row("measures:sharing", signed_in_only()),
    Row("measures:share_revoke", NOBODY_BUT_ALEX, kwargs=_own_share, method="post"),
    Row(
        "measures:shared",
        expect(404, anonymous=302, partner_of_member=200),
        kwargs=_shared_with_partner,
    ),
]
