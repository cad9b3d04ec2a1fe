"""A member's own data as a zip: `data.json` (everything, machine-readable) and
`summary.html` (the same, readable, self-contained: inline CSS, no request anywhere).

Each app answers for its own rows (`export_member` at the end of its selectors module), by
the member's id, so nothing here can reach another person's record.
"""

import datetime
import io
import json
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attendance import selectors as attendance_selectors
from attendance.models import Mark
from groups import selectors as groups_selectors
from groups.models import EnrollmentStatus
from materials import selectors as materials_selectors
from measures import selectors as measures_selectors
from members import selectors as members_selectors
from members.models import GROUP_KIND_CHOICES, Intake, UseLevel
from notes import selectors as notes_selectors
from notifications import selectors as notifications_selectors
from notifications.models import Channel
from notifications.models import Status as NotificationStatus
from referrals import selectors as referrals_selectors
from sessions import selectors as sessions_selectors
from sessions.models import Answer

FORMAT_VERSION = 1


def member_data(member_id: int, *, now: datetime.datetime | None = None) -> dict:
    """Everything Circle holds about one person, by app."""
    now = now or timezone.now()
    members = members_selectors.export_member(member_id)
    sessions = sessions_selectors.export_member(member_id)
    attendance = attendance_selectors.export_member(member_id)
    notifications = notifications_selectors.export_member(member_id)
    referrals = referrals_selectors.export_member(member_id)
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": now,
        "account": members["account"],
        "preferences": notifications["preferences"],
        "groups": groups_selectors.export_member(member_id),
        # The names the person gave their groups, seen only by them.
        "group_labels": groups_selectors.export_labels(member_id),
        "rsvps": sessions["rsvps"],
        "calendar_feed": sessions["calendar_feed"],
        "attendance": attendance["attendance"],
        "attendance_letters": attendance["letters"],
        "reading": materials_selectors.export_member(member_id),
        "notifications": notifications["notifications"],
        "sharing_given": members["sharing_given"],
        "sharing_received": members["sharing_received"],
        "couple": members["couple"],
        "intakes": members["intakes"],
        "invitations_accepted": members["invitations_accepted"],
        # Progress notes only when the clinic opened notes to members (notes.selectors).
        "progress_notes": notes_selectors.export_member(member_id)["progress_notes"],
        "questionnaires_and_check_ins": measures_selectors.export_member(member_id),
        # Requests for a first conversation, waiting-list places with seat offers, agreements.
        "requests": referrals["requests"],
        "waiting_lists": referrals["waiting_lists"],
        "agreements": referrals["agreements"],
    }


def _intakes_labelled(intakes: list[dict]) -> list[dict]:
    """Each screening with its questions' wording, for the readable summary."""
    kinds = dict(GROUP_KIND_CHOICES)
    result = []
    for intake in intakes:
        labelled = [
            (str(getattr(Intake._meta.get_field(name), "verbose_name", name)), intake[name])
            for name in Intake.ANSWER_FIELDS
        ]
        labelled += [
            (
                _("Assessed level of use"),
                UseLevel(intake["level"]).label if intake["level"] else "",
            ),
            (_("Recommended kind of group"), kinds.get(intake["recommended_kind"], "")),
            (_("Notes"), intake["notes"]),
        ]
        result.append({**intake, "labelled": labelled})
    return result


def _labelled(rows: list[dict], **choices) -> list[dict]:
    """Each row with `<field>_label`: the stored code's label, for the readable summary."""
    lookups = {key: dict(pairs) for key, pairs in choices.items()}
    return [
        {**row, **{f"{key}_label": lookups[key].get(row[key], row[key]) for key in lookups}}
        for row in rows
    ]


def _own_names(labels: list[dict]):
    """A function naming a group in the summary: its real name, and beside it the name the
    member gave it ("Tuesday evening · Tuesday group (your name for it)"). Rows name groups
    as text; the stints carry their id, and two labelled groups of one name are told apart
    there only."""
    by_id = {row["group_id"]: row["your_name_for_it"] for row in labels}
    by_name: dict[str, set] = {}
    for row in labels:
        by_name.setdefault(row["group"], set()).add(row["your_name_for_it"])

    def shown(name, group_id=None):
        label = by_id.get(group_id) if group_id is not None else None
        if label is None and name in by_name and len(by_name[name]) == 1:
            (label,) = by_name[name]
        if not name or not label:
            return name
        return f"{name} · " + _("%(label)s (your name for it)") % {"label": label}

    return shown


def _named(rows: list[dict], shown) -> list[dict]:
    return [{**row, "group": shown(row.get("group"), row.get("group_id"))} for row in rows]


def _intakes_named(intakes: list[dict], shown) -> list[dict]:
    return [
        {
            **intake,
            "group": shown(intake.get("group")),
            "shared_with_groups": _named(intake.get("shared_with_groups") or [], shown),
        }
        for intake in intakes
    ]


def _readable(data: dict) -> dict:
    """The summary's view of the data: codes shown as words in the active language, and
    groups also by the names the member gave them."""
    preferences = data["preferences"]
    if preferences is not None:
        channels = dict(Channel.choices)
        labels = [str(channels.get(code, code)) for code in preferences["channels"]]
        preferences = {**preferences, "channel_labels": labels}
    shown = _own_names(data["group_labels"])
    named = {
        key: _named(data[key], shown)
        for key in (
            "attendance_letters",
            "sharing_given",
            "sharing_received",
            "invitations_accepted",
            "waiting_lists",
            "agreements",
        )
    }
    return {
        **data,
        **named,
        "preferences": preferences,
        "groups": _labelled(_named(data["groups"], shown), status=EnrollmentStatus.choices),
        "rsvps": _labelled(_named(data["rsvps"], shown), answer=Answer.choices),
        "attendance": _labelled(_named(data["attendance"], shown), mark=Mark.choices),
        "notifications": _labelled(
            data["notifications"], channel=Channel.choices, status=NotificationStatus.choices
        ),
        "intakes": _intakes_named(data["intakes"], shown),
    }


def export_filename(day: datetime.date) -> str:
    """Discreet: says what it is to the person, nothing about groups or care."""
    return f"circle-data-{day.isoformat()}.zip"


def member_export_zip(member, *, now: datetime.datetime | None = None) -> bytes:
    """The zip, built in memory (a member's data is small)."""
    now = now or timezone.now()
    data = member_data(member.pk, now=now)
    # The member's own language, whoever downloads it (staff may, to hand it over).
    with translation.override(member.language or settings.LANGUAGE_CODE):
        readable = _readable(data)
        summary = render_to_string(
            "privacy/export_summary.html",
            {
                "data": readable,
                "intakes": _intakes_labelled(readable["intakes"]),
                "time_zone": member.time_zone,
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        archive.writestr("summary.html", summary)
    return buffer.getvalue()
