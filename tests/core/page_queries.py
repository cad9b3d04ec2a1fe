"""What the page-query pins share: a page's queries counted on a second request (the first
warms per-process caches, as a running server has them)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PRINT = False  # True: print each page's SQL (pytest -s)


def second_request(who, name: str, path: str):
    """The response to `who` (None: signed out) asking for `path` again, and its queries."""
    client = Client()
    if who is not None:
        client.force_login(who)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (name, response.status_code)
    if PRINT:
        print("==", name, len(queries))  # noqa: T201
        for query in queries.captured_queries:
            print("   ", query["sql"][:160])  # noqa: T201
    return response, len(queries)
