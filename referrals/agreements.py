"""The group agreement: versions per group, per kind or for the clinic; acceptance by a
member before their first session and again when the text changes materially.

Which version a group's members must have accepted: the newest *material* version in the
nearest scope that has any version (the group's own, else its kind's, else the clinic's).
A wording fix (material=False) is shown to newcomers but asks nobody again.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from audit import api as audit
from groups.models import ENROLLED_STATUSES, VISIBLE_STATUSES, Group, GroupKind
from groups.permissions import can_facilitate
from groups.selectors import belongs, members_in
from referrals.models import AgreementAcceptance, AgreementVersion


def _scope_versions(group: Group):
    """The versions of the nearest scope that has one, newest first. Which scopes have any
    is one query (it was one per scope, on every session page a member opens)."""
    scopes = (
        Q(group=group),
        Q(group__isnull=True, kind=group.kind),
        Q(group__isnull=True, kind=""),
    )
    present = set(
        AgreementVersion.objects.filter(
            Q(group=group) | Q(group__isnull=True, kind__in=[group.kind, ""])
        )
        .values_list("group_id", "kind")
        .distinct()
    )
    for scope, found in zip(
        scopes,
        (
            any(group_id == group.pk for group_id, _kind in present),
            (None, group.kind) in present,
            (None, "") in present,
        ),
        strict=True,
    ):
        if found:
            return AgreementVersion.objects.filter(scope).order_by("-number", "-pk")
    return AgreementVersion.objects.none()


def current_version(group: Group) -> AgreementVersion | None:
    """The text a newcomer reads: the newest version of the nearest scope."""
    return _scope_versions(group).first()


def required_version(group: Group) -> AgreementVersion | None:
    """The newest material version: the one a member must have accepted."""
    return _scope_versions(group).filter(material=True).first()


def has_accepted(member, group: Group) -> bool:
    required = required_version(group)
    if required is None:
        return True
    return AgreementAcceptance.objects.filter(
        member=member,
        group=group,
        version__number__gte=required.number,
        version__in=_scope_versions(group),
    ).exists()


def needs_acceptance(member, group_id: int, group: Group | None = None) -> Group | None:
    """The group whose agreement `member` must accept before its sessions, else None. Only
    for members of the group (others meet the session page's own 404). `group`: the group
    itself, if the caller has it already."""
    if not getattr(member, "is_authenticated", False) or not member.is_member:
        return None
    if not belongs(member, group_id, VISIBLE_STATUSES):
        return None
    group = group or Group.objects.filter(pk=group_id).first()
    if group is None or has_accepted(member, group):
        return None
    return group


def plausible_name(typed_name: str) -> bool:
    """A name someone could sign with: at least two letters, not one letter repeated ("zz").
    Any script counts. Nothing stricter, and no comparison with the account's name (many use
    a chosen name here): nobody should be turned away for the shape of their own name."""
    letters = [char.casefold() for char in typed_name if char.isalpha()]
    return len(letters) >= 2 and len(set(letters)) >= 2


@transaction.atomic
def agreement_accept(*, member, group: Group, typed_name: str) -> AgreementAcceptance:
    """The member accepts the current text: their typed full name, the date and the text as
    they read it are kept."""
    if not belongs(member, group, VISIBLE_STATUSES):
        raise ValidationError(_("You are not in this group."))
    version = current_version(group)
    if version is None:
        raise ValidationError(_("There is nothing to accept yet."))
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise ValidationError({"typed_name": [_("Type your full name to accept.")]})
    if not plausible_name(typed_name):
        message = _(
            "Please type your name as you would sign it: at least two letters, not the same "
            "letter repeated."
        )
        raise ValidationError({"typed_name": [message]})
    try:
        with transaction.atomic():
            acceptance = AgreementAcceptance.objects.create(
                version=version,
                group=group,
                member=member,
                typed_name=typed_name,
                text=version.text,
            )
    except IntegrityError:
        return AgreementAcceptance.objects.get(version=version, group=group, member=member)
    audit.record(
        "agreement.accept",
        actor=member,
        subject=member.pk,
        target="referrals.agreementacceptance",
        target_id=acceptance.pk,
        detail={"group": group.pk, "version": version.number},
    )
    return acceptance


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) < 20:
        raise ValidationError({"text": [_("Write the agreement (at least a sentence or two).")]})
    return text


def _audit_publish(version: AgreementVersion, actor) -> None:
    audit.record(
        "agreement.publish",
        actor=actor,
        target="referrals.agreementversion",
        target_id=version.pk,
        detail={
            "group": version.group_id,
            "kind": version.kind or None,
            "version": version.number,
            "material": version.material,
        },
    )


@transaction.atomic
def agreement_publish(*, group: Group, actor, text: str, material: bool = True) -> AgreementVersion:
    """A facilitator publishes a new version of their group's agreement."""
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    text = _check_text(text)
    Group.objects.select_for_update().get(pk=group.pk)  # numbers stay unique per group
    latest = AgreementVersion.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0
    version = AgreementVersion.objects.create(
        group=group, number=latest + 1, text=text, material=material, created_by=actor
    )
    _audit_publish(version, actor)
    return version


def scope_versions(kind: str):
    """The versions of every group of a kind (kind="" : the clinic's), newest first."""
    return AgreementVersion.objects.filter(group__isnull=True, kind=kind).order_by("-number", "-pk")


@transaction.atomic
def agreement_publish_for_scope(
    *, kind: str, actor, text: str, material: bool = True
) -> AgreementVersion:
    """Staff publish the agreement of every group of a kind, or (kind="") the clinic's: it
    applies to each group that has no text of its own (or, for the clinic's, no kind's)."""
    if not getattr(actor, "is_clinic_staff", False):
        raise ValidationError(_("Only clinic staff set the clinic's agreements."))
    if kind and kind not in GroupKind.values:
        raise ValidationError(_("Choose a kind of group from the list."))
    text = _check_text(text)
    # No row to lock for a scope; two staff publishing in the same instant is not a case.
    latest = scope_versions(kind).aggregate(n=Max("number"))["n"] or 0
    version = AgreementVersion.objects.create(
        group=None, kind=kind, number=latest + 1, text=text, material=material, created_by=actor
    )
    _audit_publish(version, actor)
    return version


def acceptance_board(group: Group) -> list[dict]:
    """For the group's facilitators: each enrolled member, the newest version they accepted,
    and whether that is enough (None while nothing is asked: no text, or wording only)."""
    asked = required_version(group) is not None
    people = list(members_in(group, statuses=ENROLLED_STATUSES).order_by("display_name", "pk"))
    latest: dict[int, AgreementAcceptance] = {}
    rows = AgreementAcceptance.objects.filter(group=group, member__in=people)
    for row in rows.select_related("version").order_by("accepted_at", "pk"):
        latest[row.member_id] = row  # the newest wins
    return [
        {
            "member": person,
            "acceptance": latest.get(person.pk),
            "ok": has_accepted(person, group) if asked else None,
        }
        for person in people
    ]
