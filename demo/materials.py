"""Demo reading for one group: a text for its next session, a link, and a library item.

Safe to run again: each item is found by its title before anything is created.
"""

from django.utils import timezone

from materials.models import ContentForm, LibraryItem, Material
from materials.services import library_item_assign, library_item_create, material_create
from sessions.models import Session, SessionStatus

LIBRARY_TITLE = "Weekly check-in sheet"
LIBRARY_BODY = """Take five quiet minutes before the group meets.

1. What went well this week?
2. When was it hardest, and what did you do?
3. What would you like to bring to the group?
"""
TEXT_TITLE = "Before we meet: three questions"
TEXT_BODY = """A few thoughts to carry into the next session.

- Notice one moment this week when you felt pulled, and what came before it.
- Write down **one thing** that helped, however small.
- Bring a question you would like the group to think about.
"""
LINK_TITLE = "An article on noticing urges"
LINK_URL = "https://www.example.org/reading/noticing-urges"


def seed_demo_materials(group, facilitator) -> None:
    existing = set(Material.objects.filter(group=group).values_list("title", flat=True))
    if TEXT_TITLE not in existing:
        next_session = (
            Session.objects.filter(
                group=group, status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        material_create(
            actor=facilitator,
            title=TEXT_TITLE,
            form=ContentForm.TEXT,
            body=TEXT_BODY,
            group=group,
            session=next_session,
        )
    if LINK_TITLE not in existing:
        material_create(
            actor=facilitator,
            title=LINK_TITLE,
            description="Ten minutes to read; we will talk about it together.",
            form=ContentForm.LINK,
            url=LINK_URL,
            group=group,
        )
    if LIBRARY_TITLE not in existing:
        item = LibraryItem.objects.filter(title=LIBRARY_TITLE).first() or library_item_create(
            actor=None, title=LIBRARY_TITLE, form=ContentForm.TEXT, body=LIBRARY_BODY
        )
        library_item_assign(actor=facilitator, item=item, group=group)
