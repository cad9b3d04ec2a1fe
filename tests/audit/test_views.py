"""The staff pages: search, CSV export and the accounting of disclosures; 404 for everyone else;
and a wall's 404 is recorded as a refused look-up while answering exactly as before."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit import api as audit
from audit.models import AuditEvent
from audit.selectors import disclosures_for
from tests.factories import UserFactory
from tests.factories.groups import IntakeFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("audit:events")
EXPORT = reverse("audit:export")


@pytest.fixture
def trail(world):
    """A small trail: the facilitator read the member's screening on 1 March, staff changed
    the co-member's enrolment on 2 March, the member signed in on 3 March."""
    for day, args in (
        (1, ("intake.read", world.member, world.facilitator)),
        (2, ("enrolment.change", world.co_member, world.staff)),
        (3, ("auth.login", world.member, world.member)),
    ):
        with time_machine.travel(datetime.datetime(2026, 3, day, 12, tzinfo=datetime.UTC)):
            action, subject, actor = args
            audit.record(action, subject=subject, actor=actor, target="members.user")


def _actions(response) -> list[str]:
    """The actions listed, leaving out the staff's own searches (each is audited too)."""
    rows = response.context["rows"]
    return [row["event"].action for row in rows if not row["event"].action.startswith("audit.")]


def _without_csrf(response) -> str:
    # The sign-out button's token is masked afresh on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("persona", ["member", "facilitator", "other_facilitator", "partner"])
@pytest.mark.parametrize("url", ["events", "export", "disclosures"])
def test_only_staff_see_the_audit_pages(client, world, persona, url):
    # GIVEN anyone but staff WHEN they open an audit page THEN it is not there
    client.force_login(getattr(world, persona))
    kwargs = {"person_pk": world.member.pk} if url == "disclosures" else {}
    assert client.get(reverse(f"audit:{url}", kwargs=kwargs)).status_code == 404


def test_staff_search_by_person_actor_action_and_dates(client, world, trail):
    client.force_login(world.staff)
    # GIVEN the trail WHEN staff filter by whose record (by email, then by id)
    by_email = client.get(EVENTS, {"person": world.member.email.upper()})
    by_id = client.get(EVENTS, {"person": str(world.member.pk)})
    # THEN they see that person's rows, newest first
    assert _actions(by_email) == _actions(by_id) == ["auth.login", "intake.read"]
    # AND by who did it, by an action or a whole area, by dates (in their own time zone)
    by_staff = _actions(client.get(EVENTS, {"actor": world.staff.email}))
    assert by_staff == ["auth.login", "enrolment.change"]  # their sign-in for this test, today
    assert _actions(client.get(EVENTS, {"action": "intake.read"})) == ["intake.read"]
    assert "auth.login" in _actions(client.get(EVENTS, {"action": "auth."}))
    dated = client.get(EVENTS, {"date_from": "2026-03-02", "date_to": "2026-03-02"})
    assert _actions(dated) == ["enrolment.change"]
    # AND an address nobody has matches nothing (rather than everything)
    assert _actions(client.get(EVENTS, {"person": "nobody@example.org"})) == []


def test_the_page_names_people_and_roles_and_shows_erased_people_by_id(client, world, trail):
    # GIVEN a row about someone whose account is gone (erased)
    gone = UserFactory()
    audit.record("intake.read", subject=gone.pk, actor=world.facilitator)
    gone_id = gone.pk
    gone.delete()
    client.force_login(world.staff)
    body = client.get(EVENTS, {"date_from": "2026-01-01"}).content.decode()
    # THEN rows show names and roles, and the erased person as a bare id
    assert "Fran" in body and "Facilitator" in body
    assert f"Person #{gone_id}" in body


def test_names_for_a_page_are_read_in_one_query(client, world, trail):
    # GIVEN staff on the audit page
    client.force_login(world.staff)
    client.get(EVENTS)  # warm up: the first request records the browser session
    with CaptureQueriesContext(connection) as few:
        client.get(EVENTS)
    # WHEN thirty more rows, each with two more people, are on the page
    for _ in range(30):
        audit.record("intake.read", subject=UserFactory(), actor=UserFactory(facilitator=True))
    with CaptureQueriesContext(connection) as many:
        client.get(EVENTS)
    # THEN the page runs the same queries: every name on it comes from one query
    assert len(many.captured_queries) == len(few.captured_queries)
    names = [q for q in many.captured_queries if '"display_name" AS "display_name"' in q["sql"]]
    assert len(names) == 1


