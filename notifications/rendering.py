"""What each message says: the one email rendering helper (subject, text and HTML), and
what each outbox row says, in the recipient's time zone and language.

`render_email` is used for every email Circle sends: outbox rows (reminders, notices,
invitations) and allauth's account messages (through members.adapter).

Template naming convention (the discretion test renders every file that matches it, in
every app): `<app>/templates/<app>/email/<name>_subject.txt`, `<name>.txt`, `<name>.html`,
and `<app>/templates/<app>/sms/<name>.txt`.

Outbound text names the clinic and the time only: no group name or kind, no topic, no
address, no other member's name. The one exception: when a member has more than one meeting
at that hour, a message says which, by the name they see for the group (their own label,
`groups.labels.name_for`), or by its facilitator if that name would not be discreet. In-app
copies have their own short templates (`notifications/in_app/<kind>.txt`, else
`in_app/default.txt`) and may say more (`in_app` in the context).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from core.dates import clock, day, day_and_clock
from core.links import reverse_cached, reverse_with_token
from core.timezones import zone
from groups.labels import labels_of, name_for
from groups.models import ACTIVE_STATUSES
from groups.selectors import group_ids_of
from members.invitation_links import has_account, invitation_url
from members.models import Role
from notes.selectors import outstanding_count
from notifications import shared
from notifications.audience import is_excused
from notifications.discretion import (
    forbidden_words_in,
    forbidden_words_in_file,
    without_link_tokens,
)
from notifications.models import Channel, Kind
from notifications.selectors import reading_items
from referrals.links import offer_url
from sessions import reasons as session_reasons
from sessions.calendar import feed_ics_bytes
from sessions.links import rsvp_urls
from sessions.models import RSVP, Answer, Session, SessionStatus
from sessions.selectors import session_answer_counts

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

    def forbidden_words(self) -> list[str]:
        """The forbidden words of outbound_text(), in the same order; each attached file is
        checked once for all the messages it goes with."""
        text = "\n".join([self.subject, self.text, self.html, self.sms])
        found = forbidden_words_in(without_link_tokens(text))
        for _name, content, _type in self.attachments:
            if not isinstance(content, bytes):
                content = content.encode()
            found += [word for word in forbidden_words_in_file(content) if word not in found]
        return found


# An email whose only body is text gets this HTML frame, so every email looks the same.
TEXT_AS_HTML = "notifications/email/text_message.html"


def render_email(
    subject_template: str,
    text_template: str,
    html_template: str | None,
    context: dict,
    *,
    request=None,
) -> Rendered:
    """The one email helper: subject (on one line), text and HTML from three templates.

    Without an HTML template (or when it does not exist) the text is framed as HTML.
    Render inside the recipient's time zone and language (`timezone.override`,
    `translation.override`).
    """
    subject = " ".join(render_to_string(subject_template, context, request).split())
    text = render_to_string(text_template, context, request).strip()
    html = ""
    if html_template:
        try:
            html = render_to_string(html_template, context, request)
        except TemplateDoesNotExist:
            html = ""
    if not html:
        html = render_to_string(TEXT_AS_HTML, {**context, "text": text}, request)
    return Rendered(subject=subject, text=text, html=html)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def absolute(path: str) -> str:
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"


def _url(name: str, fallback: str = "/", **kwargs) -> str:
    try:
        return absolute(reverse_cached(name, **kwargs))
    except NoReverseMatch:
        return absolute(fallback)


def session_times(session, time_zone: str) -> dict:
    """'Tuesday 7 pm' and 'Tuesday 1 December, 7 pm' in the recipient's own zone (and the
    weekday and time apart, for "See you Tuesday at 7 pm"), in the active language."""
    local = session.starts_at.astimezone(zone(time_zone))
    weekday = dateformat.format(local, "l")
    return {
        "label": f"{weekday} {clock(local)}",
        "weekday": weekday,
        "time": clock(local),
        "when": day_and_clock(local),
        "zone_name": str(zone(time_zone)).replace("_", " "),
        "starts_local": local,
    }


def unsubscribe_token(user) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_from_unsubscribe_token(token: str):
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


# --- which meeting, what changed, and whether to ask ---------------------------------------


class RowLookups:
    """What a message needs to know beyond its row, read one row at a time (delivery).

    The in-app list renders a page of rows at once with a subclass that reads each fact
    for the whole page first (notifications.inbox), so a page costs the same few queries
    however many items it shows."""

    def answer(self, person, session) -> str:
        rsvp = RSVP.objects.filter(session=session, member=person).only("answer").first()
        return rsvp.answer if rsvp is not None else ""

    def excused(self, person, session) -> bool:
        return is_excused(session, person.pk)

    def clashes(self, person, session, spans) -> bool:
        """Has `person` another meeting (another group of theirs, not cancelled)
        overlapping any of `spans` [(start, end)]? Then a message must say which."""
        overlap = Q()
        for start, end in spans:
            overlap |= Q(starts_at__lt=end, ends_at__gt=start)
        return (
            Session.objects.filter(overlap, status=SessionStatus.SCHEDULED)
            .filter(
                Q(group__in=group_ids_of(person, statuses=ACTIVE_STATUSES))
                | Q(group__facilitators=person)
            )
            .exclude(group_id=session.group_id)
            .exists()
        )

    def name(self, person, group) -> str:
        return name_for(person, group)

    def sessions(self, ids) -> dict:
        return Session.objects.select_related("group").in_bulk(ids)

    def counts(self, session) -> dict:
        return session_answer_counts(session)

    def outstanding(self, person) -> int:
        return outstanding_count(person)

    def labels(self, person, groups) -> dict[int, str]:
        return labels_of(person, groups)

    def calendar_file(self, key: tuple, build) -> bytes:
        """A calendar attachment; `key` names what it holds, for a lookup that keeps them."""
        return build()

    def email_parts(self, key: tuple, build) -> shared.Parts | None:
        """A message's templates rendered with marks for its recipient's own values
        (notifications.shared); `key` names the rest, for a lookup that keeps them."""
        return build()


ONE_ROW = RowLookups()


def group_name_for(person, group, *, in_app: bool, lookups: RowLookups = ONE_ROW) -> str:
    """How a message names the group: the name this person sees for it (their own label or
    its name). Outbound, a name that would not be discreet gives way to its facilitator."""
    name = lookups.name(person, group)
    if in_app or not forbidden_words_in(name):
        return name
    facilitator = group.facilitators.filter(is_active=True).order_by("pk").first()
    if facilitator is None:
        return ""
    return gettext("the group with %(name)s") % {"name": facilitator.display_name}


def _which_group(person, session, spans, *, in_app: bool, lookups: RowLookups) -> str:
    if not spans or not lookups.clashes(person, session, spans):
        return ""
    return group_name_for(person, session.group, in_app=in_app, lookups=lookups)


def _discreet_reason(reason: str, *, in_app: bool) -> str:
    """What the facilitator typed for members; left out of outbound text that it would
    stop from going (a clinical word), shown in the app."""
    reason = (reason or "").strip()
    if reason in session_reasons.KNOWN:  # one of Circle's own, in the reader's language
        return session_reasons.reason_text(reason)
    return reason if in_app or not forbidden_words_in(reason) else ""


def _answer_context(recipient, session, *, email: bool, lookups: RowLookups) -> dict:
    """Ask "will you be there?" only of those who have not said they are going and are not
    excused; a member who said going reads "see you" instead."""
    answer = lookups.answer(recipient, session)
    excused = lookups.excused(recipient, session)
    ask = session.answers_open() and not excused and answer != Answer.GOING
    return {
        "answer": answer,
        "excused": excused,
        "ask": ask,
        "rsvp_urls": rsvp_urls(recipient, session) if ask and email else {},
    }


def _local(moment_iso: str, time_zone: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment_iso).astimezone(zone(time_zone))


def moved_context(row, recipient, *, in_app: bool, lookups: RowLookups = ONE_ROW) -> dict:
    """From when to when, in the recipient's zone; which group if they have another meeting
    at either time."""
    session = row.session
    moved_from = (row.details or {}).get("from")
    context = {"old_when": "", "same_day": False}
    spans = [(session.starts_at, session.ends_at)]
    if moved_from:
        old = _local(moved_from, recipient.time_zone)
        new = session.starts_at.astimezone(zone(recipient.time_zone))
        context["old_when"] = day_and_clock(old)
        context["same_day"] = old.date() == new.date()
        old_utc = old.astimezone(datetime.UTC)
        spans.append((old_utc, old_utc + (session.ends_at - session.starts_at)))
    context["group_name"] = _which_group(recipient, session, spans, in_app=in_app, lookups=lookups)
    return context


def series_context(row, recipient, *, in_app: bool, lookups: RowLookups = ONE_ROW) -> dict:
    """A series edit in a few lines: one time change said once ("7:15 pm instead of 7 pm,
    from Tuesday 1 December") when every moved session moved alike, else one line per
    session; then the dates that fall away, and the new ones."""
    details = row.details or {}
    time_zone = recipient.time_zone
    ids = [e[0] for e in details.get("moved", [])] + [e[0] for e in details.get("cancelled", [])]
    sessions = lookups.sessions(ids)
    moves = []
    for pk, old_start, new_start, old_end in details.get("moved", []):
        old, new = _local(old_start, time_zone), _local(new_start, time_zone)
        was_end = _local(old_end, time_zone)
        session = sessions.get(pk)
        new_end = session.ends_at.astimezone(zone(time_zone)) if session else new
        moves.append(
            {
                "new_day": day(new),
                "old_when": day_and_clock(old),
                "new_when": day_and_clock(new),
                "old_clock": clock(old),
                "new_clock": clock(new),
                "old_end": clock(was_end),
                "new_end": clock(new_end),
                "start_changed": clock(old) != clock(new),
                # The end is news only when the length changed (a later start ends later).
                "end_changed": new_end - new != was_end - old,
                "same_day": old.date() == new.date(),
            }
        )
    shape = {(m["old_clock"], m["new_clock"], m["old_end"], m["new_end"]) for m in moves}
    cancelled = details.get("cancelled", [])
    reasons = {sessions[pk].cancel_reason for pk, _when in cancelled if pk in sessions}
    spans = [(s.starts_at, s.ends_at) for s in sessions.values()]
    return {
        "moves": moves,
        "moves_alike": len(shape) == 1 and all(m["same_day"] for m in moves),
        "first_move": moves[0] if moves else None,
        "cancelled_whens": [day_and_clock(_local(when, time_zone)) for _pk, when in cancelled],
        "added_whens": [
            day_and_clock(_local(when, time_zone)) for _pk, when in details.get("added", [])
        ],
        "reason": _discreet_reason(reasons.pop(), in_app=in_app) if len(reasons) == 1 else "",
        "group_name": _which_group(recipient, row.session, spans, in_app=in_app, lookups=lookups),
        "schedule_url": _url("scheduling:upcoming", "/sessions/"),
    }


def invitation_context(invitation) -> dict:
    """Discreet: the clinic's name and the inviter's name, never the group or its kind."""
    return {
        "clinic_name": settings.CLINIC_NAME,
        "inviter_name": invitation.invited_by.display_name,
        "url": invitation_url(invitation),
        "expires_at": timezone.localtime(invitation.expires_at, timezone=zone(None)),
        "as_facilitator": invitation.role == Role.FACILITATOR,
    }


def seat_offer_context(offer) -> dict:
    """Discreet: a place came free, the link and its date; never the group or its kind."""
    if offer is None:
        return {"offer_url": "", "offer_expires_at": None}
    return {
        "offer_url": offer_url(offer),
        "offer_expires_at": timezone.localtime(offer.expires_at),
    }


def measure_prompt_context(row, recipient) -> dict:
    """The weekday of the session it comes before, in the member's zone; the link."""
    before_day = ""
    if row.session is not None:
        local = row.session.starts_at.astimezone(zone(recipient.time_zone))
        before_day = dateformat.format(local, "l")  # the weekday, in the active language
    return {
        "before_day": before_day,
        "questions_url": _url("measures:prompt", "/measures/", pk=row.object_id),
    }


def context_for(row, *, in_app: bool = False, lookups: RowLookups = ONE_ROW) -> dict:
    if row.kind == Kind.INVITATION:
        return invitation_context(row.about) if row.about is not None else {}
    if row.kind == Kind.REFERRAL_ACK and row.recipient is None:  # to an address: the name only
        return {"clinic_name": settings.CLINIC_NAME}
    recipient = row.recipient
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "recipient_name": recipient.display_name,
        "site_url": settings.SITE_URL,
        "inbox_url": _url("notifications:inbox"),
        "preferences_url": _url("notifications:preferences"),
        "unsubscribe_url": absolute(
            reverse_with_token(
                "notifications:email_preferences", "token", unsubscribe_token(recipient)
            )
        ),
        "in_app": in_app,
        "kind": row.kind,
    }
    session = row.session
    if session is not None:
        context.update(session_times(session, recipient.time_zone))
        context["session_url"] = _url("scheduling:detail", "/sessions/", pk=session.pk)
        context["status_url"] = _url("notifications:session_status", session_id=session.pk)
        context["online"] = bool(session.video_url or session.group.video_url)
    spans = [(session.starts_at, session.ends_at)] if session is not None else []
    if row.kind in (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED):
        email = row.channel == Channel.EMAIL
        context.update(_answer_context(recipient, session, email=email, lookups=lookups))
    if row.kind in (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_CANCELLED):
        context["group_name"] = _which_group(
            recipient, session, spans, in_app=in_app, lookups=lookups
        )
    if row.kind == Kind.REMINDER:
        context["offset_minutes"] = row.offset_minutes
    elif row.kind == Kind.SESSION_MOVED:
        context.update(moved_context(row, recipient, in_app=in_app, lookups=lookups))
    elif row.kind == Kind.SESSION_CANCELLED:
        context["reason"] = _discreet_reason(session.cancel_reason, in_app=in_app)
    elif row.kind == Kind.SERIES_CHANGED:
        context.update(series_context(row, recipient, in_app=in_app, lookups=lookups))
    elif row.kind == Kind.FACILITATOR_DIGEST:
        context["counts"] = lookups.counts(session)
    elif row.kind == Kind.MATERIAL_PUBLISHED:
        items = reading_items(row)
        context["reading_count"] = len(items)
        if len(items) == 1:
            context["material_url"] = _url("materials:detail", "/reading/", pk=items[0])
        else:  # several, told at once: the reading list holds them all
            context["material_url"] = _url("materials:list", "/reading/")
    elif row.kind == Kind.SEAT_OFFER:
        context.update(seat_offer_context(row.about))
    elif row.kind == Kind.MEASURE_PROMPT:
        context.update(measure_prompt_context(row, recipient))
    elif row.kind in (Kind.MEASURE_ALERT, Kind.MEASURE_ESCALATION):
        alert = row.about
        # "Please check in with Alex today": the name only, never an answer or a score.
        context["member_name"] = alert.member.display_name if alert is not None else ""
        context["alert_url"] = _url("measures:alert", "/measures/", pk=row.object_id)
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
    elif row.kind == Kind.NOTES_OUTSTANDING:
        # How many are left as it is sent (some may be done since), never which or where.
        context["count"] = lookups.outstanding(recipient)
        context["notes_url"] = _url("notes:index", "/notes/")
    return context


