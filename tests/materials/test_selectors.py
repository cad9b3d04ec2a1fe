from groups.models import EnrollmentStatus, GroupKind
from materials.selectors import material_readers, material_recipients
from tests.factories import EnrollmentFactory, GroupFactory, MaterialFactory, ReadingFactory


def test_recipients_are_the_active_members_the_item_reaches(world):
    paused = EnrollmentFactory(group=world.addict_group, status=EnrollmentStatus.PAUSED).member
    material = MaterialFactory(group=world.addict_group)

    recipients = set(material_recipients(material))

    assert recipients == {world.member, world.co_member}
    assert paused not in recipients


def test_kind_wide_recipients_span_every_current_group_of_the_kind(world):
    archived = GroupFactory(kind=GroupKind.PARTNER, archived_at="2026-01-01T00:00Z")
    EnrollmentFactory(group=archived)
    material = MaterialFactory(group=None, kind=GroupKind.PARTNER)

    assert set(material_recipients(material)) == {world.partner, world.other_kind_member}


def test_readers_query_count(world, django_assert_num_queries):
    material = MaterialFactory(group=world.addict_group)
    ReadingFactory(material=material, member=world.member)
    # 1: the audience members of the viewer's groups with their read time.
    with django_assert_num_queries(1):
        readers = [
            (p.display_name, p.read_at is not None)
            for p in material_readers(material, world.facilitator)
        ]
    assert readers == [("Alex", True), ("Casey", False)]
