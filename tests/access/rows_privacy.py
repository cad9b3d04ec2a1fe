from privacy.models import ErasureRequest
from tests.access.matrix import Row, expect

# A member's own pages: every member; staff and facilitators have the audit app's pages.
MEMBERS_ONLY = expect(
    404, anonymous=302, other_kind_member=200, same_group_member=200, partner_of_member=200
)
STAFF_ONLY = expect(404, anonymous=302, staff=200)


def _co_member_request(w):
    # Called more than once per world (the hostile-input test): one open request at a time.
    request, _ = ErasureRequest.objects.get_or_create(member=w.co_member, status="pending")
    return {"pk": request.pk}


ROWS = [
    Row("privacy:record", MEMBERS_ONLY),
    Row("privacy:export", MEMBERS_ONLY),
    Row("privacy:erasure_new", MEMBERS_ONLY),
    # Only the request's own member (the co-member here) sees it; staff use the review page.
    Row(
        "privacy:erasure",
        expect(404, anonymous=302, same_group_member=200),
        kwargs=_co_member_request,
    ),
    Row("privacy:queue", STAFF_ONLY),
    Row("privacy:review", STAFF_ONLY, kwargs=_co_member_request),
    Row("privacy:member_export", STAFF_ONLY, kwargs=lambda w: {"member_pk": w.member.pk}),
]
