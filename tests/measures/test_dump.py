"""Scores, bands, answers and check-ins are absent from a real PostgreSQL dump."""

import secrets
import shutil

import pytest

from measures import services
from measures.models import Instrument
from tests.factories.measures import phq9_answers
from tests.security.test_pg_dump import _copy_rows, _pg_dump


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_score_answer_or_check_in(world):
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not installed (apt-get install postgresql-client)")
    # GIVEN a sent PHQ-9 (Moderately severe, item 9 flagged), free-text answers and a check-in
    phrase = f"lantern-{secrets.token_hex(8)}-quay"
    phq = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="phq-9"),
        data=phq9_answers(16, item9=2),
        submit=True,
    )
    first = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="first-questions"),
        data={"secrets": f"I hide it in {phrase}"},
        submit=True,
    )
    services.checkin_save(member=world.member, mood="2", urges="3", helped=phrase, note=phrase)
    services.milestone_save(member=world.member, name=phrase, since=world.member.date_joined.date())
    # WHEN the database is dumped
    dump = _pg_dump()
    # THEN the rows are there, but every answer, score and band is ciphertext
    rows = {row["id"]: row for row in _copy_rows(dump, "measures_response")}
    assert {str(phq.pk), str(first.pk)} <= set(rows)
    for row in rows.values():
        for column in ("answers", "total", "band"):
            assert row[column] in ("", "\\N") or row[column].startswith("fernet:")
    assert phrase not in dump
    assert rows[str(phq.pk)]["total"] != "18"
    assert not any("phq9_9" in row["answers"] for row in rows.values())