def _template_name(row) -> str:
    # An invited address that already has an account is asked to sign in, not to sign up. The
    # row, its status and what the inviter sees are the same either way.
    if row.kind == Kind.INVITATION and row.about is not None and has_account(row.about):
        return "invitation_sign_in"
    return row.kind


def _templates(base: str) -> tuple[str, str, str]:
    return f"{base}_subject.txt", f"{base}.txt", f"{base}.html"


def _in_app_text(kind: str, context: dict) -> str:
    """The in-app list's own short text: no calendar file, footer or long links (the list
    links to what it is about)."""
    try:
        return render_to_string(f"notifications/in_app/{kind}.txt", context).strip()
    except TemplateDoesNotExist:
        return render_to_string("notifications/in_app/default.txt", context).strip()


def _ics_for(recipient, sessions, lookups: RowLookups = ONE_ROW) -> bytes:
    """A calendar file for its recipient: titled with their own name for the group, in
    their language. A name that would not be discreet gives way to the neutral title, so
    the message is not held back for it."""
    labels = lookups.labels(recipient, {s.group for s in sessions}) if recipient else {}
    language = recipient.language if recipient is not None else ""
    key = (tuple(s.pk for s in sessions), tuple(sorted(labels.items())), language)
    return lookups.calendar_file(key, lambda: _discreet_ics(recipient, sessions, labels))


