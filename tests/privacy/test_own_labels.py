"""A member's own names for their groups on 'Your record' and in their export's summary,
beside the real names (issue 14, point 18)."""

import io
import zipfile

from django.urls import reverse

from groups.services import group_label_set
from members.services.consent import consent_grant
from privacy.export import member_export_zip

LABEL = "Wednesday walkers"


def test_your_record_names_the_group_as_the_member_does(client, world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    client.force_login(world.member)
    body = client.get(reverse("privacy:record")).content.decode()
    assert f"attendance for {LABEL}" in body and "Tuesday evening" not in body


def test_the_export_summary_shows_the_label_beside_the_real_name(world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    consent_grant(owner=world.member, viewer=world.partner, group=world.addict_group)
    with zipfile.ZipFile(io.BytesIO(member_export_zip(world.member))) as archive:
        summary = archive.read("summary.html").decode()
        data = archive.read("data.json").decode()
    both = f"Tuesday evening · {LABEL} (your name for it)"
    assert summary.count(both) >= 2  # the group, and what the member shares
    # The data file keeps the real name as it is stored, and the label apart.
    assert "(your name for it)" not in data and f'"your_name_for_it": "{LABEL}"' in data


def test_without_a_label_the_summary_shows_the_real_name_only(world):
    with zipfile.ZipFile(io.BytesIO(member_export_zip(world.member))) as archive:
        summary = archive.read("summary.html").decode()
    assert "Tuesday evening" in summary and "your name for it" not in summary
