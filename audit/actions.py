"""Every action the audit trail knows, with the label staff (and members) read.

Codes are dotted and stable: rows keep them forever, so rename a label, never a code.
`kind` groups them: "read" and "change" are disclosures of someone's record (what the
accounting of disclosures lists); "auth" is signing in and out and account security; "access"
is a refused look-up; "admin" is staff work on the trail itself and on accounts.
A read is not recorded when the person reads their own record (see audit.api.record).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Action:
    code: str
    label: str | Promise  # marked for translation (gettext_lazy); the code never is
    kind: str  # "read" | "change" | "auth" | "access" | "admin"
    # A person reading their own record is no disclosure, so reads by the subject are skipped;
    # a few reads matter even then (a copy of everything Circle holds left the building).
    record_own: bool = False


READ, CHANGE, AUTH, ACCESS, ADMIN = "read", "change", "auth", "access", "admin"
DISCLOSURE_KINDS = (READ, CHANGE)

_ACTIONS = [
    # Signing in and account security (subject: the account).
    Action("auth.login", pgettext_lazy("audit action", "Signed in"), AUTH),
    Action("auth.login_failed", pgettext_lazy("audit action", "Failed sign-in"), AUTH),
    Action("auth.logout", pgettext_lazy("audit action", "Signed out"), AUTH),
    Action(
        "auth.logout_everywhere",
        pgettext_lazy("audit action", "Signed out of every other session"),
        AUTH,
    ),
    Action(
        "auth.session_expired", pgettext_lazy("audit action", "Signed out after being idle"), AUTH
    ),
    Action("auth.password_change", pgettext_lazy("audit action", "Changed password"), AUTH),
    Action("auth.password_set", pgettext_lazy("audit action", "Set a password"), AUTH),
    Action("auth.password_reset", pgettext_lazy("audit action", "Reset password"), AUTH),
    Action("auth.mfa_add", pgettext_lazy("audit action", "Turned on two-step sign-in"), AUTH),
    Action("auth.mfa_remove", pgettext_lazy("audit action", "Turned off two-step sign-in"), AUTH),
    Action("auth.mfa_reset", pgettext_lazy("audit action", "Made new recovery codes"), AUTH),
    Action("auth.mfa_failed", pgettext_lazy("audit action", "Typed a wrong two-step code"), AUTH),
    Action("auth.email_change", pgettext_lazy("audit action", "Changed email address"), AUTH),
    Action(
        "auth.calendar_token_revoke",
        pgettext_lazy("audit action", "Revoked the calendar feed link"),
        AUTH,
    ),
    # Refused look-ups: the walls' 404s, so probing is visible.
    Action("access.denied", pgettext_lazy("audit action", "Was refused a record"), ACCESS),
    # Reads of a member's record by someone else.
    Action("intake.read", pgettext_lazy("audit action", "Opened a screening"), READ),
    Action(
        "intake.list",
        pgettext_lazy("audit action", "Opened a person's page with their screenings"),
        READ,
    ),
    Action("attendance.read", pgettext_lazy("audit action", "Opened an attendance summary"), READ),
    Action(
        "attendance.shared_read",
        pgettext_lazy("audit action", "Opened an attendance summary shared with them"),
        READ,
    ),
    Action(
        "attendance.group_read", pgettext_lazy("audit action", "Opened a group's attendance"), READ
    ),
    Action(
        "attendance.roll_read", pgettext_lazy("audit action", "Opened a session's roll call"), READ
    ),
    Action("attendance.export", pgettext_lazy("audit action", "Exported attendance (CSV)"), READ),
    Action(
        "letter.download", pgettext_lazy("audit action", "Downloaded a letter of attendance"), READ
    ),
    Action("material.download", pgettext_lazy("audit action", "Downloaded reading material"), READ),
    Action("notes.read", pgettext_lazy("audit action", "Opened session notes"), READ),
    Action("notes.export", pgettext_lazy("audit action", "Exported session notes (PDF)"), READ),
    Action("notes.timeline", pgettext_lazy("audit action", "Opened a member's timeline"), READ),
    Action("notes.search", pgettext_lazy("audit action", "Searched session notes"), READ),
    Action("measure.read", pgettext_lazy("audit action", "Opened a measure"), READ),
    Action(
        "measure.shared_read",
        pgettext_lazy("audit action", "Opened check-ins shared with them"),
        READ,
    ),
    Action("referral.read", pgettext_lazy("audit action", "Opened a referral"), READ),
    Action("waitlist.read", pgettext_lazy("audit action", "Opened a waiting list"), READ),
    Action(
        "agreement.read",
        pgettext_lazy("audit action", "Opened who accepted a group agreement"),
        READ,
    ),
    Action(
        "privacy.export",
        pgettext_lazy("audit action", "Downloaded a copy of the data"),
        READ,
        record_own=True,
    ),
    # Changes to a member's record.
    Action("enrolment.add", pgettext_lazy("audit action", "Enrolled in a group"), CHANGE),
    Action("enrolment.change", pgettext_lazy("audit action", "Changed an enrolment"), CHANGE),
    Action("attendance.mark", pgettext_lazy("audit action", "Marked attendance"), CHANGE),
    Action("consent.grant", pgettext_lazy("audit action", "Started sharing attendance"), CHANGE),
    Action("consent.revoke", pgettext_lazy("audit action", "Stopped sharing attendance"), CHANGE),
    Action("consent.change", pgettext_lazy("audit action", "Changed sharing"), CHANGE),
    Action("couple.link", pgettext_lazy("audit action", "Linked as a couple"), CHANGE),
    Action("couple.unlink", pgettext_lazy("audit action", "Unlinked a couple"), CHANGE),
    Action("intake.create", pgettext_lazy("audit action", "Recorded a screening"), CHANGE),
    Action("intake.update", pgettext_lazy("audit action", "Edited a screening"), CHANGE),
    Action("material.create", pgettext_lazy("audit action", "Shared reading material"), CHANGE),
    Action("material.update", pgettext_lazy("audit action", "Changed reading material"), CHANGE),
    Action("material.delete", pgettext_lazy("audit action", "Removed reading material"), CHANGE),
    Action("notes.change", pgettext_lazy("audit action", "Changed session notes"), CHANGE),
    Action("notes.sign", pgettext_lazy("audit action", "Signed session notes"), CHANGE),
    Action("notes.cosign", pgettext_lazy("audit action", "Co-signed session notes"), CHANGE),
    Action(
        "notes.addendum",
        pgettext_lazy("audit action", "Added a signed addendum to session notes"),
        CHANGE,
    ),
    Action("measure.change", pgettext_lazy("audit action", "Changed a measure"), CHANGE),
    Action("measure.alert", pgettext_lazy("audit action", "Raised a safety alert"), CHANGE),
    Action(
        "measure.alert_ack", pgettext_lazy("audit action", "Acknowledged a safety alert"), CHANGE
    ),
    Action(
        "measure.escalate",
        pgettext_lazy("audit action", "Escalated a safety alert to staff"),
        CHANGE,
    ),
    Action("referral.change", pgettext_lazy("audit action", "Changed a referral"), CHANGE),
    Action("waitlist.change", pgettext_lazy("audit action", "Changed a waiting list"), CHANGE),
    Action("agreement.accept", pgettext_lazy("audit action", "Accepted a group agreement"), CHANGE),
    Action(
        "agreement.publish", pgettext_lazy("audit action", "Published a group agreement"), CHANGE
    ),
    Action(
        "privacy.erasure_request",
        pgettext_lazy("audit action", "Asked for their data to be erased"),
        CHANGE,
    ),
    Action("privacy.erasure_approve", pgettext_lazy("audit action", "Approved an erasure"), CHANGE),
    Action("privacy.erasure_refuse", pgettext_lazy("audit action", "Refused an erasure"), CHANGE),
    Action("privacy.erasure", pgettext_lazy("audit action", "Erased a person's data"), CHANGE),
    # Staff work on accounts and on the trail itself.
    Action("account.disable", pgettext_lazy("audit action", "Disabled an account"), ADMIN),
    Action("account.enable", pgettext_lazy("audit action", "Enabled an account"), ADMIN),
    Action(
        "account.role_change", pgettext_lazy("audit action", "Changed an account's role"), ADMIN
    ),
    Action(
        "account.supervision",
        pgettext_lazy("audit action", "Changed who supervises a facilitator"),
        ADMIN,
    ),
    Action("audit.view", pgettext_lazy("audit action", "Searched the audit trail"), ADMIN),
    Action("audit.export", pgettext_lazy("audit action", "Exported the audit trail (CSV)"), ADMIN),
    Action(
        "audit.disclosures",
        pgettext_lazy("audit action", "Opened an accounting of disclosures"),
        ADMIN,
    ),
    Action(
        "audit.prune", pgettext_lazy("audit action", "Removed audit rows past retention"), ADMIN
    ),
]

ACTIONS: dict[str, Action] = {action.code: action for action in _ACTIONS}
# Each code's first part, as the search form names it ("Anything: ...").
AREAS: dict[str, str | Promise] = {
    "auth": pgettext_lazy("audit area", "signing in and account security"),
    "access": pgettext_lazy("audit area", "refused look-ups"),
    "intake": pgettext_lazy("audit area", "screenings"),
    "attendance": pgettext_lazy("audit area", "attendance"),
    "letter": pgettext_lazy("audit area", "letters of attendance"),
    "material": pgettext_lazy("audit area", "reading"),
    "notes": pgettext_lazy("audit area", "session notes"),
    "measure": pgettext_lazy("audit area", "questions and check-ins"),
    "referral": pgettext_lazy("audit area", "referrals"),
    "waitlist": pgettext_lazy("audit area", "waiting lists"),
    "agreement": pgettext_lazy("audit area", "group agreements"),
    "privacy": pgettext_lazy("audit area", "copies and erasure of data"),
    "enrolment": pgettext_lazy("audit area", "enrolments"),
    "consent": pgettext_lazy("audit area", "sharing"),
    "couple": pgettext_lazy("audit area", "couples"),
    "account": pgettext_lazy("audit area", "accounts"),
    "audit": pgettext_lazy("audit area", "the audit trail"),
}
CHOICES: list[tuple[str, str | Promise]] = [(action.code, action.label) for action in _ACTIONS]
DISCLOSURE_CODES: tuple[str, ...] = tuple(
    action.code for action in _ACTIONS if action.kind in DISCLOSURE_KINDS
)


def label(code: str) -> str:
    """The human label of `code`; an unknown (or retired) code shows as itself."""
    found = ACTIONS.get(code)
    return str(found.label) if found else code


def skips_own(code: str) -> bool:
    """True when the subject doing this to their own record leaves no row (their own reads)."""
    found = ACTIONS.get(code)
    return found is not None and found.kind == READ and not found.record_own
