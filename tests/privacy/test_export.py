"""A member's export holds everything Circle has about them, and nothing about anyone else."""

import io
import json
import zipfile

import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from privacy.export import member_export_zip
from tests.privacy.conftest import NOW


def _files(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _others(world) -> list[str]:
    """What must never appear: the co-member's and the other group's member's names and
    addresses, the partner's address and record, and the outsider."""
    return [
        world.co_member.display_name,
        world.co_member.email,
        world.other_kind_member.display_name,
        world.other_kind_member.email,
        world.partner.email,
        world.outsider.display_name,
        world.outsider.email,
        world.facilitator.email,
        world.other_facilitator.email,
        "CASEY-",
        "JORDAN-",
        "MORGAN-",
    ]


def test_the_export_holds_the_members_data_and_nobody_elses(world, records):
    # WHEN the member's export is built
    with time_machine.travel(NOW, tick=False):
        files = _files(member_export_zip(world.member))

    # THEN it has the two files
    assert set(files) == {"data.json", "summary.html"}
    # AND neither names anyone else or holds anyone else's record
    for name, text in files.items():
        for other in _others(world):
            assert other not in text, f"{name} holds {other!r}"
    # AND both hold the member's own data, their intake answers included
    for name, text in files.items():
        for own in (
            world.member.email,
            "+447700900123",
            "ALEX-concern",
            "ALEX-shame",
            "ALEX-notes",
            "ALEX-rsvp-note",
            "ALEX-excuse",
            "ALEX-subject",
            "ALEX-body",
            "Evening reading",
        ):
            assert own in text, f"{name} lacks {own!r}"


def test_the_json_has_every_section_and_the_partner_only_by_name(world, records):
    with time_machine.travel(NOW, tick=False):
        data = json.loads(_files(member_export_zip(world.member))["data.json"])

    assert data["account"]["email"] == world.member.email
    assert data["preferences"]["reminders_on"] is False
    assert [g["group"] for g in data["groups"]] == [world.addict_group.name]
    assert {r["note"] for r in data["rsvps"]} == {"ALEX-rsvp-note", "ALEX-future-note"}
    assert [a["reason"] for a in data["attendance"]] == ["ALEX-excuse"]
    assert len(data["attendance_letters"]) == 1
    assert [r["title"] for r in data["reading"]] == ["Evening reading"]
    assert [n["body"] for n in data["notifications"]] == ["ALEX-body"]
    # The couple link says only that it exists and with whom, by display name.
    assert data["couple"]["partner"] == world.partner.display_name
    assert set(data["couple"]) == {"partner", "since"}
    assert [c["with"] for c in data["sharing_given"]] == [world.partner.display_name]
    assert [c["from"] for c in data["sharing_received"]] == [world.partner.display_name]
    assert [i["escape"] for i in data["intakes"]] == ["ALEX-escape"]
    # Who recorded it, by role only.
    assert data["intakes"][0]["recorded_by"] == "Facilitator"
    assert [i["email"] for i in data["invitations_accepted"]] == [world.member.email]


def test_the_summary_is_self_contained(world, records):
    summary = _files(member_export_zip(world.member))["summary.html"]
    assert "<style>" in summary
    for outside in ("http://", "https://", "<script", "<link", "src="):
        assert outside not in summary


def test_a_member_downloads_their_export(client, world, records):
    with time_machine.travel(NOW, tick=False):
        # GIVEN the member signed in
        client.force_login(world.member)
        # WHEN they download their data
        response = client.get(reverse("privacy:export"))

    # THEN it is a zip with a discreet name that no cache keeps
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="circle-data-2026-11-30.zip"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    files = _files(b"".join(response.streaming_content))
    assert world.member.email in files["data.json"]


def test_staff_download_a_members_export_and_it_is_recorded(client, world, records):
    client.force_login(world.staff)
    response = client.get(reverse("privacy:member_export", args=[world.member.pk]))

    assert response.status_code == 200
    files = _files(b"".join(response.streaming_content))
    assert world.member.email in files["data.json"]
    assert world.co_member.email not in files["data.json"]
    event = AuditEvent.objects.get(action="privacy.export")
    assert (event.actor_id, event.subject_id) == (world.staff.pk, world.member.pk)


def test_staff_cannot_export_a_staff_or_facilitator_account(client, world):
    client.force_login(world.staff)
    for pk in (world.facilitator.pk, world.staff.pk, 999999):
        response = client.get(reverse("privacy:member_export", args=[pk]))
        assert response.status_code == 404
