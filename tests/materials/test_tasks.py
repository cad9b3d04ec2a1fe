import datetime

import time_machine

from materials.tasks import publish_due_materials
from tests.factories import MaterialFactory

NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_task_publishes_due_items_once(world, notified):
    due = MaterialFactory(group=world.addict_group, visible_from=NOW, published_at=None)
    MaterialFactory(
        group=world.addict_group, visible_from=NOW + datetime.timedelta(hours=1), published_at=None
    )
    MaterialFactory(group=world.addict_group, visible_from=NOW)  # already published

    assert publish_due_materials() == 1
    assert publish_due_materials() == 0
    assert notified == [due]
    due.refresh_from_db()
    assert due.published_at == NOW
