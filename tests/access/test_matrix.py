import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.access
from groups.models import GroupKind
from tests.access.matrix import ROLE_PERSONA, ROLES, Row

# Third-party URL sets have their own tests; rows_third_party.py checks a representative sample.
THIRD_PARTY_NAMESPACES = {"admin"}
THIRD_PARTY_MODULE_PREFIXES = ("allauth.",)


def _all_rows() -> list[Row]:
    rows: list[Row] = []
    for module_info in pkgutil.iter_modules(tests.access.__path__):
        if module_info.name.startswith("rows_"):
            module = importlib.import_module(f"tests.access.{module_info.name}")
            rows.extend(module.ROWS)
    return rows


def _our_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in THIRD_PARTY_NAMESPACES:
                continue
            module = getattr(entry.urlconf_module, "__name__", "")
            if module.startswith(THIRD_PARTY_MODULE_PREFIXES):
                continue
            yield from _our_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            if entry.callback.__module__.startswith(THIRD_PARTY_MODULE_PREFIXES):
                continue
            yield f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>"


ROWS = _all_rows()

# A fixed test key: intake rows store encrypted text (DEBUG is off under test, so none is derived).
TEST_FIELD_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="


@pytest.fixture(autouse=True)
def _field_encryption_key(settings):
    settings.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(set(_our_url_names()) - covered)
    assert not missing, f"URL patterns with no access-matrix row: {missing}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}:{row.name}")
def test_access(client, world, row, role):
    persona = ROLE_PERSONA[role]
    if persona:
        client.force_login(getattr(world, persona))
    url = reverse(row.name, kwargs=row.kwargs(world))
    response = getattr(client, row.method)(url, data=row.data(world))
    assert response.status_code == row.expect[role], (
        f"{row.method.upper()} {url} as {role}: {response.status_code}, expected {row.expect[role]}"
    )
    _assert_nothing_leaks(world, row, role, response)


# Members are these roles; what they are shown must never carry others' contact details or
# the kind of any group.
MEMBER_ROLES = ("other_kind_member", "same_group_member", "partner_of_member")
KIND_LABELS = tuple(str(label) for _, label in GroupKind.choices)


def _assert_nothing_leaks(world, row, role, response):
    if response.status_code == 404:
        # A 404 says nothing about what is behind it.
        body = response.content.decode(errors="replace")
        for name in (world.addict_group.name, world.member.email, world.member.display_name):
            assert name not in body, f"{row.name} 404 as {role} mentions {name!r}"
    if role in MEMBER_ROLES and response.status_code == 200 and _is_html(response):
        body = response.content.decode(errors="replace")
        me = getattr(world, ROLE_PERSONA[role])
        for person in _people(world):
            if person.pk != me.pk:
                assert person.email not in body, f"{row.name} as {role} shows {person.email}"
        for label in KIND_LABELS:
            assert label not in body, f"{row.name} as {role} names a kind: {label!r}"


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _people(world):
    return [value for value in vars(world).values() if hasattr(value, "email")]


def test_rows_are_unique():
    keys = [(row.name, row.method) for row in ROWS]
    assert len(keys) == len(set(keys)), "a URL has two rows for the same method"


def test_outsiders_get_404_never_403():
    """The walls answer 404 so that nothing reveals an object exists."""
    wrong = [(row.name, role) for row in ROWS for role, code in row.expect.items() if code == 403]
    assert not wrong, f"rows expecting 403 (use 404): {wrong}"
