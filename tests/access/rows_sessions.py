import datetime

from django.utils import timezone

from sessions.links import rsvp_token
from sessions.services import calendar_feed_make
from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import SeriesFactory, SessionFactory


def _session(world) -> dict:
    start = timezone.now() + datetime.timedelta(days=7)
    session = SessionFactory(
        group=world.addict_group, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    return {"pk": session.pk}


def _series(world) -> dict:
    return {"pk": SeriesFactory(group=world.addict_group).pk}


def _group(world) -> dict:
    return {"group_pk": world.addict_group.pk}


def _link(world) -> dict:
    session = SessionFactory(group=world.addict_group)
    return {"token": rsvp_token(world.member, session, "going")}


def _feed(world) -> dict:
    return {"token": calendar_feed_make(user=world.member)}


FACILITATORS = group_insiders(members_too=False)
FACILITATORS_POST = group_insiders(302, members_too=False)

ROWS = [
    Row("scheduling:upcoming", signed_in_only()),
    Row("scheduling:detail", group_insiders(), kwargs=_session),
    Row(
        "scheduling:rsvp",
        group_insiders(302),
        kwargs=_session,
        method="post",
        data=lambda w: {"answer": "going"},
    ),
    Row("scheduling:change", FACILITATORS, kwargs=_session),
    Row(
        "scheduling:cancel",
        FACILITATORS_POST,
        kwargs=_session,
        method="post",
        data=lambda w: {"reason": "Room closed", "confirmed": "1"},
    ),
    Row("scheduling:restore", FACILITATORS_POST, kwargs=_session, method="post"),
    Row("scheduling:ics", group_insiders(), kwargs=_session),
    Row("scheduling:schedule", FACILITATORS, kwargs=_group),
    Row("scheduling:series_create", FACILITATORS, kwargs=_group),
    Row("scheduling:session_add", FACILITATORS, kwargs=_group),
    Row("scheduling:series_edit", FACILITATORS, kwargs=_series),
    Row(
        "scheduling:series_end",
        FACILITATORS_POST,
        kwargs=_series,
        method="post",
        data=lambda w: {"last_date": "2027-06-01", "confirmed": "1"},
    ),
    Row(
        "scheduling:series_skip",
        FACILITATORS_POST,
        kwargs=_series,
        method="post",
        data=lambda w: {"day": "2026-12-29", "reason": "Holidays"},
    ),
    Row("scheduling:calendar", signed_in_only()),
    # Made and shown in the response itself (the address is stored only hashed).
    Row("scheduling:calendar_regenerate", signed_in_only(), method="post"),
    Row("scheduling:calendar_turn_off", expect(302), method="post"),
    # Token URLs: the secret is the key (calendar apps and mail links carry no login).
    Row("scheduling:feed", expect(200), kwargs=_feed),
    Row("scheduling:link", expect(200), kwargs=_link),
]
