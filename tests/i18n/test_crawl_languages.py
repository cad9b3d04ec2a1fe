"""Every page of the access matrix, as each persona, in French and then in Spanish: no English
left beyond names and data (issue 19).

Part of the default run (marker `i18n_crawl`: `-m i18n_crawl` runs it alone, `-m "not
i18n_crawl"` leaves it out). Each persona's pages are those its matrix rows answer 200, one GET
each: bounded by the matrix (14 cases, a few seconds each). The failure lists each page with the
English run found on it, by the app whose templates or code hold that run.
"""

import importlib
import pkgutil
from collections import defaultdict

import pytest
from django.db import transaction
from django.urls import resolve, reverse

import tests.access
from groups.models import Group
from tests.access.matrix import ROLE_PERSONA, ROLES, Row
from tests.i18n.english import data_strings, english_left, source_of

pytestmark = pytest.mark.i18n_crawl

LANGUAGES = ("fr", "es")
# Names with no English in them: what is left of a page in English is then our words.
NEUTRAL_PEOPLE = ["Zia", "Kemal", "Ilse", "Mirela", "Tavita", "Oyelaran", "Radu", "Noor"]
NEUTRAL_GROUPS = ["Zeta", "Kappa", "Sigma"]


def _rows() -> list[Row]:
    rows: list[Row] = []
    for info in pkgutil.iter_modules(tests.access.__path__):
        if info.name.startswith("rows_"):
            rows.extend(importlib.import_module(f"tests.access.{info.name}").ROWS)
    return [row for row in rows if row.method == "get"]


def _neutral(world) -> None:
    people = [value for value in vars(world).values() if hasattr(value, "display_name")]
    for person, name in zip(people, NEUTRAL_PEOPLE, strict=False):
        person.display_name = name
        person.save(update_fields=["display_name"])
    for group, name in zip(
        (world.addict_group, world.partner_group, world.couples_group), NEUTRAL_GROUPS, strict=True
    ):
        Group.objects.filter(pk=group.pk).update(name=name, description="")
        group.name = name


def _app_of(url: str) -> str:
    module = resolve(url.split("?")[0]).func.__module__
    return "sessions" if module.startswith("sessions.") else module.split(".")[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_english_left(client, world, settings, role, language):
    settings.CLINIC_NAME = "Zenit"
    _neutral(world)
    persona = ROLE_PERSONA[role]
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if persona:
        person = getattr(world, persona)
        person.language = language
        person.save(update_fields=["language"])
        client.force_login(person)
    found: dict[str, list[str]] = defaultdict(list)
    for row in _rows():
        if row.expect[role] != 200:
            continue
        try:
            with transaction.atomic():
                url = reverse(row.name, kwargs=row.kwargs(world))
        except Exception as error:  # noqa: BLE001  # a row that needs a fresh world: said below
            found["(not crawled)"].append(f"{row.name}: {type(error).__name__}")
            continue
        response = client.get(url, **headers)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert response["Content-Language"] == language, url
        cache: list[list[str]] = []

        def data(cache=cache):
            if not cache:
                cache.append(data_strings())
            return cache[0]

        for words, run in english_left(response.content.decode(), data):
            app = source_of(run, hint=_app_of(url))
            found[app].append(f"{url}: {', '.join(sorted(set(words)))} in “{run}”")
    report = "\n".join(
        f"[{app}] {line}" for app in sorted(found) for line in sorted(set(found[app]))
    )
    if set(found) - {"(not crawled)"}:
        pytest.fail(f"English left in {language} as {role}:\n{report}", pytrace=False)
