import uuid

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from materials.models import ContentForm, LibraryItem, Material, Reading
from materials.storage import material_storage
from tests.factories.groups import GroupFactory
from tests.factories.members import UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def stored_pdf() -> str:
    """A small PDF saved in private storage under a random name, as the service would."""
    return material_storage().save(f"materials/{uuid.uuid4().hex}.pdf", ContentFile(PDF_BYTES))


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryItem

    title = factory.Sequence(lambda n: f"Library reading {n}")
    form = ContentForm.TEXT
    body = "Lorem *ipsum* dolor."
    created_by = factory.SubFactory(UserFactory, staff=True)

    class Params:
        with_file = factory.Trait(
            form=ContentForm.FILE,
            body="",
            file=factory.LazyFunction(stored_pdf),
            file_type="application/pdf",
            file_size=len(PDF_BYTES),
        )


class MaterialFactory(factory.django.DjangoModelFactory):
    """A text item for one group, visible now and already published."""

    class Meta:
        model = Material

    title = factory.Sequence(lambda n: f"Reading {n}")
    form = ContentForm.TEXT
    body = "Lorem *ipsum* dolor."
    group = factory.SubFactory(GroupFactory)
    visible_from = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(lambda o: o.visible_from)

    class Params:
        with_file = factory.Trait(
            form=ContentForm.FILE,
            body="",
            file=factory.LazyFunction(stored_pdf),
            file_type="application/pdf",
            file_size=len(PDF_BYTES),
        )


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    material = factory.SubFactory(MaterialFactory)
    member = factory.SubFactory(UserFactory)
