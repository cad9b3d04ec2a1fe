from groups.models import Enrollment
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import AbsenceFollowUpFactory, SessionFactory

# Only the addict group's facilitator and staff run its attendance; everyone else gets 404.
RUNS_GROUP = group_insiders(members_too=False)
RUNS_GROUP_POST = group_insiders(ok=302, members_too=False)


def _session(w):
    return {"session_pk": SessionFactory(group=w.addict_group).pk}


def _member(w):
    return {"group_pk": w.addict_group.pk, "member_pk": w.member.pk}


def _follow_up(w):
    enrollment = Enrollment.objects.get(group=w.addict_group, member=w.member)
    return {"pk": AbsenceFollowUpFactory(enrollment=enrollment).pk}


ROWS = [
    Row("attendance:index", signed_in_only()),
    Row("attendance:group", RUNS_GROUP, kwargs=lambda w: {"group_pk": w.addict_group.pk}),
    Row(
        "attendance:export",
        RUNS_GROUP,
        kwargs=lambda w: {"group_pk": w.addict_group.pk},
        data=lambda w: {"date_from": "2026-01-01", "date_to": "2026-03-31"},
    ),
    # The member themself is not a matrix persona; a co-member and the partner (no consent) 404.
    Row("attendance:member", RUNS_GROUP, kwargs=_member),
    Row("attendance:letter", RUNS_GROUP, kwargs=_member),
    Row("attendance:roll", RUNS_GROUP, kwargs=_session),
    Row("attendance:mark_going", RUNS_GROUP_POST, kwargs=_session, method="post"),
    Row(
        "attendance:mark",
        RUNS_GROUP_POST,
        kwargs=lambda w: {**_session(w), "member_pk": w.member.pk},
        method="post",
        data=lambda w: {"mark": "present"},
    ),
    Row("attendance:follow_up_done", RUNS_GROUP_POST, kwargs=_follow_up, method="post"),
    Row("attendance:verify", expect(404, anonymous=302, staff=200)),
]
