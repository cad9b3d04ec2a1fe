"""Groups suggested for a request match on kind, format (in person / online), time zone and
free seats; the group page links its facilitators to its waiting list and agreement."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import GroupFormat, GroupKind
from groups.selectors import enrolled_count
from referrals import services
from referrals.agreements import agreement_publish
from referrals.models import ForWhom, MeetingFormat, Referral
from referrals.selectors import suggested_groups, waiting_count
from referrals.waiting import free_seats, waiting_list_add
from tests.factories import EnrollmentFactory, GroupFactory, UserFactory
from tests.factories.referrals import SeatOfferFactory, WaitingListEntryFactory
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

# A winter day: London and Lisbon share a clock, Paris is an hour ahead.
WINTER = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def _request(**fields) -> Referral:
    defaults = {
        "name": "Robin",
        "email": "robin@example.net",
        "message_ok": True,
        "for_whom": ForWhom.SELF,
        "consent_contact": True,
    }
    return services.referral_submit(**{**defaults, **fields})


@pytest.fixture
def groups(world):
    def make(name, **fields):
        return GroupFactory(name=name, facilitators=[world.facilitator], **fields)

    return {
        "online_london": make("A online London", format=GroupFormat.ONLINE),
        "hybrid_london": make("B hybrid London", format=GroupFormat.HYBRID),
        "in_person_london": make("C in person London", format=GroupFormat.IN_PERSON),
        "online_lisbon": make(
            "D online Lisbon", format=GroupFormat.ONLINE, time_zone="Europe/Lisbon"
        ),
        "online_paris": make("E online Paris", format=GroupFormat.ONLINE, time_zone="Europe/Paris"),
        "online_partner": make(
            "F online partner", format=GroupFormat.ONLINE, kind=GroupKind.PARTNER
        ),
        "full_online": make("0 full online London", format=GroupFormat.ONLINE, capacity=1),
    }


def _names(referral, user):
    return [row["group"].name for row in suggested_groups(referral, user, now=WINTER)]


def test_suggestions_match_kind_format_zone_and_put_free_seats_first(world, groups):
    EnrollmentFactory(group=groups["full_online"], member=UserFactory())
    referral = _request(format=MeetingFormat.ONLINE, time_zone="Europe/London")
    # Online, on London's clock, of the recovery kind: free ones by name, then the full one
    assert _names(referral, world.facilitator) == [
        "A online London",
        "B hybrid London",
        "D online Lisbon",
        "0 full online London",
    ]


def test_in_person_and_either(world, groups):
    in_person = _request(format=MeetingFormat.IN_PERSON, time_zone="Europe/London")
    names = _names(in_person, world.facilitator)
    assert "C in person London" in names and "B hybrid London" in names
    assert "A online London" not in names
    # Either format and no zone known: every group of the kind the facilitator runs
    either = _request(email="sam@example.net")
    assert set(_names(either, world.facilitator)) >= {
        "A online London",
        "C in person London",
        "E online Paris",
        world.addict_group.name,
    }
    assert "F online partner" not in _names(either, world.facilitator)


def test_the_screenings_recommended_kind_wins(world, groups):
    referral = _request(format=MeetingFormat.ONLINE, time_zone="Europe/London")
    referral = services.referral_record_intake(
        referral=referral, actor=world.staff, level="casual", recommended_kind="partner"
    )
    assert _names(referral, world.staff) == ["F online partner"]


def test_the_request_page_shows_what_fits_and_staff_can_correct_it(world, groups, client):
    referral = _request(format=MeetingFormat.ONLINE, time_zone="Europe/Paris")
    client.force_login(world.staff)
    url = reverse("referrals:detail", args=[referral.pk])
    assert "E online Paris" in client.get(url).content.decode()
    # Staff learn they would rather meet in person, in London
    response = client.post(
        reverse("referrals:update", args=[referral.pk]),
        {
            "status-status": "contacted",
            "status-format": "in_person",
            "status-time_zone": "Europe/London",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.format, referral.time_zone) == ("in_person", "Europe/London")
    # A made-up zone is a form error, nothing changes
    response = client.post(
        reverse("referrals:update", args=[referral.pk]),
        {"status-status": "contacted", "status-time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.time_zone == "Europe/London"


def test_the_public_form_records_format_and_zone(client):
    client.post(reverse("request_form"), form_data(format="online", time_zone="Europe/Madrid"))
    referral = Referral.objects.get()
    assert (referral.format, referral.time_zone) == ("online", "Europe/Madrid")


def test_the_group_page_links_its_facilitators_to_the_list_and_agreement(world, client):
    group = world.addict_group
    waiting_list_add(group=group, member=UserFactory(), actor=world.facilitator)
    agreement_publish(group=group, actor=world.facilitator, text="We keep what is said here.")
    waiting_url = reverse("referrals:waiting_list", args=[group.pk])
    agreement_url = reverse("referrals:agreement_manage", args=[group.pk])
    client.force_login(world.facilitator)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert waiting_url in page and agreement_url in page
    assert "Agreement (version 1)" in page
    # A member of the group sees neither
    client.force_login(world.member)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert waiting_url not in page and agreement_url not in page


def test_suggestions_filter_by_the_language_a_group_meets_in(world, client):
    french = GroupFactory(name="Mardi soir", language="fr", facilitators=[world.facilitator])
    spanish = GroupFactory(name="Martes noche", language="es", facilitators=[world.facilitator])
    referral = _request(language="fr")
    # In the selector: only the groups meeting in that language
    names = [row["group"].name for row in suggested_groups(referral, world.staff, language="es")]
    assert names == [spanish.name]
    # On the page: the request's own language by default, any on request, nonsense is any
    client.force_login(world.staff)
    url = reverse("referrals:detail", args=[referral.pk])

    def suggested(query=""):
        page = client.get(url + query).content.decode()
        return page.split('id="groups-heading"')[1].split("<h3>")[0]

    section = suggested()
    assert french.name in section and spanish.name not in section
    assert world.addict_group.name not in section
    for query in ("?language=", "?language=xx"):
        section = suggested(query)
        assert french.name in section and spanish.name in section
    section = suggested("?language=es")
    assert spanish.name in section and french.name not in section


def test_suggested_seats_agree_with_the_waiting_list_and_cost_one_query(world, groups):
    # GIVEN groups with seats taken, a seat held by an open offer (a couple: two seats) and
    # people waiting
    roomy = GroupFactory(
        name="G roomy", facilitators=[world.facilitator], capacity=6, format=GroupFormat.ONLINE
    )
    for _ in range(2):
        EnrollmentFactory(group=roomy, member=UserFactory())
    SeatOfferFactory(entry=WaitingListEntryFactory(group=roomy, seats=2, status="offered"))
    WaitingListEntryFactory(group=roomy)
    referral = _request(format=MeetingFormat.ONLINE, time_zone="Europe/London")
    # WHEN the request page suggests groups
    with CaptureQueriesContext(connection) as queries:
        rows = suggested_groups(referral, world.facilitator, now=WINTER)
    # THEN each row counts as the waiting list does, in one query however many groups
    assert len(queries) == 1
    assert len(rows) >= 4
    for row in rows:
        group = row["group"]
        assert row["free"] == free_seats(group), group.name
        assert row["taken"] == enrolled_count(group), group.name
        assert row["waiting"] == waiting_count(group), group.name
    roomy_row = next(row for row in rows if row["group"].pk == roomy.pk)
    assert (roomy_row["free"], roomy_row["taken"], roomy_row["waiting"]) == (2, 2, 2)
