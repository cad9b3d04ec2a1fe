"""A real PostgreSQL dump holds nothing a person typed into the request form."""

import secrets
import shutil

import pytest
from django.urls import reverse

from referrals.models import Referral
from tests.referrals.helpers import form_data
from tests.security.test_pg_dump import _pg_dump


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_request_text_is_absent_from_a_database_dump(client):
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed (apt-get install postgresql-client)")
    # GIVEN a request whose every free-text field holds a phrase found nowhere else
    phrase = f"lantern-{secrets.token_hex(8)}-orchard"
    email = f"{phrase}@example.net"
    data = form_data(
        name=f"Name {phrase}",
        email=email,
        phone="+44 7700 900456",
        contact_times=f"After {phrase}",
        shame=f"Shame {phrase}",
        escape=f"Escape {phrase}",
    )
    client.post(reverse("request_form"), data)
    assert Referral.objects.get().shame == f"Shame {phrase}"
    # WHEN the database is dumped
    dump = _pg_dump()
    # THEN none of it is in the dump in the clear (the acknowledgement's outbox row holds the
    # address it goes to, as every outbox row does, so the address is checked elsewhere)
    referral_block = dump.split("COPY public.referrals_referral ", 1)[1].split("\\.", 1)[0]
    assert phrase not in referral_block
    assert "7700 900456" not in referral_block
    for text in (f"Shame {phrase}", f"Escape {phrase}", f"After {phrase}", f"Name {phrase}"):
        assert text not in dump
