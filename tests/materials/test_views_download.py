"""The wall around files: only the audience, its facilitators and staff fetch a file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupKind
from materials.models import Reading
from tests.factories import GroupFactory, LibraryItemFactory, MaterialFactory
from tests.factories.materials import PDF_BYTES


@pytest.fixture
def pdf_material(world):
    return MaterialFactory(group=world.addict_group, with_file=True, title="Week 3 workbook")


def _get(client, user, material):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("materials:download", kwargs={"pk": material.pk}))


@pytest.mark.parametrize("persona", ["other_kind_member", "partner", "outsider", None])
def test_outsiders_get_404_for_the_file_url_even_when_they_know_it(
    client, world, pdf_material, persona
):
    """GIVEN a file shared with the addict group and its exact URL
    WHEN a member of another group, the member's partner, an outsider or nobody asks for it
    THEN the answer is 404, with no login redirect hinting that something is there."""
    user = getattr(world, persona) if persona else None
    response = _get(client, user, pdf_material)
    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_facilitator_of_another_group_gets_404(client, world, pdf_material):
    assert _get(client, world.other_facilitator, pdf_material).status_code == 404


def test_member_of_the_group_gets_the_file_under_a_neutral_name(client, world, pdf_material):
    response = _get(client, world.member, pdf_material)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'inline; filename="reading-{pdf_material.pk}.pdf"'
    assert "workbook" not in disposition.lower()
    assert response["Cache-Control"] == "private, no-store"
    # Fetching the file is not reading it: the member marks it read themselves.
    assert not Reading.objects.filter(material=pdf_material, member=world.member).exists()


def test_the_wall_is_checked_on_every_request(client, world, pdf_material):
    client.force_login(world.member)
    url = reverse("materials:download", kwargs={"pk": pdf_material.pk})
    assert client.get(url).status_code == 200

    world.member.enrollments.update(status="left")

    assert client.get(url).status_code == 404


def test_material_not_yet_visible_is_404_for_members(client, world):
    later = MaterialFactory(
        group=world.addict_group,
        with_file=True,
        visible_from=timezone.now() + datetime.timedelta(days=2),
        published_at=None,
    )
    assert _get(client, world.member, later).status_code == 404
    client.logout()
    assert _get(client, world.facilitator, later).status_code == 200


def test_kind_wide_file_for_partner_groups_is_404_for_addict_group_members(client, world):
    material = MaterialFactory(group=None, kind=GroupKind.PARTNER, with_file=True)
    assert _get(client, world.member, material).status_code == 404
    client.logout()
    assert _get(client, world.partner, material).status_code == 200


def test_x_sendfile_hands_the_transfer_to_the_web_server(client, world, pdf_material, settings):
    settings.MATERIAL_DOWNLOAD_OFFLOAD = "x-sendfile"
    response = _get(client, world.member, pdf_material)

    assert response.status_code == 200
    assert response["X-Sendfile"] == pdf_material.file.path
    assert response.content == b""
    assert response["Content-Disposition"] == f'inline; filename="reading-{pdf_material.pk}.pdf"'


def test_x_accel_redirect_points_at_the_internal_location(client, world, pdf_material, settings):
    settings.MATERIAL_DOWNLOAD_OFFLOAD = "x-accel-redirect"
    settings.MATERIAL_X_ACCEL_PREFIX = "/internal/"
    response = _get(client, world.member, pdf_material)

    assert response["X-Accel-Redirect"] == f"/internal/{pdf_material.file.name}"


def test_offload_never_skips_the_wall(client, world, pdf_material, settings):
    settings.MATERIAL_DOWNLOAD_OFFLOAD = "x-sendfile"
    response = _get(client, world.partner, pdf_material)
    assert response.status_code == 404
    assert "X-Sendfile" not in response


def test_library_file_is_for_facilitators_and_staff_only(client, world):
    item = LibraryItemFactory(with_file=True)
    url = reverse("materials:library_download", kwargs={"pk": item.pk})
    assert client.get(url).status_code == 404
    for persona in ("member", "partner"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404
    client.force_login(world.other_facilitator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="reading-{item.pk}.pdf"'


def test_assigned_library_file_reaches_the_group_without_a_second_upload(client, world):
    item = LibraryItemFactory(with_file=True)
    material = MaterialFactory(group=world.addict_group, library_item=item, form="file", body="")
    other_group = GroupFactory(kind=GroupKind.ADDICT)

    response = _get(client, world.member, material)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert other_group.materials.count() == 0
