"""The health endpoint: no sign-in, no database, nothing cached by a proxy."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_without_sign_in_or_database(client, django_assert_num_queries):
    # WHEN a load balancer probes it, signed out
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    # THEN it answers plainly, and no cache keeps the answer
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405
