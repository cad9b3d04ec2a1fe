"""Facilitators share material with their groups; staff keep the library."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from groups.models import GroupKind
from materials.models import LibraryItem, Material
from tests.factories import LibraryItemFactory, MaterialFactory, SessionFactory
from tests.materials.files import DOCX_BYTES, EXE_BYTES, stored_files, upload

NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)


def _create_url(group):
    return reverse("materials:create", kwargs={"group_pk": group.pk})


def _post(client, group, **data):
    fields = {"title": "Week 3", "description": "", "form": "text", "body": "Hello", "url": ""}
    fields["audience"] = f"group:{group.pk}"
    fields.update(data)
    return client.post(_create_url(group), fields)


def test_facilitator_uploads_a_file_for_the_group(client, world, settings, notified):
    client.force_login(world.facilitator)

    response = _post(
        client,
        world.addict_group,
        form="file",
        file=upload(name="Chapter 2.docx", content=DOCX_BYTES, content_type="text/plain"),
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.group == world.addict_group
    assert material.file_type.endswith("wordprocessingml.document")
    assert material.file.name.endswith(".docx") and "Chapter" not in material.file.name
    assert len(stored_files(settings)) == 1
    assert notified == [material]


@time_machine.travel(NOW, tick=False)
def test_facilitator_shares_a_link_for_one_session_visible_later(client, world, notified):
    session = SessionFactory(group=world.addict_group, starts_at=NOW + datetime.timedelta(days=4))
    client.force_login(world.facilitator)

    response = _post(
        client,
        world.addict_group,
        form="link",
        url="https://example.org/article",
        audience=f"session:{session.pk}",
        visible_from="2026-11-23",
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.session == session and material.group == world.addict_group
    # Midnight in the facilitator's own zone (Europe/London: UTC in November).
    assert material.visible_from == datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    assert notified == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"form": "file", "file": None}, "Choose a file to upload."),
        ({"form": "file", "file": "exe"}, "not one we can share"),
        ({"form": "link", "url": "http://example.org"}, "starting with https://"),
        ({"form": "link", "url": "javascript:alert(1)"}, "starting with https://"),
        ({"title": "", "form": "file", "file": "pdf"}, "Give it a title."),
    ],
    ids=["no-file", "disguised-exe", "http", "javascript", "empty-title"],
)
def test_bad_input_shows_a_clear_message_and_stores_nothing(
    client, world, settings, notified, data, message
):
    files = {"exe": upload(name="workbook.pdf", content=EXE_BYTES), "pdf": upload()}
    if data.get("file"):
        data = {**data, "file": files[data["file"]]}
    elif "file" in data:
        del data["file"]
    client.force_login(world.facilitator)

    response = _post(client, world.addict_group, **data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Material.objects.exists()
    assert stored_files(settings) == []
    assert notified == []


def test_oversized_upload_shows_the_limit(client, world, settings):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    client.force_login(world.facilitator)
    big = upload(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))

    response = _post(client, world.addict_group, form="file", file=big)

    assert "That file is too large. Files can be up to 1 MB." in response.content.decode()
    assert stored_files(settings) == []


def test_facilitator_cannot_share_with_a_session_of_another_group(client, world):
    other_session = SessionFactory(group=world.partner_group)
    client.force_login(world.facilitator)

    response = _post(client, world.addict_group, audience=f"session:{other_session.pk}")

    assert response.status_code == 200  # not one of the offered choices
    assert not Material.objects.exists()


def test_facilitator_removes_their_groups_item_but_not_others(client, world, settings):
    own = MaterialFactory(group=world.addict_group, with_file=True)
    other = MaterialFactory(group=world.partner_group)
    client.force_login(world.facilitator)

    assert client.post(reverse("materials:delete", kwargs={"pk": other.pk})).status_code == 404
    response = client.post(reverse("materials:delete", kwargs={"pk": own.pk}), {"confirmed": "1"})

    assert response.status_code == 302
    assert list(Material.objects.all()) == [other]


def test_members_cannot_remove_items(client, world):
    material = MaterialFactory(group=world.addict_group)
    client.force_login(world.member)
    assert client.post(reverse("materials:delete", kwargs={"pk": material.pk})).status_code == 404
    assert Material.objects.exists()


def test_staff_add_to_the_library_and_facilitators_assign_without_uploading(
    client, world, settings, notified
):
    client.force_login(world.staff)
    response = client.post(
        reverse("materials:library_create"),
        {"title": "Workbook", "form": "file", "file": upload(), "url": "", "body": ""},
    )
    item = LibraryItem.objects.get()
    assert response["Location"] == reverse("materials:library_detail", kwargs={"pk": item.pk})

    client.force_login(world.facilitator)
    response = client.post(
        reverse("materials:library_assign", kwargs={"pk": item.pk}),
        {"audience": f"group:{world.addict_group.pk}"},
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.library_item == item and material.group == world.addict_group
    assert len(stored_files(settings)) == 1
    assert notified == [material]


def test_facilitator_cannot_assign_to_a_group_they_do_not_run(client, world):
    item = LibraryItemFactory()
    client.force_login(world.facilitator)
    response = client.post(
        reverse("materials:library_assign", kwargs={"pk": item.pk}),
        {"audience": f"group:{world.partner_group.pk}"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Material.objects.exists()


def test_only_staff_assign_to_every_group_of_a_kind(client, world, notified):
    item = LibraryItemFactory()
    url = reverse("materials:library_assign", kwargs={"pk": item.pk})
    client.force_login(world.facilitator)
    assert client.post(url, {"audience": "kind:partner"}).status_code == 200
    assert not Material.objects.exists()

    client.force_login(world.staff)
    assert client.post(url, {"audience": "kind:partner"}).status_code == 302
    assert Material.objects.get().kind == GroupKind.PARTNER


def test_members_never_see_the_library(client, world):
    item = LibraryItemFactory()
    client.force_login(world.member)
    assert client.get(reverse("materials:library")).status_code == 404
    assert (
        client.get(reverse("materials:library_detail", kwargs={"pk": item.pk})).status_code == 404
    )


def test_refused_library_upload_shows_a_message(client, world, settings):
    client.force_login(world.staff)
    response = client.post(
        reverse("materials:library_create"),
        {"title": "x", "form": "file", "file": upload(content=EXE_BYTES), "url": "", "body": ""},
    )
    assert response.status_code == 200
    assert "not one we can share" in response.content.decode()
    assert stored_files(settings) == []


def test_empty_states_say_what_to_do_next(client, world):
    client.force_login(world.member)
    assert "Nothing to read yet" in client.get(reverse("materials:list")).content.decode()
    client.force_login(world.facilitator)
    page = client.get(reverse("materials:group", kwargs={"group_pk": world.addict_group.pk}))
    assert "Nothing shared yet" in page.content.decode()


@pytest.mark.parametrize("name", ["materials:create", "materials:library_create"])
def test_upload_forms_still_require_the_csrf_token(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    kwargs = {"group_pk": world.addict_group.pk} if name == "materials:create" else {}

    response = client.post(reverse(name, kwargs=kwargs), {"title": "x", "form": "text"})

    assert response.status_code == 403
    assert not Material.objects.exists() and not LibraryItem.objects.exists()


def test_upload_past_the_limit_is_cut_off_while_it_arrives(client, world, settings, monkeypatch):
    def never(**kwargs):
        raise AssertionError("the service must not see a file past the limit")

    monkeypatch.setattr("materials.services.library_item_create", never)
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger parts go to temporary files
    client.force_login(world.staff)

    response = client.post(
        reverse("materials:library_create"),
        {
            "title": "Big",
            "form": "file",
            "file": upload(content=b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)),
        },
    )

    assert response.status_code == 200
    assert "That file is too large. Files can be up to 1 MB." in response.content.decode()
    assert stored_files(settings) == []


def test_a_session_that_started_meanwhile_gets_a_message(client, world):
    session = SessionFactory(group=world.addict_group, starts_at=NOW)
    client.force_login(world.facilitator)
    with time_machine.travel(NOW - datetime.timedelta(minutes=10), tick=False):
        page = client.get(_create_url(world.addict_group))
        assert f"session:{session.pk}" in page.content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        # Posting a choice no longer offered is refused by the form, never a 404 or 500.
        response = _post(client, world.addict_group, audience=f"session:{session.pk}")
    assert response.status_code == 200
    assert not Material.objects.exists()


def test_removing_reading_asks_first(client, world):
    # GIVEN a facilitator's reading item
    material = MaterialFactory(group=world.addict_group, title="Boundaries, chapter 2")
    client.force_login(world.facilitator)
    url = reverse("materials:delete", kwargs={"pk": material.pk})
    # WHEN they press remove, THEN they are asked, and it is still there
    page = client.post(url)
    assert page.status_code == 200
    assert "Remove “Boundaries, chapter 2”?" in page.content.decode()
    assert Material.objects.filter(pk=material.pk).exists()
    # WHEN they confirm, THEN it is gone
    client.post(url, {"confirmed": "1"})
    assert not Material.objects.filter(pk=material.pk).exists()


def test_a_facilitator_edits_the_words_of_shared_reading(client, world):
    # GIVEN a text shared with the group
    material = MaterialFactory(
        group=world.addict_group, title="Week 1", form="text", body="Old words", file=""
    )
    client.force_login(world.facilitator)
    url = reverse("materials:edit", kwargs={"pk": material.pk})
    assert client.get(url).status_code == 200
    # WHEN they change the title and text
    response = client.post(
        url, {"title": "Week one", "description": "Start here", "body": "New words"}
    )
    # THEN it is saved, and the audience is unchanged
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.description, material.body) == (
        "Week one",
        "Start here",
        "New words",
    )
    assert material.group == world.addict_group
    # AND an empty title is refused, changing nothing
    response = client.post(url, {"title": "", "body": "Other"})
    assert response.status_code == 200
    assert "Give it a title." in response.content.decode()
    material.refresh_from_db()
    assert material.body == "New words"
    # AND a member of the group cannot edit it
    client.force_login(world.member)
    assert client.get(url).status_code == 404
