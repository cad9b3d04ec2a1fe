"""What staff stumbled on trying the demo: the request's language, a refused "waiting list"
shown far below the fold, dates with English month abbreviations in French, and the
agreement tabs running off a phone screen."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from referrals import services
from referrals.models import ForWhom

pytestmark = pytest.mark.django_db


def _request(**fields):
    defaults = {
        "name": "Robin",
        "email": "robin@example.net",
        "for_whom": ForWhom.SELF,
        "consent_contact": True,
    }
    return services.referral_submit(**{**defaults, **fields})


def _as_staff(client, world, language="en"):
    world.staff.language = language
    world.staff.save(update_fields=["language"])
    client.force_login(world.staff)
    return client


def test_the_request_says_which_language_they_wrote_in(client, world):
    referral = _request(language="fr")
    body = _as_staff(client, world).get(reverse("referrals:detail", args=[referral.pk]))
    body = body.content.decode()
    assert "Wrote to us in" in body and '<dd lang="fr">français</dd>' in body


def test_a_refused_placement_lands_on_the_form_that_says_why(client, world):
    # GIVEN a request not screened yet (no account to put on a list)
    referral = _request()
    staff = _as_staff(client, world)
    page = staff.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    place = reverse("referrals:place", args=[referral.pk])
    # THEN the form posts to an address that scrolls back to it
    assert f'action="{place}#place-form" id="place-form"' in page
    # AND the refusal is on that re-rendered page...
    response = staff.post(place, {"place-group": world.addict_group.pk})
    assert response.status_code == 200
    # ...once (the form's own rendering already shows its errors at its top)
    assert response.content.decode().count("Record the screening first") == 1


def test_dates_spell_the_month_in_the_readers_language(client, world):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 11, tzinfo=datetime.UTC)):
        _request()
    staff = _as_staff(client, world, "fr")
    with translation.override("fr"):
        body = staff.get(reverse("referrals:queue")).content.decode()
    assert "30 novembre 2026" in body and "Nov 2026" not in body


def test_the_agreement_tabs_wrap_on_a_phone(client, world):
    body = _as_staff(client, world).get(reverse("referrals:agreement_scope", args=["clinic"]))
    assert '<nav aria-label="Agreements"><ul class="button-row">' in body.content.decode()


def test_each_answer_is_shown_under_the_question_the_person_was_asked(client, world):
    # GIVEN a request answering two of the six questions (found while trying the demo: each
    # answer sat under "None")
    referral = _request(self_concerned="It takes my evenings.", secrets="I clear the history.")
    page = _as_staff(client, world).get(reverse("referrals:detail", args=[referral.pk]))
    section = page.content.decode().split('id="answers-heading"')[1].split("</section>")[0]
    # THEN both are under their questions, in the form's order, and nothing says "None"
    assert "<dt>Are you worried yourself? (optional)</dt><dd>It takes my evenings.</dd>" in section
    assert "<dt>Is there anything you keep to yourself about it? (optional)</dt>" in section
    assert section.index("Are you worried") < section.index("keep to yourself")
    assert "None" not in section
    # AND in French, the questions are French
    page = _as_staff(client, world, "fr").get(reverse("referrals:detail", args=[referral.pk]))
    assert "Are you worried yourself?" not in page.content.decode()
