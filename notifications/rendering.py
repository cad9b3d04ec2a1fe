"""What each outbox row says: three email templates, one SMS template, in the recipient's
time zone and language.

Template naming convention (the discretion test renders every file that matches it, in
every app): `<app>/templates/<app>/email/<name>_subject.txt`, `<name>.txt`, `<name>.html`,
and `<app>/templates/<app>/sms/<name>.txt`.

Outbound text names the clinic and the time only: no group name or kind, no topic, no
address, no other member's name. In-app copies may say more (`in_app` in the context).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from notifications.models import Channel, Kind
from notifications.timing import zone
from sessions.models import Answer

UNSUBSCRIBE_SALT = "notifications.email-preferences.v1"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str = ""
    sms: str = ""
    headers: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)

    def outbound_text(self) -> str:
        files = [
            content.decode(errors="replace") if isinstance(content, bytes) else content
            for _name, content, _type in self.attachments
        ]
        return "\n".join([self.subject, self.text, self.html, self.sms, *files])


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def absolute(path: str) -> str:
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"


def _url(name: str, fallback: str = "/", **kwargs) -> str:
    try:
        return absolute(reverse(name, kwargs=kwargs or None))
    except NoReverseMatch:
        return absolute(fallback)


def clock(moment: datetime.datetime) -> str:
    """'7 pm', '7:30 pm', 'noon'."""
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def session_times(session, time_zone: str) -> dict:
    """'Tuesday 7 pm' and 'Tuesday 1 December, 7 pm' in the recipient's own zone."""
    local = session.starts_at.astimezone(zone(time_zone))
    return {
        "label": f"{local:%A} {clock(local)}",
        "when": f"{local:%A} {local.day} {local:%B}, {clock(local)}",
        "zone_name": str(zone(time_zone)).replace("_", " "),
        "starts_local": local,
    }


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_from_unsubscribe_token(token: str):
    from django.contrib.auth import get_user_model

    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def _rsvp_links(member, session) -> dict:
    try:
        from sessions.links import rsvp_url
    except ImportError:
        return {}
    return {answer: rsvp_url(member, session, answer) for answer in Answer.values}


def _session_ics(session) -> bytes | None:
    try:
        from sessions.calendar import session_ics_bytes
    except ImportError:
        return None
    return session_ics_bytes(session)


def _answers(session) -> dict:
    from notifications.selectors import session_answer_counts

    return session_answer_counts(session)


def context_for(row, *, in_app: bool = False) -> dict:
    recipient = row.recipient
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "recipient_name": recipient.display_name,
        "site_url": settings.SITE_URL,
        "inbox_url": _url("notifications:inbox"),
        "preferences_url": _url("notifications:preferences"),
        "unsubscribe_url": _url(
            "notifications:email_preferences", token=unsubscribe_token(recipient)
        ),
        "in_app": in_app,
        "kind": row.kind,
    }
    session = row.session
    if session is not None:
        context.update(session_times(session, recipient.time_zone))
        context["session_url"] = _url("sessions:detail", "/sessions/", pk=session.pk)
        context["status_url"] = _url("notifications:session_status", session_id=session.pk)
        context["online"] = bool(session.video_url or session.group.video_url)
    if row.kind == Kind.REMINDER:
        context["rsvp_urls"] = _rsvp_links(recipient, session)
        context["offset_minutes"] = row.offset_minutes
    elif row.kind == Kind.FACILITATOR_DIGEST:
        context["counts"] = _answers(session)
    elif row.kind == Kind.MATERIAL_PUBLISHED:
        context["material_url"] = _url("materials:detail", "/reading/", pk=row.object_id)
    elif row.kind == Kind.ABSENCE_FOLLOW_UP:
        enrollment = row.about
        if enrollment is not None:
            context["member_name"] = enrollment.member.display_name if in_app else ""
            context["follow_up_url"] = _url(
                "attendance:member",
                "/attendance/",
                group_pk=enrollment.group_id,
                member_pk=enrollment.member_id,
            )
            context["absences"] = enrollment.group.absence_follow_up_after
    return context


def render_notification(row) -> Rendered:
    """Subject, text, HTML and SMS for one row, as the recipient will read them."""
    recipient = row.recipient
    in_app = row.channel == Channel.IN_APP
    with timezone.override(zone(recipient.time_zone)), translation.override(recipient.language):
        context = context_for(row, in_app=in_app)
        base = f"notifications/email/{row.kind}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context).strip()
        if row.channel == Channel.SMS:
            sms = render_to_string(f"notifications/sms/{row.kind}.txt", context)
            return Rendered(subject=subject, text="", sms=" ".join(sms.split()))
        if in_app:
            return Rendered(subject=subject, text=text)
        html = render_to_string(f"{base}.html", context)
    host = urlsplit(settings.SITE_URL).hostname or "circle.invalid"
    headers = {
        # Stable per row: a receiver that saw it once can tell a copy apart.
        "Message-ID": f"<notification-{row.pk}-{_key_hash(row.key)}@{host}>",
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    attachments = []
    if (
        row.kind
        in (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED, Kind.SESSION_CANCELLED)
        and row.session is not None
    ):
        ics = _session_ics(row.session)
        if ics:
            attachments.append(("session.ics", ics, "text/calendar"))
    return Rendered(subject=subject, text=text, html=html, headers=headers, attachments=attachments)
