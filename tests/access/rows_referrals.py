"""Access rows for the referrals URLs: the public request form and seat-offer link, the
queue (staff and the matched group's facilitators), waiting lists and agreements."""

import datetime

from django.utils import timezone

from referrals.links import offer_token
from referrals.models import (
    AgreementAcceptance,
    AgreementVersion,
    ForWhom,
    Referral,
    SeatOffer,
    WaitingListEntry,
)
from tests.access.matrix import Row, expect, group_insiders
from tests.factories import UserFactory

EVERYONE = expect(200)
FACILITATORS = expect(404, anonymous=302, other_facilitator=200, group_facilitator=200, staff=200)
# A request matched with the addict group: its facilitator and staff only.
MATCHED = group_insiders(members_too=False)
MATCHED_POST = group_insiders(ok=302, members_too=False)
STAFF = expect(404, anonymous=302, staff=200)
STAFF_POST = expect(404, anonymous=302, staff=302)


def _referral(w, **fields) -> Referral:
    return Referral.objects.create(
        name="Robin",
        email="robin@example.net",
        for_whom=ForWhom.SELF,
        consent_contact=True,
        group=w.addict_group,
        **fields,
    )


def _referral_pk(w):
    return {"pk": _referral(w).pk}


def _referral_with_account(w):
    return {"pk": _referral(w, member=UserFactory(display_name="Robin")).pk}


def _entry(w) -> WaitingListEntry:
    return WaitingListEntry.objects.create(
        group=w.addict_group, member=UserFactory(display_name="Robin"), added_by=w.facilitator
    )


def _version(w) -> AgreementVersion:
    return AgreementVersion.objects.create(
        group=w.addict_group, number=1, text="We keep what is said here to ourselves."
    )


def _acceptance(w):
    version = _version(w)
    row = AgreementAcceptance.objects.create(
        version=version,
        group=w.addict_group,
        member=w.member,
        typed_name="Alex A",
        text=version.text,
    )
    return {"pk": row.pk}


def _offer(w):
    entry = _entry(w)
    offer = SeatOffer.objects.create(
        entry=entry, group=w.addict_group, expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    return {"token": offer_token(offer)}


ROWS = [
    Row("request_form", EVERYONE),
    Row("referrals:offer", EVERYONE, kwargs=_offer),
    Row("referrals:queue", FACILITATORS),
    Row("referrals:detail", MATCHED, kwargs=_referral_pk),
    Row("referrals:take", MATCHED_POST, kwargs=_referral_pk, method="post"),
    Row(
        "referrals:update",
        MATCHED_POST,
        kwargs=_referral_pk,
        method="post",
        data=lambda w: {"status-status": "contacted", "status-notes": "Called, will call back."},
    ),
    # Staff may screen anyone; the group's facilitator cannot screen a stranger (a form error).
    Row(
        "referrals:intake",
        group_insiders(ok=302, members_too=False) | {"group_facilitator": 200},
        kwargs=_referral_pk,
        method="post",
        data=lambda w: {"screening-level": "at_risk", "screening-recommended_kind": "addict"},
    ),
    Row(
        "referrals:place",
        MATCHED_POST,
        kwargs=_referral_with_account,
        method="post",
        data=lambda w: {"place-group": w.addict_group.pk},
    ),
    Row(
        "referrals:waiting_list",
        MATCHED,
        kwargs=lambda w: {"group_pk": w.addict_group.pk},
    ),
    Row(
        "referrals:waiting_remove",
        MATCHED_POST,
        kwargs=lambda w: {"group_pk": w.addict_group.pk, "pk": _entry(w).pk},
        method="post",
    ),
    Row(
        "referrals:agreement",
        group_insiders(),
        kwargs=lambda w: {"group_pk": _version(w).group_id},
    ),
    Row(
        "referrals:agreement_manage",
        MATCHED,
        kwargs=lambda w: {"group_pk": w.addict_group.pk},
    ),
    Row("referrals:acceptance", MATCHED, kwargs=_acceptance),
    Row("referrals:agreement_scope", STAFF, kwargs=lambda w: {"scope": "clinic"}),
    Row(
        "referrals:agreement_scope",
        STAFF_POST,
        kwargs=lambda w: {"scope": "addict"},
        method="post",
        data=lambda w: {"text": "What is said in the group stays in the group.", "material": "on"},
    ),
]
