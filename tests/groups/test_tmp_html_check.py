import datetime
from django.urls import reverse
from django.utils import timezone, translation
from groups import services
from tests.browser.html_checker import html_errors
from tests.factories import MaterialFactory, SessionFactory, SeriesFactory


def test_pages_are_valid_html(client, world):
    session = SessionFactory(group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=2))
    SeriesFactory(group=world.addict_group)
    MaterialFactory(group=world.addict_group, session=session, visible_from=timezone.now())
    services.group_label_set(member=world.member, group=world.addict_group, label="Book club")
    problems = []
    g = world.addict_group.pk
    pages = [
        (world.member, "groups:detail", (g,), {}),
        (world.member, "groups:list", (), {}),
        (world.member, "home", (), {}),
        (world.member, "scheduling:upcoming", (), {}),
        (world.member, "scheduling:detail", (session.pk,), {}),
        (world.member, "materials:list", (), {}),
        (world.member, "scheduling:calendar", (), {}),
        (world.co_member, "groups:detail", (g,), {}),
        (world.facilitator, "groups:detail", (g,), {}),
        (world.facilitator, "groups:list", (), {"language": "fr"}),
        (world.facilitator, "groups:list", (), {}),
        (world.facilitator, "groups:roster", (g,), {}),
        (world.facilitator, "groups:create", (), {}),
        (world.facilitator, "groups:edit", (g,), {}),
        (world.facilitator, "scheduling:schedule", (g,), {}),
        (world.facilitator, "scheduling:series_create", (g,), {}),
        (world.facilitator, "scheduling:session_add", (g,), {}),
        (world.facilitator, "scheduling:detail", (session.pk,), {}),
        (world.facilitator, "scheduling:change", (session.pk,), {}),
    ]
    for language in ("en", "fr"):
        for user, name, args, query in pages:
            user.language = language
            user.save(update_fields=["language"])
            client.force_login(user)
            response = client.get(reverse(name, args=args), query)
            assert response.status_code == 200, name
            problems += [f"{language} {name}: {e}" for e in html_errors(response.content.decode())]
    client.force_login(world.member)
    r = client.post(reverse("groups:label", args=[g]), {"label": "x" * 70})
    assert r.status_code == 400
    problems += [f"label-400: {e}" for e in html_errors(r.content.decode())]
    assert not problems, "\n".join(problems)
