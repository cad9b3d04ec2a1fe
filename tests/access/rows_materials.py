from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import LibraryItemFactory, MaterialFactory


def _material(world):
    return {"pk": MaterialFactory(group=world.addict_group).pk}


def _file_material(world):
    return {"pk": MaterialFactory(group=world.addict_group, with_file=True).pk}


def _group(world):
    return {"group_pk": world.addict_group.pk}


def _library_item(world):
    return {"pk": LibraryItemFactory(with_file=True, created_by=world.staff).pk}


# The library: facilitators (any group) and staff; members never see it.
LIBRARY_USERS = expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200)

ROWS = [
    Row("materials:list", signed_in_only()),
    Row("materials:detail", group_insiders(), kwargs=_material),
    # File URLs answer 404 even to anonymous visitors: nothing hints that the file exists.
    Row("materials:download", {**group_insiders(), "anonymous": 404}, kwargs=_file_material),
    Row("materials:mark_read", group_insiders(302), kwargs=_material, method="post"),
    Row("materials:mark_unread", group_insiders(302), kwargs=_material, method="post"),
    Row("materials:edit", group_insiders(members_too=False), kwargs=_material),
    Row(
        "materials:delete",
        group_insiders(302, members_too=False),
        kwargs=_file_material,
        method="post",
        data=lambda w: {"confirmed": "1"},
    ),
    Row("materials:group", group_insiders(members_too=False), kwargs=_group),
    Row("materials:create", group_insiders(members_too=False), kwargs=_group),
    Row("materials:library", LIBRARY_USERS),
    Row("materials:library_create", expect(404, anonymous=302, staff=200)),
    Row("materials:library_detail", LIBRARY_USERS, kwargs=_library_item),
    Row("materials:library_download", {**LIBRARY_USERS, "anonymous": 404}, kwargs=_library_item),
    # An empty form comes back with its errors.
    Row("materials:library_assign", LIBRARY_USERS, kwargs=_library_item, method="post"),
    Row(
        "materials:library_delete",
        expect(404, anonymous=302, staff=302),
        kwargs=_library_item,
        method="post",
        data=lambda w: {"confirmed": "1"},
    ),
]