def test_with_no_filter_the_page_shows_the_last_ninety_days(client, world, trail):
    # GIVEN rows from March and one from today WHEN staff open the page with no filter
    audit.record("attendance.read", subject=world.member, actor=world.facilitator)
    client.force_login(world.staff)
    response = client.get(EVENTS)
    # THEN only the recent rows show, and the form says from when
    assert "attendance.read" in _actions(response)
    assert "intake.read" not in _actions(response)
    assert response.context["form"]["date_from"].value()


def test_bad_filters_are_a_form_error_not_a_500(client, world):
    client.force_login(world.staff)
    for params in (
        {"date_from": "2026-13-45"},
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"action": "no.such"},
        {"person": "9" * 40},
        {"page": "-1"},
        {"person": "\x00"},
    ):
        assert client.get(EVENTS, params).status_code in (200, 400), params
        assert client.get(EXPORT, params).status_code in (200, 400), params


def test_export_is_the_current_filter_as_csv_and_is_itself_audited(client, world, trail):
    client.force_login(world.staff)
    response = client.get(EXPORT, {"person": world.member.email})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [row["action"] for row in rows if not row["action"].startswith("audit.")] == [
        "auth.login",
        "intake.read",
    ]
    read = next(row for row in rows if row["action"] == "intake.read")
    assert (read["actor_name"], read["actor_role"]) == ("Fran", "facilitator")
    # AND the export left its own row, naming the filter by id, never the typed address
    exported = AuditEvent.objects.get(action="audit.export")
    assert (exported.actor_id, exported.subject_id) == (world.staff.pk, world.member.pk)
    assert exported.detail["person"] == world.member.pk
    assert world.member.email not in str(exported.detail)


def test_export_cells_cannot_run_as_formulas(client, world):
    sneaky = UserFactory(display_name="=HYPERLINK(1)", facilitator=True)
    audit.record("intake.read", subject=world.member, actor=sneaky)
    client.force_login(world.staff)
    rows = _csv(client.get(EXPORT))
    assert any(row["actor_name"] == "'=HYPERLINK(1)" for row in rows)


def test_disclosures_list_who_read_or_changed_a_record_and_print_alone(client, world, trail):
    client.force_login(world.staff)
    url = reverse("audit:disclosures", args=[world.member.pk])
    response = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31"})
    # THEN the facilitator's read is listed, the member's own sign-in is not
    assert _actions(response) == ["intake.read"]
    body = response.content.decode()
    assert "Fran" in body and "Opened a screening" in body
    # AND the page carries its print stylesheet (no menu when printed)
    assert "audit/audit.css" in body
    # AND opening it is recorded about that member
    assert AuditEvent.objects.filter(action="audit.disclosures", subject_id=world.member.pk)


def test_disclosures_for_gives_roles_and_labels_for_the_member_page(world, trail):
    found = disclosures_for(world.member.pk)
    assert [(d.actor_role, d.actor_role_label, d.action_label) for d in found] == [
        ("facilitator", "Facilitator", "Opened a screening")
    ]
    since = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    assert disclosures_for(world.member.pk, since=since) == []


def test_a_denied_lookup_is_recorded_and_answers_the_same_404(client, world, settings):
    # GIVEN a screening of a member in a group the other facilitator does not run
    intake = IntakeFactory(member=world.member, group=world.addict_group)
    url = reverse("members:intake", args=[intake.pk])
    missing = reverse("members:intake", args=[intake.pk + 1000])
    client.force_login(world.other_facilitator)
    before = AuditEvent.objects.count()
    # WHEN they ask for it, and for one that does not exist
    denied, absent = client.get(url), client.get(missing)
    # THEN both answer the same 404 page, saying nothing about which exists
    assert denied.status_code == absent.status_code == 404
    assert _without_csrf(denied) == _without_csrf(absent)
    # AND both are recorded as refused, naming the kind of record and the id asked for
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.outcome, r.target, r.actor_id) for r in rows] == [
        ("access.denied", "denied", "members.intake", world.other_facilitator.pk)
    ] * 2
    assert [r.target_id for r in rows] == [str(intake.pk), str(intake.pk + 1000)]
    assert rows[0].detail == {"view": "members:intake"}
