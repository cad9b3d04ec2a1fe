"""Writes for groups and enrolment. Business rules live here, not in views or forms.

Each service raises ValidationError with a message fit to show, and saves nothing then.
A person's couple and whom an actor may see are members' answers, asked through members.api;
a roster change tells notifications through notifications.api (both by id).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import api as audit
from groups.models import (
    ACTIVE_STATUSES,
    VISIBLE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Enrolment,
    Group,
    GroupFormat,
    GroupKind,
    GroupLabel,
)
from groups.permissions import can_facilitate
from groups.selectors import belongs, current_stint, enrolled_count, stints
from groups.signals import seat_freed
from members import api as members_api
from notifications import api as notifications_api

HALF_A_COUPLE = gettext_lazy(
    "In a couples group both partners join together. Link this person with their partner "
    "on the Couples page first, then add them."
)

GROUP_FIELDS = (
    "name",
    "kind",
    "description",
    "time_zone",
    "language",
    "format",
    "address",
    "video_url",
    "capacity",
    "enrolment",
    "starts_on",
    "ends_on",
    "roster_visible",
    "reminder_offsets",
    "absence_follow_up_after",
)


# --- groups ------------------------------------------------------------------------------


def group_validate(group: Group) -> None:
    """Rules across fields; the form checks each field alone, this checks them together."""
    errors: dict[str, list[str]] = {}
    if group.format in (GroupFormat.IN_PERSON, GroupFormat.HYBRID) and not group.address.strip():
        errors.setdefault("address", []).append(_("An in-person group needs an address."))
    if group.format in (GroupFormat.ONLINE, GroupFormat.HYBRID) and not group.video_url:
        errors.setdefault("video_url", []).append(_("An online group needs a video link."))
    if group.video_url and not group.video_url.lower().startswith("https://"):
        errors.setdefault("video_url", []).append(
            _("The video link must start with https:// so the call is encrypted.")
        )
    if group.starts_on and group.ends_on and group.ends_on <= group.starts_on:
        errors.setdefault("ends_on", []).append(_("The end date must be after the start date."))
    if group.pk and group.capacity is not None:
        active = enrolled_count(group)
        if group.capacity < active:
            errors.setdefault("capacity", []).append(
                ngettext(
                    "%(count)s person is enrolled now; the capacity cannot be lower than that.",
                    "%(count)s people are enrolled now; the capacity cannot be lower than that.",
                    active,
                )
                % {"count": active}
            )
    if group.capacity == 0:
        errors.setdefault("capacity", []).append(_("Capacity must be at least 1, or left empty."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(*, actor, facilitators=(), **fields) -> Group:
    if not (actor.is_clinic_staff or actor.is_facilitator):
        raise ValidationError(_("Only facilitators and staff can create groups."))
    group = Group(**{key: value for key, value in fields.items() if key in GROUP_FIELDS})
    group.full_clean(exclude=["facilitators"])
    group_validate(group)
    facilitators = list(facilitators)
    if actor.is_facilitator and actor not in facilitators:
        facilitators.append(actor)  # whoever creates a group runs it
    _check_facilitators(facilitators)
    group.save()
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def group_update(*, group: Group, actor, facilitators=None, **fields) -> Group:
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    group = Group.objects.select_for_update().get(pk=group.pk)
    old_capacity = group.capacity
    new_kind = fields.get("kind", group.kind)
    if new_kind != group.kind and stints(group=group, statuses=VISIBLE_STATUSES).exists():
        # Members joined a group of one kind; moving them into another is a new group.
        raise ValidationError(
            {"kind": [_("People are already in this group, so its kind cannot change.")]}
        )
    for key, value in fields.items():
        if key in GROUP_FIELDS:
            setattr(group, key, value)
    group.full_clean(exclude=["facilitators"])
    group_validate(group)
    if facilitators is not None:
        _check_facilitators(list(facilitators))
    group.save()
    if facilitators is not None:
        group.facilitators.set(facilitators)
    if old_capacity is not None and (group.capacity is None or group.capacity > old_capacity):
        _seat_freed_after_commit(group.pk)
    return group


def _seat_freed_after_commit(group_id: int) -> None:
    """Tell whoever listens (a waiting list) once the change is committed."""
    transaction.on_commit(lambda: seat_freed.send(sender=Group, group_id=group_id), robust=True)


def _check_facilitators(facilitators) -> None:
    if not facilitators:
        raise ValidationError({"facilitators": [_("A group needs at least one facilitator.")]})
    if any(not person.is_facilitator for person in facilitators):
        raise ValidationError({"facilitators": [_("Only facilitators can run a group.")]})


@transaction.atomic
def group_archive(*, group: Group, actor) -> Group:
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    if group.archived_at is None:
        group.archived_at = timezone.now()
        group.save(update_fields=["archived_at"])
    return group


@transaction.atomic
def group_restore(*, group: Group, actor) -> Group:
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    if group.archived_at is not None:
        group.archived_at = None
        group.save(update_fields=["archived_at"])
    return group


# --- enrolment ---------------------------------------------------------------------------


def _activate(*, group, member_id: int, couple_id: int | None = None, joined_on=None) -> Enrollment:
    """Make the member active in `group`, reusing their current stint or starting a new one."""
    current = current_stint(group, member_id)
    today = joined_on or timezone.localdate()
    if current is None:
        return Enrollment.objects.create(
            group=group,
            member_id=member_id,
            status=EnrollmentStatus.ACTIVE,
            joined_on=today,
            couple_id=couple_id,
        )
    current.status = EnrollmentStatus.ACTIVE
    current.joined_on = current.joined_on or today
    current.couple_id = couple_id or current.couple_id
    current.save(update_fields=["status", "joined_on", "couple"])
    return current


@transaction.atomic
def enrollment_add(*, group, member, actor, joined_on=None) -> Enrollment:
    """Enrol a member actively in a group; an existing current stint is reused.

    In a couples group a member whose partner is linked joins together with them; one with no
    linked partner is held as invited (they see the group, not its address) until the couple
    is added from the roster. Used by invitation acceptance and by `roster_add`.
    `joined_on`: a new stint's first day when it began before today (records brought over
    from before Circle, and the demo's history); today otherwise.
    """
    if group.kind == GroupKind.COUPLES:
        couple = members_api.current_couple(member.pk)
        if couple is None:
            current = current_stint(group, member)
            if current is not None:
                return current
            invited = Enrollment.objects.create(
                group=group,
                member=member,
                status=EnrollmentStatus.INVITED,
                invited_at=timezone.now(),
            )
            _audit_enrolment("enrolment.add", invited, actor)
            return invited
        enrollment = _activate(
            group=group, member_id=member.pk, couple_id=couple.id, joined_on=joined_on
        )
        partner = _activate(
            group=group,
            member_id=couple.partner_of(member.pk),
            couple_id=couple.id,
            joined_on=joined_on,
        )
        _audit_enrolment("enrolment.add", partner, actor)
    else:
        enrollment = _activate(group=group, member_id=member.pk, joined_on=joined_on)
    _audit_enrolment("enrolment.add", enrollment, actor)
    # Joining, pausing or leaving changes who is reminded of the group's upcoming sessions.
    notifications_api.group_roster_changed(group.pk)
    return enrollment


def _audit_enrolment(action: str, stint: Enrollment, actor, change: str = "") -> None:
    audit.record(
        action,
        actor=actor,
        subject=stint.member_id,
        target="groups.enrollment",
        target_id=stint.pk,
        detail={"group": stint.group_id, "status": stint.status, "change": change or None},
    )


def _seats_needed(group, people) -> int:
    already = stints(group=group, members=people, statuses=ACTIVE_STATUSES).count()
    return len(people) - already


def _check_capacity(group, people) -> None:
    """`people`: the members (or their ids) who would take a seat."""
    if group.capacity is None:
        return
    if enrolled_count(group) + _seats_needed(group, people) > group.capacity:
        raise ValidationError(
            _("The group is full. Raise its capacity or ask someone to leave first.")
            if len(people) == 1
            else _("There is no room for both partners. Raise the group's capacity first.")
        )


@transaction.atomic
def roster_add(*, group, member, actor) -> Enrollment:
    """A facilitator adds an existing member (in a couples group: the member and partner)."""
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    if group.is_archived:
        raise ValidationError(_("This group is archived; nobody can join it."))
    if not members_api.member_visible_to(actor.pk, member.pk):
        raise ValidationError(_("Choose someone from the list."))
    people = [member.pk]
    if group.kind == GroupKind.COUPLES:
        couple = members_api.current_couple(member.pk)
        if couple is None:
            raise ValidationError(HALF_A_COUPLE)
        if not members_api.couple_visible_to(actor.pk, couple.id):
            # Adding one partner brings the other in: both must be people the actor may see.
            raise ValidationError(
                _(
                    "Their partner is not in any group you run, so you cannot add them "
                    "together. Clinic staff can."
                )
            )
        people = list(couple.member_ids)
    _check_open_to(group, people)
    _check_capacity(group, people)
    return enrollment_add(group=group, member=member, actor=actor)


def _check_open_to(group, member_ids) -> None:
    """A closed group is a fixed cohort: people who were in it may come back, nobody new joins."""
    if group.enrolment != Enrolment.CLOSED:
        return
    known = set(stints(group=group, members=member_ids).values_list("member_id", flat=True))
    if set(member_ids) - known:
        raise ValidationError(
            _(
                "This group is closed to new members (a fixed cohort). To add someone, "
                "choose “Open” under Enrolment in Edit group first."
            )
        )


ACTIONS = {
    "pause": ((EnrollmentStatus.ACTIVE,), EnrollmentStatus.PAUSED),
    "resume": ((EnrollmentStatus.PAUSED, EnrollmentStatus.INVITED), EnrollmentStatus.ACTIVE),
    "leave": (
        (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED, EnrollmentStatus.INVITED),
        EnrollmentStatus.LEFT,
    ),
}
# One sentence per action, so each language words it whole.
CANNOT = {
    "pause": gettext_lazy("%(name)s is %(status)s; they cannot pause now."),
    "resume": gettext_lazy("%(name)s is %(status)s; they cannot resume now."),
    "leave": gettext_lazy("%(name)s is %(status)s; they cannot leave now."),
}


@transaction.atomic
def enrollment_change(*, enrollment: Enrollment, action: str, actor) -> list[Enrollment]:
    """Pause, resume or end one stint. In a couples group the partners move together.

    A member who leaves and later returns starts a new stint; the old one keeps its dates.
    """
    if action not in ACTIONS:
        raise ValidationError(_("Choose pause, resume or leave."))
    group = enrollment.group
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    allowed_from, new_status = ACTIONS[action]
    if enrollment.status not in allowed_from:
        raise ValidationError(
            CANNOT[action]
            % {
                "name": enrollment.member.display_name,
                "status": enrollment.get_status_display().lower(),
            }
        )
    changing = [enrollment]
    if group.kind == GroupKind.COUPLES:
        couple = members_api.current_couple(enrollment.member_id)
        if couple is None and new_status != EnrollmentStatus.LEFT:
            raise ValidationError(HALF_A_COUPLE)
        if couple is not None:
            partner_stint = current_stint(group, couple.partner_of(enrollment.member_id))
            if partner_stint is None and new_status == EnrollmentStatus.ACTIVE:
                return [roster_add(group=group, member=enrollment.member, actor=actor)]
            if partner_stint is not None:
                changing.append(partner_stint)
    if new_status == EnrollmentStatus.ACTIVE:
        _check_capacity(group, [stint.member_id for stint in changing])
    today = timezone.localdate()
    for stint in changing:
        stint.status = new_status
        if new_status == EnrollmentStatus.LEFT:
            stint.left_on = today
        elif new_status == EnrollmentStatus.ACTIVE:
            stint.joined_on = stint.joined_on or today
        stint.save(update_fields=["status", "left_on", "joined_on"])
        _audit_enrolment("enrolment.change", stint, actor, action)
    # Joining, pausing or leaving changes who is reminded of the group's upcoming sessions.
    notifications_api.group_roster_changed(group.pk)
    if new_status != EnrollmentStatus.ACTIVE:
        _seat_freed_after_commit(group.pk)
    return changing


# --- a member's own labels ------------------------------------------------------------------

LABEL_MAX = 60
# Control, invisible-format, unassigned and private characters, and line breaks. Joiners
# inside emoji sequences ("family" emoji) are format characters too, and harmless.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_JOINERS = {"\u200c", "\u200d"}


def clean_label(text: str) -> str:
    """The label as stored: trimmed, 1 to LABEL_MAX characters, nothing invisible or
    control-like (a newline would break an email subject or a calendar line)."""
    label = (text or "").strip()
    if not label:
        raise ValidationError({"label": [_("Type a name, or use the group's own name instead.")]})
    if len(label) > LABEL_MAX:
        raise ValidationError(
            {"label": [_("Keep it to %(max)s characters or fewer.") % {"max": LABEL_MAX}]}
        )
    if any(
        unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _JOINERS for char in label
    ):
        raise ValidationError({"label": [_("Keep it to one line of ordinary characters.")]})
    return label


def _check_own_group(member, group) -> None:
    # Facilitators and staff always see the real name: a label is a member's own.
    if can_facilitate(member, group) or not belongs(member, group, VISIBLE_STATUSES):
        raise ValidationError(_("You can only name the groups you are in."))


@transaction.atomic
def group_label_set(*, member, group, label: str) -> GroupLabel:
    """Give one of the member's groups their own name, seen only by them."""
    _check_own_group(member, group)
    label = clean_label(label)
    row, _created = GroupLabel.objects.update_or_create(
        member=member, group=group, defaults={"label": label, "updated_at": timezone.now()}
    )
    return row


@transaction.atomic
def group_label_clear(*, member, group) -> bool:
    """Back to the group's own name. True if there was a label to remove."""
    _check_own_group(member, group)
    deleted, _by_model = GroupLabel.objects.filter(member=member, group=group).delete()
    return bool(deleted)


# --- erasure (privacy) ---------------------------------------------------------------------


@transaction.atomic
def forget_member(member_id: int) -> int:
    """Take an erased person off every roster: their stints go (attendance marks keep their
    session, so headcounts stay right; follow-ups about them go with the stints). Returns how
    many stints were removed. Running it again removes nothing. Their own group labels go too."""
    GroupLabel.objects.filter(member_id=member_id).delete()
    rows = stints(member=member_id)
    group_ids = set(rows.filter(status__in=ACTIVE_STATUSES).values_list("group_id", flat=True))
    _count, by_model = rows.delete()
    # Their seat is free again and they are no longer reminded.
    for group_id in sorted(group_ids):
        notifications_api.group_roster_changed(group_id)
        _seat_freed_after_commit(group_id)
    return by_model.get("groups.Enrollment", 0)
