"""A representative sample of third-party URLs (admin, allauth): they sit behind the same walls."""

from tests.access.matrix import ROLES, Row, expect, signed_in_only

# The admin site: staff only; everyone else is sent to its login.
STAFF_ONLY_ADMIN = expect(302, staff=200)
# Pages for visitors: signed-in people are sent on.
VISITORS_ONLY = dict.fromkeys(ROLES, 302) | {"anonymous": 200}

ROWS = [
    Row("admin:index", STAFF_ONLY_ADMIN),
    Row("admin:members_user_changelist", STAFF_ONLY_ADMIN),
    Row("account_login", VISITORS_ONLY),
    Row("account_signup", VISITORS_ONLY),
    Row("account_reset_password", expect(200)),
    Row("account_email", signed_in_only()),
    Row("account_change_password", signed_in_only()),
    Row("mfa_index", signed_in_only()),
    Row("usersessions_list", signed_in_only()),
]
