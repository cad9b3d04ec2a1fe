from tests.access.matrix import Row, expect, group_insiders, signed_in_only
from tests.factories import SessionFactory


def _token(world):
    from notifications.rendering import unsubscribe_token

    return {"token": unsubscribe_token(world.member)}


ROWS = [
    Row("notifications:inbox", signed_in_only()),
    Row("notifications:mark_read", expect(302), method="post"),
    Row("notifications:preferences", signed_in_only()),
    # The signed link works for whoever holds it, signed in or not.
    Row("notifications:email_preferences", expect(200), kwargs=_token),
    Row(
        "notifications:session_status",
        group_insiders(members_too=False),
        kwargs=lambda w: {"session_id": SessionFactory(group=w.addict_group).pk},
    ),
]
