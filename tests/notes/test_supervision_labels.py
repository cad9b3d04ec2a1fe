"""The supervisor list names each person once, under a heading, and its empty choice is short
enough for a phone (the trial found 'Sam (staff) (staff)' and 'None named: st…')."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from notes.models import SupervisedFacilitator

URL = reverse("notes:supervision")
pytestmark = pytest.mark.django_db


def test_supervisors_are_grouped_not_suffixed(client, world):
    # GIVEN a staff account whose name already says "(staff)"
    world.staff.display_name = "Sam (staff)"
    world.staff.save(update_fields=["display_name"])
    client.force_login(world.staff)
    # WHEN staff open the supervision page
    page = client.get(URL).content.decode()
    # THEN the name shows as typed, once, under "Clinic staff"; facilitators under theirs
    assert "Sam (staff) (staff)" not in page
    staff_group = re.search(r'<optgroup label="Clinic staff">(.*?)</optgroup>', page, re.S)
    assert f'<option value="{world.staff.pk}">Sam (staff)</option>' in staff_group.group(1)
    facilitators = re.search(r'<optgroup label="Facilitators">(.*?)</optgroup>', page, re.S)
    assert f">{world.facilitator.display_name}</option>" in facilitators.group(1)
    assert '<option value="" selected>No one in particular</option>' in page


def test_a_grouped_choice_still_saves(client, world):
    client.force_login(world.staff)
    data = {"facilitator": world.facilitator.pk, "supervised": "on", "supervisor": world.staff.pk}
    assert client.post(URL, data).status_code == 302
    row = SupervisedFacilitator.objects.get(facilitator=world.facilitator)
    assert row.supervisor == world.staff
    # AND the page shows it chosen
    page = client.get(URL).content.decode()
    assert f'<option value="{world.staff.pk}" selected>' in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ("Équipe de la clinique", "Personne en particulier")),
        ("es", ("Personal de la clínica", "Nadie en particular")),
    ],
)
def test_headings_in_each_language(client, world, language, words):
    world.staff.language = language
    world.staff.save(update_fields=["language"])
    client.force_login(world.staff)
    with translation.override(language):
        page = client.get(URL).content.decode()
    assert f'<optgroup label="{words[0]}">' in page and f">{words[1]}</option>" in page