def _discreet_ics(recipient, sessions, labels) -> bytes:
    ics = feed_ics_bytes(sessions, viewer=recipient, labels=labels)
    if recipient is None or not forbidden_words_in(ics.decode(errors="replace")):
        return ics
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return feed_ics_bytes(sessions)


def _series_ics(row) -> bytes:
    """The moved and cancelled sessions of a series notice, as one calendar file."""
    details = row.details or {}
    ids = [e[0] for e in details.get("moved", [])] + [e[0] for e in details.get("cancelled", [])]
    sessions = Session.objects.select_related("group").filter(pk__in=ids).order_by("starts_at")
    return _ics_for(row.recipient, list(sessions)) if ids else b""


def _language_of(about) -> str:
    """Someone without an account reads in the language they wrote to us in (a request),
    else the clinic's."""
    language = getattr(about, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_in_app(row, *, language: str, lookups: RowLookups = ONE_ROW) -> Rendered:
    """An in-app row as its reader sees it when the list is shown: the title and short text,
    in `language` and their time zone, with the names they see for their groups now."""
    with timezone.override(zone(row.recipient.time_zone)), translation.override(language):
        context = context_for(row, in_app=True, lookups=lookups)
        subject_template = f"notifications/email/{_template_name(row)}_subject.txt"
        subject = " ".join(render_to_string(subject_template, context).split())
        return Rendered(subject=subject, text=_in_app_text(row.kind, context))


# What a batch sends alike to the members of one session: rendered once for all of them.
SHARED_KINDS = frozenset(
    {Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED, Kind.SESSION_CANCELLED}
)


def _email_parts(templates: tuple[str, str, str], context: dict) -> shared.Parts | None:
    """The three templates as written; None without an HTML one (render_email then frames
    each message's text on its own)."""
    subject_template, text_template, html_template = templates
    try:
        html = render_to_string(html_template, context)
    except TemplateDoesNotExist:
        return None
    if not html:
        return None
    subject = render_to_string(subject_template, context)
    return shared.Parts(subject, render_to_string(text_template, context), html)


def _email_for(row, templates: tuple[str, str, str], context: dict, lookups) -> Rendered:
    """render_email's message, from the batch's one rendering when the kind is sent alike."""
    marked = shared.mark(context) if row.kind in SHARED_KINDS else None
    if marked is not None:
        language, time_zone = translation.get_language(), timezone.get_current_timezone_name()
        key = (templates, language, time_zone, marked.key)
        parts = lookups.email_parts(key, lambda: _email_parts(templates, marked.context))
        if parts is not None:
            subject, text, html = shared.fill(parts, marked.values)
            return Rendered(subject=subject, text=text, html=html)
    return render_email(*templates, context)


def render_notification(row, lookups: RowLookups = ONE_ROW) -> Rendered:
    """Subject, text, HTML and SMS for one row, as the recipient will read them. `lookups`
    reads what the row does not hold (notifications.lookups reads it for a whole batch)."""
    recipient = row.recipient
    in_app = row.channel == Channel.IN_APP
    # Someone without an account yet (an invitation) reads it in the clinic's zone.
    time_zone = recipient.time_zone if recipient is not None else None
    language = recipient.language if recipient is not None else _language_of(row.about)
    if in_app:  # always to an account: the list shows it rendered again (inbox.py)
        return render_in_app(row, language=language, lookups=lookups)
    base = f"notifications/email/{_template_name(row)}"
    subject_template, text_template, html_template = _templates(base)
    with timezone.override(zone(time_zone)), translation.override(language):
        context = context_for(row, in_app=in_app, lookups=lookups)
        if row.channel == Channel.SMS:
            subject = " ".join(render_to_string(subject_template, context).split())
            sms = render_to_string(f"notifications/sms/{row.kind}.txt", context)
            return Rendered(subject=subject, text="", sms=" ".join(sms.split()))
        templates = (subject_template, text_template, html_template)
        rendered = _email_for(row, templates, context, lookups)
    host = urlsplit(settings.SITE_URL).hostname or "circle.invalid"
    # Message-ID is stable per row: a receiver that saw it once can tell a copy apart.
    rendered.headers["Message-ID"] = f"<notification-{row.pk}-{_key_hash(row.key)}@{host}>"
    if recipient is not None:  # an invitation's reader has nothing to unsubscribe from
        rendered.headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        rendered.headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    rendered.headers["Auto-Submitted"] = "auto-generated"
    if (
        row.kind
        in (Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED, Kind.SESSION_CANCELLED)
        and row.session is not None
    ):
        ics = _ics_for(recipient, [row.session], lookups)
        if ics:
            rendered.attachments.append(("session.ics", ics, "text/calendar"))
    if row.kind == Kind.SERIES_CHANGED and (ics := _series_ics(row)):
        rendered.attachments.append(("sessions.ics", ics, "text/calendar"))
    return rendered
