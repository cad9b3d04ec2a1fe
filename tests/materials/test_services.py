import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from materials import services
from materials.models import ContentForm, LibraryItem, Material, Reading
from tests.factories import LibraryItemFactory, MaterialFactory, SessionFactory
from tests.factories.materials import PDF_BYTES
from tests.materials.files import EXE_BYTES, stored_files, upload

NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)


def _share_file(world, file, **kwargs):
    return services.material_create(
        actor=world.facilitator,
        title="Week 3 workbook",
        form=ContentForm.FILE,
        file=file,
        group=world.addict_group,
        **kwargs,
    )


def test_upload_is_stored_privately_under_a_random_name(world, settings, notified):
    material = _share_file(world, upload(name="Alex recovery workbook.pdf"))

    (path,) = stored_files(settings)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert "Alex" not in material.file.name and "workbook" not in material.file.name
    assert material.file.name.endswith(".pdf")
    assert path.read_bytes() == PDF_BYTES
    assert material.file_type == "application/pdf"
    assert material.file_size == len(PDF_BYTES)


def test_disguised_executable_named_pdf_is_refused(world, settings, notified):
    with pytest.raises(ValidationError) as error:
        _share_file(world, upload(name="workbook.pdf", content=EXE_BYTES))

    assert "not one we can share" in str(error.value.message_dict["file"])
    assert not Material.objects.exists()
    assert stored_files(settings) == []
    assert notified == []


def test_oversized_file_is_refused(world, settings, notified):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    big = upload(content=PDF_BYTES + b"0" * (1024 * 1024))

    with pytest.raises(ValidationError) as error:
        _share_file(world, big)

    assert "too large" in str(error.value.message_dict["file"])
    assert "1 MB" in str(error.value.message_dict["file"])
    assert not Material.objects.exists()
    assert stored_files(settings) == []


class _BrokenUpload(SimpleUploadedFile):
    """An upload whose stream breaks half way, as when the connection drops."""

    def chunks(self, chunk_size=None):
        yield PDF_BYTES[:10]
        raise OSError("connection reset")


def test_aborted_upload_leaves_no_file(world, settings, notified):
    with pytest.raises(OSError, match="connection reset"):
        _share_file(world, _BrokenUpload("a.pdf", PDF_BYTES, "application/pdf"))

    assert stored_files(settings) == []
    assert not Material.objects.exists()


def test_a_later_failure_removes_the_stored_file(world, settings, monkeypatch):
    def fail(material):
        raise DatabaseError("database went away")

    monkeypatch.setattr("notifications.api.material_published", fail)

    with pytest.raises(DatabaseError):
        _share_file(world, upload())

    assert stored_files(settings) == []
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org/article", "https://"),
        ("javascript:alert(1)", "https://"),
        ("example.org/article", "https://"),
        ("", "https://"),
    ],
)
def test_only_https_links_are_accepted(world, url, message, notified):
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=world.facilitator,
            title="An article",
            form=ContentForm.LINK,
            url=url,
            group=world.addict_group,
        )
    assert message in str(error.value.message_dict["url"])
    assert not Material.objects.exists()


@pytest.mark.parametrize("title", ["", "   "])
def test_empty_title_is_refused_and_nothing_is_stored(world, settings, title, notified):
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=world.facilitator,
            title=title,
            form=ContentForm.FILE,
            file=upload(),
            group=world.addict_group,
        )
    assert error.value.message_dict["title"] == ["Give it a title."]
    assert stored_files(settings) == []
    assert not Material.objects.exists()


def test_empty_text_is_refused(world, notified):
    with pytest.raises(ValidationError) as error:
        services.material_create(
            actor=world.facilitator, title="T", form=ContentForm.TEXT, group=world.addict_group
        )
    assert "body" in error.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_visible_material_is_announced_once_inside_the_transaction(world, notified):
    material = services.material_create(
        actor=world.facilitator,
        title="Before we meet",
        form=ContentForm.TEXT,
        body="Notice one urge this week.",
        group=world.addict_group,
    )
    assert notified == [material]
    assert material.published_at == NOW

    assert services.materials_publish_due() == 0
    assert notified == [material]


@time_machine.travel(NOW, tick=False)
def test_material_visible_later_is_announced_when_its_day_comes(world, notified):
    later = NOW + datetime.timedelta(days=3)
    material = services.material_create(
        actor=world.facilitator,
        title="Next week",
        form=ContentForm.TEXT,
        body="Text",
        group=world.addict_group,
        visible_from=later,
    )
    assert notified == []
    assert services.materials_publish_due() == 0

    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        assert services.materials_publish_due() == 1
        assert services.materials_publish_due() == 0  # safe to run twice
    assert [m.pk for m in notified] == [material.pk]


def test_session_must_belong_to_the_group(world, notified):
    other_session = SessionFactory(group=world.partner_group)
    with pytest.raises(ValidationError):
        services.material_create(
            actor=world.facilitator,
            title="T",
            form=ContentForm.TEXT,
            body="x",
            group=world.addict_group,
            session=other_session,
        )


def test_only_staff_share_with_every_group_of_a_kind(world, notified):
    with pytest.raises(ValidationError):
        services.material_create(
            actor=world.facilitator, title="T", form=ContentForm.TEXT, body="x", kind="partner"
        )
    material = services.material_create(
        actor=world.staff, title="T", form=ContentForm.TEXT, body="x", kind="partner"
    )
    assert material.is_kind_wide


def test_library_item_is_assigned_without_copying_the_file(world, settings, notified):
    item = services.library_item_create(
        actor=world.staff, title="Workbook", form=ContentForm.FILE, file=upload()
    )
    first = services.library_item_assign(
        actor=world.facilitator, item=item, group=world.addict_group
    )
    second = services.library_item_assign(
        actor=world.other_facilitator, item=item, group=world.partner_group
    )

    assert len(stored_files(settings)) == 1
    assert first.source == second.source == item
    assert not first.file and first.title == "Workbook"
    assert notified == [first, second]


def test_refused_library_upload_stores_nothing(world, settings):
    with pytest.raises(ValidationError):
        services.library_item_create(
            actor=world.staff, title="x", form=ContentForm.FILE, file=upload(content=EXE_BYTES)
        )
    assert stored_files(settings) == []
    assert not LibraryItem.objects.exists()


def test_deleting_material_removes_its_file_after_commit(
    world, settings, django_capture_on_commit_callbacks
):
    material = MaterialFactory(group=world.addict_group, with_file=True)
    assert len(stored_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=world.facilitator, material=material)

    assert stored_files(settings) == []


def test_deleting_an_assignment_keeps_the_library_file(
    world, settings, django_capture_on_commit_callbacks
):
    item = LibraryItemFactory(with_file=True)
    material = services.library_item_assign(actor=world.staff, item=item, group=world.addict_group)

    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=world.staff, material=material)

    assert len(stored_files(settings)) == 1


def test_reading_is_recorded_once(world):
    material = MaterialFactory(group=world.addict_group)
    first = services.reading_record(material=material, member=world.member)
    again = services.reading_record(material=material, member=world.member)
    assert first.pk == again.pk
    assert Reading.objects.count() == 1
