"""The large clinic's clinical record, built on what bench/clinic.py made: screenings, session
notes with addenda, questionnaires (schedules, prompts, answers, alerts), check-ins and
milestones, a year of referral requests with the waiting lists, and a year of audit trail.

Everything is in proportion to `scale`, drawn from the build's rng and written in bulk (COPY
or bulk_create), never one service call per row; each row has the shape the services give it
(a note's JSON body and sections, a prompt's slot key, a score as text, an audit row's codes).

Encrypted columns hold Fernet tokens (core.crypto) made once from a small pool of realistic
texts and shared between rows: encrypting a million values one by one is not the point, while
every page still decrypts every value it shows.
"""

import datetime
import itertools
import json
import random
import time
import zoneinfo
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password

from attendance.models import ATTENDED_MARKS, Mark
from audit.models import AuditEvent
from bench.clinic import EMAIL_DOMAIN, ZONE, _bulk, _Copier
from core.crypto import encrypt_text
from groups.models import GroupKind
from measures.models import (
    Alert,
    Cadence,
    CheckIn,
    Instrument,
    Milestone,
    Prompt,
    Response,
    ResponseStatus,
    Schedule,
)
from measures.scoring import score
from members.models import Couple, Intake, Role, UseLevel, User
from notes.models import Addendum, Note, NoteKind, TemplateUse
from notes.services import default_template
from referrals.models import (
    KIND_FOR,
    OPEN_STATUSES,
    EntryStatus,
    ForWhom,
    MeetingFormat,
    OfferStatus,
    Referral,
    ReferralEvent,
    SeatOffer,
    Status,
    WaitingListEntry,
)

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def _seal(text: str) -> str:
    return encrypt_text(text) if text else ""


def _sealed(texts) -> list[str]:
    return [_seal(text) for text in texts]


@dataclass
class Base:
    """What clinic.build made (only who runs each group is read back), and what each step here
    adds for the next."""

    rng: random.Random
    now: datetime.datetime
    scale: float
    staff: User
    members: list
    groups: list
    roster: dict  # group id -> [Enrollment]
    sessions: list  # clinic.SessionRow, per group in week order
    marks: list  # attendance rows as written: session_id, member_id, mark, ...
    mark_ids: list
    lead: dict = field(default_factory=dict)  # group id -> its facilitator's id
    kind: dict = field(default_factory=dict)  # group id -> GroupKind
    of_kind: dict = field(default_factory=dict)  # GroupKind -> [id of a group with members]
    by_group: dict = field(default_factory=dict)  # group id -> [SessionRow]
    marks_of: dict = field(default_factory=dict)  # session id -> [index into marks]
    intake_of: dict = field(default_factory=dict)  # (member id, group id) -> intake id
    note_of: dict = field(default_factory=dict)  # (session id, member id or None) -> note id
    responses_of: dict = field(default_factory=dict)  # (member id, group id) -> [response id]
    instrument_of: dict = field(default_factory=dict)  # group id -> its schedule's instrument
    referrals: list = field(default_factory=list)  # (referral id, member id, status)
    devices: dict = field(default_factory=dict)  # person id -> (ip, user agent)

    def __post_init__(self):
        through = self.groups[0].facilitators.through
        for group_id, user_id in through.objects.values_list("group_id", "user_id"):
            self.lead.setdefault(group_id, user_id)
        self.kind = {g.pk: g.kind for g in self.groups}
        for group in self.groups:
            if self.roster.get(group.pk):
                self.of_kind.setdefault(group.kind, []).append(group.pk)
        for session in self.sessions:
            self.by_group.setdefault(session.group_id, []).append(session)
        for index, mark in enumerate(self.marks):
            self.marks_of.setdefault(mark["session_id"], []).append(index)

    def held(self, group_id: int) -> list:
        """The group's sessions that have taken place (the clinic cancels none)."""
        return [s for s in self.by_group.get(group_id, []) if s.starts_at < self.now]

    def device(self, person: int) -> tuple[str, str]:
        """The address and browser a person's requests come from (one each, for the trail)."""
        if person not in self.devices:
            address = f"10.{person // 65536 % 256}.{person // 256 % 256}.{person % 256}"
            self.devices[person] = (address, USER_AGENTS[person % len(USER_AGENTS)])
        return self.devices[person]

    def n(self, full: int, least: int = 1) -> int:
        return max(least, round(full * self.scale))


def build(*, log=print, **made) -> dict:
    """Build the record inside the caller's transaction; returns the counts of what it added."""
    base = Base(**made)
    counts: dict = {}
    for step in (_intakes, _notes, _measures, _checkins, _referrals, _audit):
        began = time.monotonic()
        added = step(base)
        counts.update(added)
        shown = ", ".join(f"{name}: {value}" for name, value in added.items())
        log(f"  {shown} ({time.monotonic() - began:.1f} s)")
    return counts


# --- screenings ----------------------------------------------------------------------------

SCREENING = {
    "others_concerned": [
        "My wife found the messages last spring.",
        "My brother asked why I am never around at weekends.",
        "Nobody has said anything yet, but I think my partner suspects.",
        "My manager noticed the browsing at work.",
        "A friend told me I seemed to be hiding something.",
    ],
    "self_concerned": [
        "Yes, I lose whole evenings.",
        "More and more. I promise myself to stop and do not.",
        "Sometimes. Mostly when I am tired.",
        "Yes. It scares me how much time goes.",
    ],
    "escape": [
        "Scrolling late at night when work is bad.",
        "Drinking a bit, then going online.",
        "Going out and not telling anyone where.",
        "Staying on my phone for hours after an argument.",
    ],
    "secrets": [
        "I delete my history every day.",
        "I have a second phone nobody knows about.",
        "I lie about where the money goes.",
        "Not really, but I do not volunteer anything.",
    ],
    "others_disturbed": [
        "The amount of money spent.",
        "How often it happens, and where.",
        "That it carried on after I promised it had stopped.",
        "Probably the lying more than anything.",
    ],
    "shame": ["Every morning.", "Yes, a lot.", "After each time.", "Less than I should, maybe."],
}
PARTNER_SCREENING = {
    "others_concerned": ["My sister says I look exhausted.", "A friend said I should get help."],
    "self_concerned": ["About myself? I am not sleeping.", "I check his phone every night."],
    "escape": ["Work. I stay late.", "I clean the house at two in the morning."],
    "secrets": ["I have not told anyone.", "My family does not know any of it."],
    "others_disturbed": ["How much I have put up with.", "That I stayed."],
    "shame": ["Yes, oddly, as if it were me.", "Sometimes."],
}
INTAKE_NOTES = [
    "Prefers evening groups; works shifts.",
    "Referred by their GP. Keen to start soon.",
    "First time in any group; a little anxious about online sessions.",
    "Has been in a twelve-step group before.",
    "",
]
LEVELS: dict[str, list[str]] = {
    GroupKind.ADDICT: [UseLevel.AT_RISK, UseLevel.ADDICTED, UseLevel.ADDICTED],
    GroupKind.PARTNER: [UseLevel.CASUAL],
    GroupKind.COUPLES: [UseLevel.CASUAL, UseLevel.AT_RISK, UseLevel.ADDICTED],
}
INTAKES_PER_KIND = 16


