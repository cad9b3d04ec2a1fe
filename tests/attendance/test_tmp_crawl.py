import importlib
from collections import defaultdict

import pytest
from django.db import transaction
from django.urls import reverse

from tests.access.matrix import ROLE_PERSONA, ROLES
from tests.i18n.english import data_strings, english_left, source_of
from tests.i18n.test_crawl_languages import _app_of, _neutral

MINE = ("attendance", "materials", "measures", "privacy", "audit")


def _rows():
    rows = []
    for app in MINE:
        rows.extend(importlib.import_module(f"tests.access.rows_{app}").ROWS)
    return [r for r in rows if r.method == "get"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ("fr", "es"))
def test_mine(client, world, settings, language):
    settings.CLINIC_NAME = "Zenit"
    _neutral(world)
    found = defaultdict(list)
    for role in ROLES:
        persona = ROLE_PERSONA[role]
        client.logout()
        if persona:
            person = getattr(world, persona)
            person.language = language
            person.save(update_fields=["language"])
            client.force_login(person)
        for row in _rows():
            if row.expect[role] != 200:
                continue
            try:
                with transaction.atomic():
                    url = reverse(row.name, kwargs=row.kwargs(world))
            except Exception as error:  # noqa: BLE001
                found["(not crawled)"].append(f"{row.name}: {type(error).__name__}")
                continue
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for words, run in english_left(response.content.decode(), data_strings):
                app = source_of(run, hint=_app_of(url))
                found[app].append(f"{role} {url}: {', '.join(sorted(set(words)))} in “{run}”")
    print("\n".join(f"[{a}] {l}" for a in sorted(found) for l in sorted(set(found[a]))))
