import json

import factory

from notes.models import Addendum, Note, NoteKind, NoteTemplate
from tests.factories.members import UserFactory
from tests.factories.sessions import SessionFactory


def template(key: str) -> NoteTemplate:
    """One of the formats seeded by notes' data migration."""
    return NoteTemplate.objects.get(key=key)


class NoteFactory(factory.django.DjangoModelFactory):
    """A progress note (DAP) for `member`; pass kind=NoteKind.GROUP and member=None for the
    group note. `values` sets the sections' text."""

    class Meta:
        model = Note
        exclude = ["values"]

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(UserFactory)
    kind = NoteKind.PROGRESS
    template = factory.LazyAttribute(
        lambda o: template("group" if o.kind == NoteKind.GROUP else "dap")
    )
    sections = factory.LazyAttribute(lambda o: list(o.template.fields))
    values = factory.LazyAttribute(lambda o: {o.template.fields[0]["key"]: "Spoke about the week."})
    body = factory.LazyAttribute(lambda o: json.dumps(o.values))
    attendance_mark = "present"
    created_by = factory.SubFactory(UserFactory, facilitator=True)
    updated_by = factory.SelfAttribute("created_by")


class AddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addendum

    note = factory.SubFactory(NoteFactory)
    text = "Later: a correction."
    signed_by = factory.SubFactory(UserFactory, facilitator=True)
