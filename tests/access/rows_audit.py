from tests.access.matrix import Row, expect

# The audit trail is clinic staff's alone; everyone else, facilitators included, gets 404.
STAFF_ONLY = expect(404, anonymous=302, staff=200)

ROWS = [
    Row("audit:events", STAFF_ONLY),
    Row("audit:export", STAFF_ONLY, data=lambda w: {"person": str(w.member.pk)}),
    Row("audit:disclosures", STAFF_ONLY, kwargs=lambda w: {"person_pk": w.member.pk}),
]
