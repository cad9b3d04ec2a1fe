"""Every action the audit trail knows, with the label staff (and members) read.

Codes are dotted and stable: rows keep them forever, so rename a label, never a code.
`kind` groups them: "read" and "change" are disclosures of someone's record (what the
accounting of disclosures lists); "auth" is signing in and out and account security; "access"
is a refused look-up; "admin" is staff work on the trail itself and on accounts.
A read is not recorded when the person reads their own record (see audit.api.record).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    kind: str  # "read" | "change" | "auth" | "access" | "admin"
    # A person reading their own record is no disclosure, so reads by the subject are skipped;
    # a few reads matter even then (a copy of everything Circle holds left the building).
    record_own: bool = False


READ, CHANGE, AUTH, ACCESS, ADMIN = "read", "change", "auth", "access", "admin"
DISCLOSURE_KINDS = (READ, CHANGE)

_ACTIONS = [
    # Signing in and account security (subject: the account).
    Action("auth.login", "Signed in", AUTH),
    Action("auth.login_failed", "Failed sign-in", AUTH),
    Action("auth.logout", "Signed out", AUTH),
    Action("auth.logout_everywhere", "Signed out of every other session", AUTH),
    Action("auth.session_expired", "Signed out after being idle", AUTH),
    Action("auth.password_change", "Changed password", AUTH),
    Action("auth.password_set", "Set a password", AUTH),
    Action("auth.password_reset", "Reset password", AUTH),
    Action("auth.mfa_add", "Turned on two-step sign-in", AUTH),
    Action("auth.mfa_remove", "Turned off two-step sign-in", AUTH),
    Action("auth.mfa_reset", "Made new recovery codes", AUTH),
    Action("auth.mfa_failed", "Typed a wrong two-step code", AUTH),
    Action("auth.email_change", "Changed email address", AUTH),
    Action("auth.calendar_token_revoke", "Revoked the calendar feed link", AUTH),
    # Refused look-ups: the walls' 404s, so probing is visible.
    Action("access.denied", "Was refused a record", ACCESS),
    # Reads of a member's record by someone else.
    Action("intake.read", "Opened a screening", READ),
    Action("intake.list", "Opened a person's page with their screenings", READ),
    Action("attendance.read", "Opened an attendance summary", READ),
    Action("attendance.shared_read", "Opened an attendance summary shared with them", READ),
    Action("attendance.group_read", "Opened a group's attendance", READ),
    Action("attendance.roll_read", "Opened a session's roll call", READ),
    Action("attendance.export", "Exported attendance (CSV)", READ),
    Action("letter.download", "Downloaded a letter of attendance", READ),
    Action("material.download", "Downloaded reading material", READ),
    Action("notes.read", "Opened session notes", READ),
    Action("notes.export", "Exported session notes (PDF)", READ),
    Action("notes.timeline", "Opened a member's timeline", READ),
    Action("notes.search", "Searched session notes", READ),
    Action("measure.read", "Opened a measure", READ),
    Action("measure.shared_read", "Opened check-ins shared with them", READ),
    Action("referral.read", "Opened a referral", READ),
    Action("waitlist.read", "Opened a waiting list", READ),
    Action("agreement.read", "Opened who accepted a group agreement", READ),
    Action("privacy.export", "Downloaded a copy of the data", READ, record_own=True),
    # Changes to a member's record.
    Action("enrolment.add", "Enrolled in a group", CHANGE),
    Action("enrolment.change", "Changed an enrolment", CHANGE),
    Action("attendance.mark", "Marked attendance", CHANGE),
    Action("consent.grant", "Started sharing attendance", CHANGE),
    Action("consent.revoke", "Stopped sharing attendance", CHANGE),
    Action("consent.change", "Changed sharing", CHANGE),
    Action("couple.link", "Linked as a couple", CHANGE),
    Action("couple.unlink", "Unlinked a couple", CHANGE),
    Action("intake.create", "Recorded a screening", CHANGE),
    Action("intake.update", "Edited a screening", CHANGE),
    Action("material.create", "Shared reading material", CHANGE),
    Action("material.update", "Changed reading material", CHANGE),
    Action("material.delete", "Removed reading material", CHANGE),
    Action("notes.change", "Changed session notes", CHANGE),
    Action("notes.sign", "Signed session notes", CHANGE),
    Action("notes.cosign", "Co-signed session notes", CHANGE),
    Action("notes.addendum", "Added a signed addendum to session notes", CHANGE),
    Action("measure.change", "Changed a measure", CHANGE),
    Action("measure.alert", "Raised a safety alert", CHANGE),
    Action("measure.alert_ack", "Acknowledged a safety alert", CHANGE),
    Action("measure.escalate", "Escalated a safety alert to staff", CHANGE),
    Action("referral.change", "Changed a referral", CHANGE),
    Action("waitlist.change", "Changed a waiting list", CHANGE),
    Action("agreement.accept", "Accepted a group agreement", CHANGE),
    Action("agreement.publish", "Published a group agreement", CHANGE),
    Action("privacy.erasure_request", "Asked for their data to be erased", CHANGE),
    Action("privacy.erasure_approve", "Approved an erasure", CHANGE),
    Action("privacy.erasure_refuse", "Refused an erasure", CHANGE),
    Action("privacy.erasure", "Erased a person's data", CHANGE),
    # Staff work on accounts and on the trail itself.
    Action("account.disable", "Disabled an account", ADMIN),
    Action("account.enable", "Enabled an account", ADMIN),
    Action("account.role_change", "Changed an account's role", ADMIN),
    Action("audit.view", "Searched the audit trail", ADMIN),
    Action("audit.export", "Exported the audit trail (CSV)", ADMIN),
    Action("audit.disclosures", "Opened an accounting of disclosures", ADMIN),
    Action("audit.prune", "Removed audit rows past retention", ADMIN),
]

ACTIONS: dict[str, Action] = {action.code: action for action in _ACTIONS}
CHOICES: list[tuple[str, str]] = [(action.code, action.label) for action in _ACTIONS]
DISCLOSURE_CODES: tuple[str, ...] = tuple(
    action.code for action in _ACTIONS if action.kind in DISCLOSURE_KINDS
)


def label(code: str) -> str:
    """The human label of `code`; an unknown (or retired) code shows as itself."""
    found = ACTIONS.get(code)
    return found.label if found else code


def skips_own(code: str) -> bool:
    """True when the subject doing this to their own record leaves no row (their own reads)."""
    found = ACTIONS.get(code)
    return found is not None and found.kind == READ and not found.record_own