def _screening_pool(rng, kind: str) -> list[dict]:
    """Encrypted screenings for one kind of group: each a dict of Intake columns."""
    answers = PARTNER_SCREENING if kind == GroupKind.PARTNER else SCREENING
    pool = []
    for _ in range(INTAKES_PER_KIND):
        row = {name: rng.choice(texts) for name, texts in answers.items()}
        row |= {
            "level": rng.choice(LEVELS[kind]),
            "recommended_kind": kind,
            "notes": rng.choice(INTAKE_NOTES),
        }
        pool.append({name: _seal(text) for name, text in row.items()})
    return pool


def _intakes(base: Base) -> dict:
    """One screening per enrolment, recorded for its group by the group's facilitator a few
    weeks before the member joined (the group's facilitators read it; members.permissions)."""
    rng = base.rng
    pools = {kind: _screening_pool(rng, kind) for kind in GroupKind.values}
    rows, keys = [], []
    for group_id, enrollments in base.roster.items():
        for enrollment in enrollments:
            day = enrollment.joined_on - rng.randint(5, 40) * DAY
            at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17)), datetime.UTC)
            rows.append(
                rng.choice(pools[base.kind[group_id]])
                | {
                    "member_id": enrollment.member_id,
                    "recorded_by_id": base.lead[group_id],
                    "group_id": group_id,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            keys.append((enrollment.member_id, group_id))
    ids = _Copier(Intake).write(rows)
    base.intake_of = dict(zip(keys, ids, strict=True))
    return {"intakes": len(ids)}


# --- session notes -------------------------------------------------------------------------

THEMES = [
    "Shame after a slip, and how to talk about it without hiding.",
    "Triggers at the end of the working week; loneliness on Friday nights.",
    "Honesty with partners: what to disclose, and when.",
    "Boundaries with phones and screens at home.",
    "Anger in early recovery, and where it goes.",
    "Trust after disclosure; what rebuilding looked like for some.",
    "Holidays and family gatherings as high-risk times.",
    "Sleep, tiredness and the late-night pull.",
]
INTERVENTIONS = [
    "Check-in round; urge-surfing exercise; psychoeducation on the cycle of acting out.",
    "Grounding exercise; pairs work on relapse-prevention plans.",
    "Motivational interviewing in the round; values card sort.",
    "Role play of a difficult conversation; feedback from the group.",
    "Mindfulness of breathing; thought records introduced.",
]
PROCESS = [
    "Warm and focused. Two members challenged each other respectfully.",
    "Quieter than usual; one newer member spoke for the first time.",
    "Some tension early on, resolved after the break. Good safety overall.",
    "Cohesive. Members offered each other phone numbers for the week.",
]
GROUP_PLANS = [
    "Return to the relapse-prevention plans; check in with the two quieter members.",
    "Continue the honesty theme; bring the handout on disclosure.",
    "Start with a longer check-in; revisit boundaries at home.",
    "Short review of last week's homework, then the values exercise.",
]
OBSERVATIONS = [
    "Engaged throughout and spoke openly about a difficult week at work.",
    "Quiet at first; joined in during the pairs exercise and gave thoughtful feedback.",
    "Reported three weeks without acting out; visibly proud, and supportive of others.",
    "Disclosed a slip on Saturday. Tearful but stayed with it; the group responded kindly.",
    "Talked about tension at home after a disclosure to their partner.",
    "Arrived tired after a night shift; participated less but stayed present.",
    "Challenged another member's minimising, respectfully. Good insight into own patterns.",
    "Described using the urge-surfing exercise twice this week, once successfully.",
]
ASSESSMENTS = [
    "Steady progress toward goals; no risk indicators today.",
    "Some increase in urges linked to stress at work; coping plan holding.",
    "Mood lower than last month. Asked about sleep and support; no thoughts of self-harm.",
    "Good engagement; insight developing. Continues to need support around disclosure.",
    "Relapse risk moderate this week; has a plan and a contact for the weekend.",
]
PLANS = [
    "Continue weekly group. Review relapse-prevention plan next session.",
    "Homework: urge log for the week. Follow up on sleep.",
    "Offered a one-to-one check-in before next session; accepted.",
    "Share the handout on boundaries; revisit in two weeks.",
    "No change to plan. Encourage use of the phone list between sessions.",
]
ADDENDA = [
    "Member phoned the next day to add that the slip was on Friday, not Saturday.",
    "Correction: the exercise used was grounding, not urge-surfing.",
    "Follow-up call made as planned; member doing better and will attend next week.",
    "Discussed with supervisor; no change to the plan.",
]
GROUP_NOTE_VARIANTS = 2
PROGRESS_NOTE_VARIANTS = 24
ADDENDUM_SHARE = 0.02


def _group_body(rng, topic: str) -> str:
    return json.dumps(
        {
            "topic": topic,
            "themes": rng.choice(THEMES),
            "interventions": rng.choice(INTERVENTIONS),
            "process": rng.choice(PROCESS),
            "plan": rng.choice(GROUP_PLANS),
        }
    )


def _progress_body(rng, mark: str, into: str, keys: list[str]) -> str:
    """A DAP note as note_save leaves it: the prefill's attendance line (progress_prefill),
    then what the facilitator wrote."""
    attendance = f"Attendance: {str(Mark(mark).label).lower()}."
    texts = iter([rng.choice(ASSESSMENTS), rng.choice(PLANS)])
    body = {key: next(texts, "") for key in keys if key != into}
    return json.dumps({into: f"{attendance}\n{rng.choice(OBSERVATIONS)}", **body})


class Format(NamedTuple):
    """A note format as a note keeps it: the template's id and its sections (JSON)."""

    template_id: int
    sections: str


def _format(template) -> Format:
    return Format(template.pk, json.dumps(template.fields))


@dataclass
class NotePools:
    group_format: Format
    progress_format: Format
    group: dict = field(default_factory=dict)  # topic -> [token]
    progress: dict = field(default_factory=dict)  # mark -> [token]

    def group_body(self, rng, topic: str) -> str:
        if topic not in self.group:
            self.group[topic] = [_seal(_group_body(rng, topic)) for _ in range(GROUP_NOTE_VARIANTS)]
        return rng.choice(self.group[topic])


def _note_pools(rng) -> NotePools:
    """The default formats (notes/0002's group note and DAP) and the progress notes' bodies."""
    template = default_template(TemplateUse.PROGRESS)
    pools = NotePools(_format(default_template(TemplateUse.GROUP)), _format(template))
    into = (template.shared_from_group or {}).get("into") or template.field_keys()[0]
    for mark in ATTENDED_MARKS:
        pools.progress[mark] = [
            _seal(_progress_body(rng, mark, into, template.field_keys()))
            for _ in range(PROGRESS_NOTE_VARIANTS)
        ]
    return pools


def _note_row(
    session, form: Format, author, written, body, *, member_id=None, mark="", signed_at=None
):
    return {
        "session_id": session.pk,
        "member_id": member_id,
        "kind": NoteKind.PROGRESS if member_id else NoteKind.GROUP,
        "template_id": form.template_id,
        "sections": form.sections,
        "body": body,
        "attendance_mark": mark,
        "created_by_id": author,
        "created_at": written,
        "updated_by_id": author,
        "updated_at": signed_at or written,
        "signed_by_id": author if signed_at else None,
        "signed_at": signed_at,
    }


def _session_notes(base: Base, pools: NotePools, session, week: int, draft: bool):
    """The group note and a progress note per member who attended, by the facilitator that
    night; the group's last session still in draft."""
    rng, author = base.rng, base.lead[session.group_id]
    written = min(session.ends_at + 10 * MINUTE, base.now)
    signed_at = None if draft else session.ends_at + rng.randint(20, 180) * MINUTE
    body = pools.group_body(rng, f"Week {week}")
    yield None, _note_row(session, pools.group_format, author, written, body, signed_at=signed_at)
    for index in base.marks_of.get(session.pk, []):
        mark = base.marks[index]
        if mark["mark"] not in ATTENDED_MARKS:
            continue
        body = rng.choice(pools.progress[mark["mark"]])
        row = _note_row(
            session,
            pools.progress_format,
            author,
            written,
            body,
            member_id=mark["member_id"],
            mark=mark["mark"],
            signed_at=signed_at,
        )
        yield mark["member_id"], row


def _notes(base: Base) -> dict:
    pools = _note_pools(base.rng)
    keys, signed = [], []

    def rows():
        for group in base.groups:
            held = base.held(group.pk)
            for week, session in enumerate(held, 1):
                draft = week == len(held)
                for member_id, row in _session_notes(base, pools, session, week, draft):
                    keys.append((session.pk, member_id))
                    if row["signed_at"]:
                        signed.append((len(keys) - 1, row["signed_at"], row["signed_by_id"]))
                    yield row

    ids = _Copier(Note).write(rows())
    base.note_of = dict(zip(keys, ids, strict=True))
    addenda = _addenda(base, ids, signed)
    return {
        "notes": len(ids),
        "notes_draft": len(ids) - len(signed),
        "addenda": addenda,
    }


def _addenda(base: Base, ids: list[int], signed: list) -> int:
    """Signed words added to about one signed note in fifty, days after it was signed."""
    rng = base.rng
    texts = _sealed(ADDENDA)
    rows = []
    for index, signed_at, author in signed:
        if rng.random() >= ADDENDUM_SHARE:
            continue
        at = min(signed_at + rng.randint(1, 10) * DAY, base.now - HOUR)
        rows.append(
            {
                "note_id": ids[index],
                "text": rng.choice(texts),
                "signed_by_id": author,
                "signed_at": max(at, signed_at + MINUTE),
            }
        )
    return len(_Copier(Addendum).write(rows))


# --- questionnaires ------------------------------------------------------------------------

ANSWER_VARIANTS = 3
FLAG_SHARE = 0.015  # of PHQ-9 answers: about 1 % of all answers raise an alert
ANSWERED_SHARE = 0.8  # of past prompts; the rest closed unanswered
ANSWERED_EARLY = 0.25  # of the open prompts: already sent
EVERY = 4  # monthly: every 4 weeks, or every 4th session


def _spread(rng, codes: list[str], total: int) -> dict:
    values = dict.fromkeys(codes, 0)
    for _ in range(total):
        values[rng.choice([c for c in codes if values[c] < 3])] += 1
    return values


@dataclass
class AnswerPool:
    """Sent answers of one instrument, encrypted: by total, plain and (PHQ-9) flagged."""

    instrument: Instrument
    plain: dict = field(default_factory=dict)  # total -> [(answers, total, band) tokens]
    flagged: dict = field(default_factory=dict)

    def pick(self, rng, total: int, flag: bool):
        pool = self.flagged if flag and self.flagged else self.plain
        total = min(max(total, min(pool)), max(pool))
        return rng.choice(pool[total]), pool is self.flagged


def _answers_sealed(instrument, items, answers: dict) -> tuple:
    result = score(instrument, items, answers)
    return _seal(json.dumps(answers)), _seal(str(result.total)), _seal(result.band)


def _answer_pool(rng, instrument: Instrument) -> AnswerPool:
    items = list(instrument.items.all())
    codes = [item.code for item in items]
    # Items named by a flag rule stay at 0 in plain answers: any more would raise an alert.
    flag_items = [r["item"] for r in instrument.flag_rules or [] if "item" in r]
    quiet = [c for c in codes if c not in flag_items]
    pool = AnswerPool(instrument)
    for total in range(3 * len(quiet) + 1):
        pool.plain[total] = [
            _answers_sealed(instrument, items, _spread(rng, codes, 0) | _spread(rng, quiet, total))
            for _ in range(ANSWER_VARIANTS)
        ]
    for flag in flag_items:
        for total in range(1, 3 * len(codes) + 1):
            variants = []
            for _ in range(2):
                value = rng.randint(1, min(3, total))
                rest = min(total - value, 3 * len(quiet))
                answers = _spread(rng, codes, 0) | _spread(rng, quiet, rest) | {flag: value}
                variants.append(_answers_sealed(instrument, items, answers))
            pool.flagged[total] = variants
    return pool


@dataclass
class Slot:
    key: str
    session_id: int | None
    opens: datetime.datetime
    closes: datetime.datetime


def _week_slots(base: Base, starts_on: datetime.date) -> list[Slot]:
    """Every 4 weeks from `starts_on`, closing at the end of the period's last local day."""
    tz = zoneinfo.ZoneInfo(ZONE)
    today = base.now.astimezone(tz).date()
    slots, opened = [], starts_on
    while opened <= today:
        last = opened + (7 * EVERY - 1) * DAY
        start = datetime.datetime.combine(opened, datetime.time.min, tz).astimezone(datetime.UTC)
        end = datetime.datetime.combine(last + DAY, datetime.time.min, tz).astimezone(datetime.UTC)
        slots.append(Slot(f"week:{opened.isoformat()}", None, start, end))
        opened += 7 * EVERY * DAY
    return slots


def _session_slots(base: Base, sessions: list) -> list[Slot]:
    """Every 4th session up to the next one, which is a slot (its prompt is open now)."""
    lead = datetime.timedelta(hours=settings.MEASURES_PROMPT_LEAD_HOURS)
    coming = next((i for i, s in enumerate(sessions) if s.starts_at > base.now), len(sessions))
    chosen = sessions[coming % EVERY : coming + 1 : EVERY]
    return [
        Slot(f"session:{s.pk}", s.pk, min(s.starts_at - lead, base.now - HOUR), s.starts_at)
        for s in chosen
    ]


def _schedules(base: Base, instruments: list) -> list[tuple]:
    """A schedule per group: PHQ-9 in two groups of three, GAD-7 in the third; every four
    weeks in half of them, before every fourth session in the other half. (schedule, slots)"""
    tz = zoneinfo.ZoneInfo(ZONE)
    made = []
    for i, group in enumerate(base.groups):
        sessions = base.by_group.get(group.pk, [])
        if not sessions:
            continue
        by_weeks = i % 2 == 0
        slots = (
            _week_slots(base, sessions[0].starts_at.astimezone(tz).date())
            if by_weeks
            else _session_slots(base, sessions)
        )
        schedule = Schedule(
            instrument=instruments[1 if i % 3 == 2 else 0],
            group=group,
            cadence=Cadence.EVERY_N_WEEKS if by_weeks else Cadence.EVERY_NTH_SESSION,
            every=EVERY,
            starts_on=slots[0].opens.astimezone(tz).date(),
            created_by_id=base.lead[group.pk],
            created_at=slots[0].opens - 7 * DAY,
        )
        made.append((schedule, slots))
    _bulk(Schedule, [schedule for schedule, _ in made])
    return made


def _course(rng) -> tuple[float, float]:
    """A member's score at the start and how far it falls over the year."""
    return rng.uniform(3, 20), rng.uniform(-2, 8)


def _prompts_for(base: Base, schedule, slots, courses):
    """(prompt row, answered at or None, progress 0..1) for each member and slot."""
    rng, last = base.rng, len(slots) - 1
    for k, slot in enumerate(slots):
        is_open = slot.closes > base.now
        for enrollment in base.roster.get(schedule.group_id, []):
            if enrollment.member_id not in courses:
                courses[enrollment.member_id] = _course(rng)
            row = {
                "schedule_id": schedule.pk,
                "member_id": enrollment.member_id,
                "slot": slot.key,
                "session_id": slot.session_id,
                "created_at": slot.opens,
                "closes_at": slot.closes,
            }
            answered = None
            if rng.random() < (ANSWERED_EARLY if is_open else ANSWERED_SHARE):
                until = min(slot.closes, base.now) - slot.opens
                answered = slot.opens + rng.uniform(0.05, 0.95) * until
            yield row, answered, k / max(last, 1)


def _response_row(base: Base, pool: AnswerPool, prompt_id, row, answered, progress, course):
    start, fall = course
    total = round(start - fall * progress + base.rng.gauss(0, 1.5))
    (answers, total_token, band), flagged = pool.pick(
        base.rng, total, base.rng.random() < FLAG_SHARE
    )
    response = {
        "member_id": row["member_id"],
        "instrument_id": pool.instrument.pk,
        "prompt_id": prompt_id,
        "status": ResponseStatus.SUBMITTED,
        "answers": answers,
        "total": total_token,
        "band": band,
        "subscale_totals": "",
        "created_at": max(answered - base.rng.randint(2, 15) * MINUTE, row["created_at"]),
        "updated_at": answered,
        "submitted_at": answered,
    }
    return response, flagged


def _measures(base: Base) -> dict:
    instruments = [Instrument.objects.get(slug=slug) for slug in ("phq-9", "gad-7")]
    pools = {i.pk: _answer_pool(base.rng, i) for i in instruments}
    made = _schedules(base, instruments)
    planned: list[tuple] = []
    courses: dict = {}
    for schedule, slots in made:
        for row, answered, progress in _prompts_for(base, schedule, slots, courses):
            planned.append((schedule, row, answered, progress))
    prompt_ids = _Copier(Prompt).write(row for _, row, _, _ in planned)
    responses, groups_of, flagged = [], [], []
    for prompt_id, (schedule, row, answered, progress) in zip(prompt_ids, planned, strict=True):
        if answered is None:
            continue
        pool = pools[schedule.instrument_id]
        response, flag = _response_row(
            base, pool, prompt_id, row, answered, progress, courses[row["member_id"]]
        )
        responses.append(response)
        groups_of.append(schedule.group_id)
        if flag:
            flagged.append((len(responses) - 1, schedule.group_id))
    response_ids = _Copier(Response).write(responses)
    for pk, response, group_id in zip(response_ids, responses, groups_of, strict=True):
        base.responses_of.setdefault((response["member_id"], group_id), []).append(pk)
    base.instrument_of = {schedule.group_id: schedule.instrument_id for schedule, _ in made}
    alerts, still_open = _alerts(base, response_ids, responses, flagged)
    open_prompts = sum(1 for _, row, _, _ in planned if row["closes_at"] > base.now)
    return {
        "schedules": len(made),
        "prompts": len(prompt_ids),
        "prompts_open": open_prompts,
        "responses": len(response_ids),
        "alerts": alerts,
        "alerts_open": still_open,
    }


def _alerts(base: Base, ids: list[int], responses: list[dict], flagged: list) -> tuple[int, int]:
    """Each flagged answer's alert to its group, acknowledged within the hour or two; the last
    few still open (escalated to staff once past the limit, as the periodic task does)."""
    rng = base.rng
    escalate = datetime.timedelta(minutes=settings.MEASURES_ALERT_ESCALATE_MINUTES)
    flagged = sorted(flagged, key=lambda f: responses[f[0]]["submitted_at"])
    still_open = len(flagged) - base.n(8, 2)
    alerts = []
    for n, (index, group_id) in enumerate(flagged):
        at = responses[index]["submitted_at"]
        acknowledged = None if n >= still_open else at + rng.randint(5, 110) * MINUTE
        escalated = at + escalate if not acknowledged and at + escalate < base.now else None
        alerts.append(
            Alert(
                response_id=ids[index],
                member_id=responses[index]["member_id"],
                group_id=group_id,
                created_at=at,
                acknowledged_at=acknowledged,
                acknowledged_by_id=base.lead[group_id] if acknowledged else None,
                escalated_at=escalated,
            )
        )
    _bulk(Alert, alerts)
    return len(alerts), sum(1 for a in alerts if a.acknowledged_at is None)


# --- check-ins and milestones --------------------------------------------------------------

HELPED = [
    "Calling my sponsor on Tuesday.",
    "Going to the gym before work.",
    "Leaving my phone in the kitchen at night.",
    "Talking to my partner instead of going quiet.",
    "The breathing exercise from group.",
    "Walking the dog when it got bad.",
    "",
]
CHECKIN_NOTES = [
    "A hard week, but I got through it.",
    "Better than last week. Sleeping more.",
    "Work stress again. Urges in the evenings.",
    "Good week. Felt close to people.",
    "Argument at home on Sunday; we talked it through after.",
    "",
    "",
]
MILESTONE_NAMES = ["Days free", "Sober days", "Since I started again", "My new start"]
CHECKIN_SHARE = 0.85  # of the weeks, for a member who checks in


def _checkins(base: Base) -> dict:
    """A weekly check-in for a year for every other member (most weeks), and a milestone for
    one in three of them."""
    rng, tz = base.rng, zoneinfo.ZoneInfo(ZONE)
    moods = {str(v): _seal(str(v)) for v in range(1, 6)}
    urges = {str(v): _seal(str(v)) for v in range(5)}
    helped, notes = _sealed(HELPED), _sealed(CHECKIN_NOTES)
    today = base.now.astimezone(tz).date()
    this_week = today - today.weekday() * DAY
    weeks = [this_week - k * 7 * DAY for k in range(52, -1, -1)]
    rows, milestones = [], []
    for i, member in enumerate(base.members):
        if i % 2:
            continue
        mood = rng.randint(2, 4)
        for week in weeks:
            if rng.random() >= CHECKIN_SHARE:
                continue
            at = datetime.datetime.combine(week, datetime.time(20), tz) + rng.randint(0, 6) * DAY
            at = min(at.astimezone(datetime.UTC), base.now)
            mood = min(5, max(1, mood + rng.choice((-1, 0, 0, 1))))
            rows.append(
                {
                    "member_id": member.pk,
                    "week": week,
                    "mood": moods[str(mood)],
                    "urges": urges[str(min(4, max(0, 5 - mood + rng.choice((-1, 0, 1)))))],
                    "helped": rng.choice(helped),
                    "note": rng.choice(notes),
                    "created_at": at,
                    "updated_at": at,
                }
            )
        if i % 6 == 0:
            milestones.append(_milestone(rng, member, today))
    checkins = _Copier(CheckIn).write(rows)
    _Copier(Milestone).write(milestones)
    return {"checkins": len(checkins), "milestones": len(milestones)}


def _milestone(rng, member, today: datetime.date) -> dict:
    since = today - rng.randint(10, 700) * DAY
    return {
        "member_id": member.pk,
        "name": _seal(rng.choice(MILESTONE_NAMES)),
        "since": _seal(since.isoformat()),
    }


# --- referral requests and waiting lists ---------------------------------------------------

NEW, CONTACTED, SCREENED = Status.NEW, Status.CONTACTED, Status.SCREENED
WAITING, OFFERED, JOINED = Status.WAITING, Status.OFFERED, Status.JOINED
PATHS = {
    "new": [NEW],
    "contacted": [NEW, CONTACTED],
    "screened": [NEW, CONTACTED, SCREENED],
    "waiting": [NEW, CONTACTED, SCREENED, WAITING],
    "offered": [NEW, CONTACTED, SCREENED, WAITING, OFFERED],
    "joined": [NEW, CONTACTED, SCREENED, WAITING, OFFERED, JOINED],
    "declined_offer": [NEW, CONTACTED, SCREENED, WAITING, OFFERED, Status.DECLINED],
    "declined": [NEW, CONTACTED, Status.DECLINED],
    "closed": [NEW, Status.CLOSED],
    "closed_contacted": [NEW, CONTACTED, Status.CLOSED],
    "closed_screened": [NEW, CONTACTED, SCREENED, Status.CLOSED],
}
OPEN_MIX = {"new": 30, "contacted": 25, "screened": 15, "waiting": 20, "offered": 10}
CLOSED_MIX = {
    "joined": 35,
    "declined_offer": 10,
    "declined": 10,
    "closed": 15,
    "closed_contacted": 20,
    "closed_screened": 10,
}
# How long an open request has been open, at most (days): new ones are days old.
OPEN_AGE = {"new": 7, "contacted": 30, "screened": 60, "waiting": 120, "offered": 120}
FOR_WHOM = {ForWhom.SELF: 60, ForWhom.PARTNER: 30, ForWhom.COUPLE: 10}
NAMES = [
    "Alex", "Sam", "Jordan", "Chris", "Robin", "Jamie", "Morgan", "Taylor", "Casey", "Drew",
    "Kim", "Lee", "Pat", "Charlie", "Frankie", "Jo", "Max", "Nico", "Ash", "Rowan",
]  # fmt: skip
CONTACT_TIMES = ["Weekday evenings", "Mornings before nine", "Any time", "Lunchtimes only", ""]
REFERRAL_NOTES = [
    "Left a voicemail; they called back the next day.",
    "Prefers email. Works nights.",
    "Wants an online group; lives an hour away.",
    "Spoke for twenty minutes. Suitable for the Tuesday group.",
    "",
    "",
]
PERSONAS = 60
OFFER_SHARE = 0.2  # of those waiting, with a seat offered now


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _personas(rng) -> list[dict]:
    """Encrypted requests as people type them: name, contact, the six answers."""
    people = []
    for i in range(PERSONAS):
        name = f"{NAMES[i % len(NAMES)]} {chr(65 + i % 26)}."
        row = {
            "name": name,
            "email": f"person{i}@mail.example.net",
            "phone": f"+4477009{i:05d}",
            "contact_times": rng.choice(CONTACT_TIMES),
            **{key: rng.choice(texts) for key, texts in SCREENING.items()},
        }
        people.append({"plain_name": name} | {k: _seal(v) for k, v in row.items()})
    return people


def _times(rng, start, end, steps: int) -> list:
    """`steps` moments from `start` to `end`, in order (a request's status changes)."""
    if steps == 1:
        return [start]
    middle = sorted(start + rng.random() * (end - start) for _ in range(steps - 2))
    return [start, *middle, end]


@dataclass
class Request:
    """One request as planned: its path, dates and the people and group it involves."""

    outcome: str
    for_whom: str
    times: list
    persona: dict
    group_id: int | None = None
    taker: int | None = None
    member_id: int | None = None
    intake_id: int | None = None
    pk: int | None = None

    @property
    def path(self) -> list:
        return PATHS[self.outcome]


def _plan_request(base: Base, outcome: str, personas) -> Request:
    rng, now = base.rng, base.now
    for_whom = _weighted(rng, FOR_WHOM)
    listed = {"waiting", "offered", "declined_offer"}
    if for_whom == ForWhom.COUPLE and outcome in listed:
        # A couple waits as a linked pair; these two-person accounts are left out here.
        outcome = "screened" if outcome in ("waiting", "offered") else "closed_screened"
    steps = len(PATHS[outcome])
    if outcome == "offered":
        start = now - rng.uniform(3, OPEN_AGE[outcome]) * DAY
        end = now - rng.uniform(1, 60) * HOUR  # within the offer's days: still open
    elif outcome in OPEN_MIX:
        start = now - rng.uniform(0.1, OPEN_AGE[outcome]) * DAY
        end = start + rng.uniform(0.3, 1) * (now - HOUR - start)
    else:
        start = now - rng.uniform(30, 365) * DAY
        end = min(start + rng.uniform(7, 90) * DAY, now - DAY)
    request = Request(outcome, for_whom, _times(rng, start, end, steps), rng.choice(personas))
    if steps > 1:
        request.group_id = rng.choice(base.of_kind[KIND_FOR[for_whom]])
        request.taker = rng.choice([base.staff.pk, base.lead[request.group_id]])
    return request


def _applicants(base: Base, requests: list[Request]) -> int:
    """Accounts made when a screening was recorded from a request (referral_record_intake):
    no password yet, no group; their screening names no group and is recorded by staff."""
    rng = base.rng
    unusable = make_password(None)
    new = [r for r in requests if SCREENED in r.path and r.outcome != "joined"]
    people = _bulk(
        User,
        [
            User(
                email=f"applicant{i}@{EMAIL_DOMAIN}",
                display_name=r.persona["plain_name"],
                role=Role.MEMBER,
                password=unusable,
                time_zone=ZONE,
            )
            for i, r in enumerate(new)
        ],
    )
    pools = {kind: _screening_pool(rng, kind) for kind in GroupKind.values}
    intakes = []
    for request, person in zip(new, people, strict=True):
        request.member_id = person.pk
        screened = request.times[request.path.index(SCREENED)]
        intakes.append(
            rng.choice(pools[KIND_FOR[ForWhom(request.for_whom)]])
            | {
                "member_id": person.pk,
                "recorded_by_id": base.staff.pk,
                "created_at": screened,
                "updated_at": screened,
            }
        )
    for request, pk in zip(new, _Copier(Intake).write(intakes), strict=True):
        request.intake_id = pk
    _joined(base, [r for r in requests if r.outcome == "joined"])
    return len(people)


def _joined(base: Base, requests: list[Request]) -> None:
    """Those who joined are the group's members (each once while there are enough), with the
    screening of their enrolment."""
    left: dict = {}
    for request in requests:
        if not left.get(request.group_id):
            roster = base.roster[request.group_id]
            left[request.group_id] = base.rng.sample(roster, k=len(roster))
        enrollment = left[request.group_id].pop()
        request.member_id = enrollment.member_id
        request.intake_id = base.intake_of.get((enrollment.member_id, request.group_id))


def _actor(request: Request, status: str) -> int | None:
    """Who moved the request: nobody for the form and the offers, else its taker."""
    if status in (NEW, OFFERED, JOINED) or (status == Status.DECLINED and OFFERED in request.path):
        return None
    return request.taker


def _write_requests(base: Base, requests: list[Request]) -> int:
    rng = base.rng
    kinds = {value: _seal(value) for value in ForWhom.values}
    notes = _sealed(REFERRAL_NOTES)
    rows = []
    for r in requests:
        persona = {k: v for k, v in r.persona.items() if k != "plain_name"}
        rows.append(
            persona
            | {
                "created_at": r.times[0],
                "message_ok": rng.random() < 0.7,
                "voicemail_ok": rng.random() < 0.4,
                "for_whom": kinds[r.for_whom],
                "consent_contact": True,
                "time_zone": ZONE,
                "format": rng.choice(["", MeetingFormat.IN_PERSON, MeetingFormat.ONLINE]),
                "language": "en",
                "status": r.path[-1],
                "status_changed_at": r.times[-1],
                "taken_by_id": r.taker,
                "group_id": r.group_id,
                "member_id": r.member_id,
                "intake_id": r.intake_id,
                "notes": rng.choice(notes) if r.taker else "",
            }
        )
    for request, pk in zip(requests, _Copier(Referral).write(rows), strict=True):
        request.pk = pk
    events = _Copier(ReferralEvent).write(
        {"referral_id": r.pk, "status": status, "at": at, "actor_id": _actor(r, status)}
        for r in requests
        for status, at in zip(r.path, r.times, strict=True)
    )
    return len(events)


def _entries_from_requests(base: Base, requests: list[Request]) -> list[tuple]:
    """The waiting-list places the requests went through: (entry, offer or None)."""
    offer_days = datetime.timedelta(days=settings.SEAT_OFFER_DAYS)
    made = []
    for r in requests:
        if WAITING not in r.path:
            continue
        at = dict(zip(r.path, r.times, strict=True))
        assert r.group_id is not None and r.member_id is not None  # a waiting path has both
        entry = WaitingListEntry(
            group_id=r.group_id,
            member_id=r.member_id,
            seats=2 if base.kind[r.group_id] == GroupKind.COUPLES else 1,
            referral_id=r.pk,
            added_by_id=base.lead[r.group_id],
            joined_at=at[WAITING],
            status=EntryStatus.WAITING,
            status_changed_at=at[WAITING],
        )
        offer = None
        if OFFERED in at:
            offer = SeatOffer(
                group_id=r.group_id, created_at=at[OFFERED], expires_at=at[OFFERED] + offer_days
            )
            entry.status, entry.status_changed_at = EntryStatus.OFFERED, at[OFFERED]
            ended = r.path[-1]
            if ended != OFFERED:
                outcome = _ended_offer(base.rng, ended)
                entry.status, entry.status_changed_at = outcome[0], at[ended]
                offer.status, offer.answered_at = outcome[1], at[ended]
        made.append((entry, offer))
    return made


def _ended_offer(rng, ended: str) -> tuple[str, str]:
    if ended == JOINED:
        return EntryStatus.JOINED, OfferStatus.ACCEPTED
    return EntryStatus.PASSED, rng.choice([OfferStatus.DECLINED, OfferStatus.EXPIRED])


def _hopefuls(base: Base) -> dict:
    """Who might wait for another group of a kind: for a couples group, couples (by their
    first partner); for the others, members of another group of that kind. kind -> [(group
    id, member id)]"""
    firsts = set(Couple.objects.filter(ended_at=None).values_list("first_id", flat=True))
    found: dict = {}
    for group in base.groups:
        couples = group.kind == GroupKind.COUPLES
        found.setdefault(group.kind, []).extend(
            (group.pk, e.member_id)
            for e in base.roster.get(group.pk, [])
            if (e.member_id in firsts) == couples
        )
    return found


def _more_waiting(base: Base, taken: set) -> list[tuple]:
    """People waiting without a request of this year: members of other groups hoping for this
    one too (a couple, by one partner, for a couples group); a few offered a seat now."""
    rng = base.rng
    hopefuls = _hopefuls(base)
    made = []
    for i, group in enumerate(base.groups):
        if i % 5 == 4:  # most groups have a list, not all
            continue
        wanted = rng.randint(1, 4)
        inside = {e.member_id for e in base.roster.get(group.pk, [])}
        candidates = hopefuls.get(group.kind, [])
        for _group_id, member_id in rng.sample(candidates, min(len(candidates), 3 * wanted)):
            if not wanted or member_id in inside or (group.pk, member_id) in taken:
                continue
            taken.add((group.pk, member_id))
            made.append(_waiting(base, group, member_id))
            wanted -= 1
    return made


def _waiting(base: Base, group, member_id: int) -> tuple:
    rng, now = base.rng, base.now
    offer_days = datetime.timedelta(days=settings.SEAT_OFFER_DAYS)
    joined = now - rng.uniform(1, 90) * DAY
    entry = WaitingListEntry(
        group_id=group.pk,
        member_id=member_id,
        seats=2 if group.kind == GroupKind.COUPLES else 1,
        added_by_id=base.lead[group.pk],
        joined_at=joined,
        status=EntryStatus.WAITING,
        status_changed_at=joined,
    )
    offer = None
    if rng.random() < OFFER_SHARE:
        offered = max(joined, now - rng.uniform(1, 60) * HOUR)
        offer = SeatOffer(group_id=group.pk, created_at=offered, expires_at=offered + offer_days)
        entry.status, entry.status_changed_at = EntryStatus.OFFERED, offered
    return entry, offer


def _referrals(base: Base) -> dict:
    rng = base.rng
    personas = _personas(rng)
    total, still_open = base.n(2500, 10), base.n(150, 5)
    outcomes = [_weighted(rng, OPEN_MIX) for _ in range(still_open)]
    outcomes += [_weighted(rng, CLOSED_MIX) for _ in range(total - still_open)]
    requests = [_plan_request(base, outcome, personas) for outcome in outcomes]
    requests.sort(key=lambda r: r.times[0])
    applicants = _applicants(base, requests)
    events = _write_requests(base, requests)
    base.referrals = [(r.pk, r.member_id, r.path[-1]) for r in requests]
    listed = _entries_from_requests(base, requests)
    listed_now = (EntryStatus.WAITING, EntryStatus.OFFERED)
    taken = {(e.group_id, e.member_id) for e, _ in listed if e.status in listed_now}
    listed += _more_waiting(base, taken)
    entries = _bulk(WaitingListEntry, [entry for entry, _ in listed])
    offers = [offer for _, offer in listed if offer is not None]
    for entry, offer in listed:
        if offer is not None:
            offer.entry_id = entry.pk
    _bulk(SeatOffer, offers)
    return {
        "referrals": len(requests),
        "referrals_open": sum(1 for r in requests if r.path[-1] in OPEN_STATUSES),
        "referral_events": events,
        "applicants": applicants,
        "waiting_entries": len(entries),
        "waiting_now": sum(1 for e in entries if e.status in listed_now),
        "seat_offers": len(offers),
    }


# --- the audit trail -----------------------------------------------------------------------

AUDIT_ROWS = 1_000_000
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.0 Safari",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
]


@dataclass(frozen=True)
class Anchor:
    """What an event is about: one attendance mark of a recent session, and who acts."""

    session_id: int
    member_id: int
    group_id: int
    mark_index: int
    actor: int


# Each event as its view or service records it: (subject, target, target id, detail).
def _of_member(base, a):
    return a.member_id, "members.user", a.member_id, {}


def _of_session(base, a):
    return None, "scheduling.session", a.session_id, {}


def _of_group(base, a):
    return None, "groups.group", a.group_id, {}


def _member_in_group(base, a):
    return a.member_id, "groups.group", a.group_id, {}


def _mark(base, a):
    mark = base.marks[a.mark_index]["mark"]
    detail = {"session": a.session_id, "mark": mark, "previous": None}
    return a.member_id, "attendance.attendance", base.mark_ids[a.mark_index], detail


def _note(base, a, detail=None):
    own = base.note_of.get((a.session_id, a.member_id))
    if own is None:  # absent that night: the group note
        return None, "notes.note", base.note_of.get((a.session_id, None)), detail or {}
    return a.member_id, "notes.note", own, detail or {}


def _note_change(base, a):
    if base.rng.random() < 0.5:
        return _note(base, a, {"op": "start", "kind": NoteKind.PROGRESS, "session": a.session_id})
    return _note(base, a, {"op": "edit", "merged": 0})


def _note_sign(base, a):
    return _note(base, a, {"cosign_required": False})


def _response(base, a):
    mine = base.responses_of.get((a.member_id, a.group_id))
    if not mine:
        return _of_member(base, a)
    return a.member_id, "measures.response", base.rng.choice(mine), {}


def _submit(base, a):
    mine = base.responses_of.get((a.member_id, a.group_id))
    if not mine:
        return a.member_id, "members.user", a.member_id, {}
    detail = {"change": "submit", "instrument": base.instrument_of[a.group_id]}
    return a.member_id, "measures.response", base.rng.choice(mine), detail


def _intake(base, a):
    return a.member_id, "members.intake", base.intake_of.get((a.member_id, a.group_id)), {}


def _referral(base, a):
    pk, member_id, status = base.rng.choice(base.referrals)
    return member_id, "referrals.referral", pk, {}


def _referral_change(base, a):
    pk, member_id, status = base.rng.choice(base.referrals)
    detail = {"change": "updated", "status": status, "changed": ["notes"]}
    return member_id, "referrals.referral", pk, detail


def _audit_view(base, a):
    filters = dict.fromkeys(("actor", "action", "outcome", "since", "until"))
    return a.member_id, "", "", {"person": a.member_id, **filters}


def _disclosures(base, a):
    return a.member_id, "members.user", a.member_id, {"since": None, "until": None}


def _login(base, a):
    return a.actor, "members.user", "", {}


EVENTS = {
    "attendance.roll_read": ("attendance.roll_read", _of_session),
    "attendance.mark": ("attendance.mark", _mark),
    "attendance.group_read": ("attendance.group_read", _of_group),
    "attendance.read": ("attendance.read", _member_in_group),
    "notes.read:session": ("notes.read", _of_session),
    "notes.read": ("notes.read", _note),
    "notes.change": ("notes.change", _note_change),
    "notes.sign": ("notes.sign", _note_sign),
    "notes.timeline": ("notes.timeline", _of_member),
    "measure.read:group": ("measure.read", _of_group),
    "measure.read": ("measure.read", _of_member),
    "measure.read:response": ("measure.read", _response),
    "measure.change": ("measure.change", _submit),
    "intake.read": ("intake.read", _intake),
    "intake.list": ("intake.list", _of_member),
    "waitlist.read": ("waitlist.read", _of_group),
    "referral.read": ("referral.read", _referral),
    "referral.change": ("referral.change", _referral_change),
    "audit.view": ("audit.view", _audit_view),
    "audit.disclosures": ("audit.disclosures", _disclosures),
    "auth.login": ("auth.login", _login),
}


class Weighted:
    """rng.choices with its weights summed once (it is called a million times)."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng):
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


# What a day leaves in the trail, by weight: mostly facilitators at work on their groups.
FACILITATOR_DOES = Weighted(
    {
        "attendance.roll_read": 10,
        "attendance.mark": 12,
        "attendance.group_read": 3,
        "attendance.read": 3,
        "notes.read:session": 8,
        "notes.read": 10,
        "notes.change": 10,
        "notes.sign": 6,
        "notes.timeline": 8,
        "measure.read:group": 3,
        "measure.read": 5,
        "measure.read:response": 3,
        "intake.read": 3,
        "intake.list": 2,
        "waitlist.read": 1,
        "auth.login": 3,
    }
)
STAFF_DOES = Weighted(
    {
        "notes.timeline": 4,
        "intake.read": 3,
        "intake.list": 3,
        "measure.read": 2,
        "attendance.read": 2,
        "referral.read": 3,
        "referral.change": 2,
        "audit.view": 1,
        "audit.disclosures": 1,
        "auth.login": 2,
    }
)
MEMBER_DOES = Weighted({"auth.login": 3, "measure.change": 1})
WHO = Weighted({Role.FACILITATOR: 80, Role.STAFF: 12, Role.MEMBER: 8})


def _actor_of(base: Base, role: str, session, member_id: int) -> tuple[int, Weighted]:
    if role == Role.FACILITATOR:
        return base.lead[session.group_id], FACILITATOR_DOES
    if role == Role.STAFF:
        return base.staff.pk, STAFF_DOES
    return member_id, MEMBER_DOES


def _day_events(base: Base, day: datetime.datetime, recent: list, count: int):
    """`count` events of one day, in time order, about the sessions of the week before."""
    rng = base.rng
    offsets = sorted(rng.uniform(7 * 3600, 22 * 3600) for _ in range(count))
    sessions = rng.choices(recent, k=count)
    roles = rng.choices(WHO.items, cum_weights=WHO.cumulative, k=count)
    for offset, session, role in zip(offsets, sessions, roles, strict=True):
        index = rng.choice(base.marks_of[session.pk])
        member_id = base.marks[index]["member_id"]
        actor, does = _actor_of(base, role, session, member_id)
        anchor = Anchor(session.pk, member_id, session.group_id, index, actor)
        action, about = EVENTS[does.pick(rng)]
        subject, target, target_id, detail = about(base, anchor)
        ip, agent = base.device(actor)
        yield {
            "at": day + datetime.timedelta(seconds=offset),
            "actor_id": actor,
            "actor_role": role,
            "subject_id": subject,
            "action": action,
            "target": target,
            "target_id": "" if target_id is None else str(target_id),
            "ip": ip,
            "user_agent": agent,
            "detail": json.dumps(detail) if detail else "{}",
        }


def _weeks_before(base: Base):
    """(day, sessions held in the week before it) for each day of the past year."""
    held = sorted(
        (s for s in base.sessions if s.starts_at < base.now and base.marks_of.get(s.pk)),
        key=lambda s: s.starts_at,
    )
    start = (base.now - 365 * DAY).replace(hour=0, minute=0)
    first = last = 0
    for d in range(366):
        day = start + d * DAY
        while last < len(held) and held[last].starts_at < day:
            last += 1
        while first < last and held[first].starts_at < day - 7 * DAY:
            first += 1
        if first < last:
            yield day, held[first:last]


def _audit(base: Base) -> dict:
    """A year of the trail, day by day, in time order as the app appends it."""
    rng, total = base.rng, base.n(AUDIT_ROWS, 1000)

    def rows():
        for day, recent in _weeks_before(base):
            count = round(total / 365 * rng.uniform(0.8, 1.2))
            for row in _day_events(base, day, recent, count):
                if row["at"] < base.now:
                    yield row

    return {"audit_events": len(_Copier(AuditEvent).write(rows()))}
