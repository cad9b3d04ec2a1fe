"""RSVP writes: answers, seats, the waitlist and its automatic promotion.

Every write locks the session row first (select_for_update), so on PostgreSQL two members
racing for the last seat are served one after the other: exactly one gets it.
"""

from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from groups.models import ACTIVE_STATUSES, GroupKind
from groups.selectors import belongs
from members.selectors import current_couple_of, partner_in
from notifications import api as notifications
from sessions.models import RSVP, Answer, Seat, Session, SessionStatus


def _check_open(session: Session, member, now) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(_("This session is cancelled, so there is nothing to answer."))
    if not session.answers_open(now):
        # Translators: a date format (Django's date filter): "Tuesday 24 November, 19:00".
        day_format = _("l j F, H:i")
        when = formats.date_format(timezone.localtime(session.answer_deadline), day_format)
        raise ValidationError(_("Answers for this session closed on %(when)s.") % {"when": when})
    if not belongs(member, session.group, statuses=ACTIVE_STATUSES):
        raise ValidationError(_("Only active members of the group can answer."))


def _party(session: Session, member) -> tuple[list, int | None]:
    """Who answers together, and their couple's id: in a couples group, both partners of an
    enrolled couple."""
    if session.group.kind != GroupKind.COUPLES:
        return [member], None
    couple = current_couple_of(member)
    if couple is None:
        return [member], None
    other = partner_in(couple, member)
    if not belongs(other, session.group, statuses=ACTIVE_STATUSES):
        return [member], None
    return [member, other], couple.pk


@transaction.atomic
def rsvp_submit(*, session: Session, member, answer: str, note: str = "", now=None) -> RSVP:
    """Record `member`'s answer (and their partner's, in a couples group).

    Going takes a seat if one is free and nobody is waiting, otherwise a waitlist place.
    Leaving a seat promotes whoever waits first."""
    if answer not in Answer.values:
        raise ValidationError(_("Choose going, not going or maybe."))
    now = now or timezone.now()
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    _check_open(session, member, now)
    party, couple_id = _party(session, member)
    party_ids = [person.pk for person in party]
    existing = {r.member_id: r for r in session.rsvps.filter(member_id__in=party_ids)}
    seats = {r.seat for r in existing.values()}

    if answer != Answer.GOING:
        seat, waitlisted_at = Seat.NONE, None
    elif len(existing) == len(party) and seats == {Seat.CONFIRMED}:
        seat, waitlisted_at = Seat.CONFIRMED, None
    elif len(existing) == len(party) and seats == {Seat.WAITLISTED}:
        seat = Seat.WAITLISTED
        waitlisted_at = min(r.waitlisted_at or now for r in existing.values())
    else:
        others = session.rsvps.exclude(member_id__in=party_ids)
        confirmed = others.filter(seat=Seat.CONFIRMED).count()
        someone_waits = others.filter(seat=Seat.WAITLISTED).exists()
        capacity = session.effective_capacity
        if capacity is None or (not someone_waits and confirmed + len(party) <= capacity):
            seat, waitlisted_at = Seat.CONFIRMED, None
        else:
            seat, waitlisted_at = Seat.WAITLISTED, now

    mine: RSVP | None = None
    for person in party:
        rsvp = existing.get(person.pk) or RSVP(session=session, member=person)
        rsvp.answer, rsvp.seat, rsvp.waitlisted_at = answer, seat, waitlisted_at
        rsvp.couple_id = couple_id
        rsvp.answered_at = now
        if person.pk == member.pk:
            rsvp.note = note.strip()[:500]
            mine = rsvp
        rsvp.save()

    promoted = promote_waitlist(session)
    notifications.session_changed(session.pk, promoted_rsvp_ids=[rsvp.pk for rsvp in promoted])
    if mine is None:  # the member is always part of their own party
        raise RuntimeError("RSVP party did not include the member")
    return mine


def promote_waitlist(session: Session) -> list[RSVP]:
    """Give free seats to the waitlist in order. A couple moves up only when two seats are
    free; nobody behind them jumps the queue. Call with the session row locked."""
    capacity = session.effective_capacity
    waiting = list(
        session.rsvps.filter(seat=Seat.WAITLISTED)
        .select_related("member")
        .order_by("waitlisted_at", "pk")
    )
    if not waiting:
        return []
    free = None
    if capacity is not None:
        free = capacity - session.rsvps.filter(seat=Seat.CONFIRMED).count()
    promoted = []
    # A couple's two rows share one waitlist time and couple id: they move as one party.
    for _key, rows in groupby(waiting, key=lambda r: (r.waitlisted_at, r.couple_id or -r.pk)):
        party = list(rows)
        if free is not None and len(party) > free:
            break
        for rsvp in party:
            rsvp.seat, rsvp.waitlisted_at = Seat.CONFIRMED, None
            rsvp.save(update_fields=["seat", "waitlisted_at"])
            promoted.append(rsvp)
        if free is not None:
            free -= len(party)
    return promoted
