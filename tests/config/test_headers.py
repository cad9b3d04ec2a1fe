"""Response headers: no page is kept by a browser or proxy cache, no page may use powerful
browser features, and the security headers already set stay in place.

The crawl visits every URL pattern of the project (ours and the installed apps': allauth,
the admin) as each role, filling URL arguments the way the access matrix does.
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.middleware import DENIED_FEATURES
from tests.access.test_matrix import ROWS, TEST_FIELD_ENCRYPTION_KEY

ROLE_PERSONA = {
    "anonymous": None,
    "member": "member",
    "facilitator": "facilitator",
    "staff": "staff",
}
ROW_BY_NAME = {row.name: row for row in ROWS}


@pytest.fixture(autouse=True)
def _field_encryption_key(settings):
    settings.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY


def _patterns(resolver=None, namespace=""):
    """(name, needs_arguments) for every named URL pattern the resolver knows."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", bool(entry.pattern.regex.groupindex)


def _urls(world):
    """Every crawlable URL: patterns without arguments, and those the access matrix fills."""
    for name, needs_arguments in sorted(set(_patterns())):
        if not needs_arguments:
            yield name, lambda name=name: reverse(name)
        elif name in ROW_BY_NAME:
            row = ROW_BY_NAME[name]
            yield name, lambda row=row: reverse(row.name, kwargs=row.kwargs(world))
    yield "(no such page)", lambda: "/no-such-page/"


def _cache_directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.split("=")[0].strip() for part in value.split(",") if part.strip()}


def test_the_crawl_reaches_every_pattern_of_ours():
    # Patterns with arguments and no access-matrix row are skipped by the crawl: only the
    # installed apps' (allauth's keyed links, the admin's object pages) may be.
    skipped = {name for name, needs in _patterns() if needs and name not in ROW_BY_NAME}
    ours = {name for name in skipped if not name.startswith(("admin:", "account_", "mfa_"))}
    assert not ours, f"URL patterns the header crawl cannot reach: {sorted(ours)}"


@pytest.mark.parametrize("role", ROLE_PERSONA)
def test_every_response_is_no_store_and_denies_browser_features(client, world, role):
    # GIVEN each role WHEN it GETs every URL of the project (POST-only ones answer too)
    persona = ROLE_PERSONA[role]
    missing, seen = [], 0
    for name, build_url in _urls(world):
        # Each URL in a rolled-back savepoint: its objects and any side effect of the GET
        # (a sign-out, an RSVP) do not reach the next URL.
        with transaction.atomic():
            if persona:
                client.force_login(getattr(world, persona))
            url = build_url()
            response = client.get(url)
            transaction.set_rollback(True)
        seen += 1
        # THEN every response says: keep no copy, and no camera, microphone, location...
        if not {"no-store", "private"} <= _cache_directives(response):
            missing.append(f"{url} ({name}, {response.status_code}): Cache-Control")
        if "camera=()" not in response.get("Permissions-Policy", ""):
            missing.append(f"{url} ({name}, {response.status_code}): Permissions-Policy")
    assert seen > 50, f"the crawl saw only {seen} URLs"
    assert not missing, f"as {role}, headers missing on:\n" + "\n".join(missing)


def test_downloads_to_anonymous_token_holders_are_not_cached(client, world):
    # GIVEN the calendar feed and an RSVP link page, opened without signing in
    for name in ("scheduling:feed", "scheduling:link"):
        row = ROW_BY_NAME[name]
        response = client.get(reverse(name, kwargs=row.kwargs(world)))
        # THEN they are not stored either
        assert response.status_code == 200
        assert {"no-store", "private"} <= _cache_directives(response), name


def test_permissions_policy_denies_powerful_features(client, db):
    policy = client.get(reverse("account_login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert policy.count("=()") == len(DENIED_FEATURES)


def test_the_other_security_headers_are_kept(client, world, settings):
    # GIVEN a signed-in page WHEN it is served
    client.force_login(world.member)
    response = client.get(reverse("home"))
    # THEN CSP, framing, sniffing, referrer and opener policies are all still sent
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_kept_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("account_login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "no-store" in response["Cache-Control"]


def test_a_view_that_already_forbids_caching_keeps_its_own_header(client, world):
    # never_cache's longer header (allauth's pages use it) already has both directives
    client.force_login(world.member)
    response = client.get(reverse("account_change_password"))
    assert {"no-store", "private"} <= _cache_directives(response)


def test_static_files_keep_their_cache(client, db):
    # GIVEN the stylesheet WHEN WhiteNoise serves it THEN it may be cached, and is not no-store
    response = client.get("/static/css/circle.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age=" in response["Cache-Control"]
