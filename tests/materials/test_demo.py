from demo.materials import seed_demo_materials
from materials.models import LibraryItem, Material
from tests.factories import GroupFactory


def test_demo_materials_are_seeded_once(world, notified):
    seed_demo_materials(world.addict_group, world.facilitator)
    seed_demo_materials(world.addict_group, world.facilitator)
    seed_demo_materials(world.partner_group, world.other_facilitator)

    assert world.addict_group.materials.count() == 3
    assert world.partner_group.materials.count() == 3
    assert LibraryItem.objects.count() == 1
    assert GroupFactory().materials.count() == 0
    assert len(notified) == Material.objects.count() == 6
