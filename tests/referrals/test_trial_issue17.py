"""What the user trial found (issue 17): an answer ("Going") recorded before the group agreement
was accepted, any two keystrokes taken as a name, a board saying "Up to date" before any
agreement existed, the current version listed among the earlier ones, staff told about "the
groups you run", and the request form's errors shown only far down beside their fields."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.agreements import agreement_publish, has_accepted, plausible_name
from referrals.models import AgreementAcceptance, AgreementVersion, ForWhom, Referral
from sessions.links import rsvp_token
from sessions.models import RSVP, UsedRSVPLink
from tests.factories import SessionFactory
from tests.referrals.helpers import form_data

pytestmark = pytest.mark.django_db

TEXT_V1 = "What is said in the group stays in the group. We come on time."
TEXT_V2 = "What is said in the group stays in the group. Shared reading is not passed on."
NOT_SAVED = "Your answer has not been saved yet"


@pytest.fixture
def session(world):
    return SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=2)
    )


def _agreement_url(world, next_path):
    url = reverse("referrals:agreement", args=[world.addict_group.pk])
    return url, f"{url}?next={next_path.replace('/', '%2F')}"


def _accept(client, world, typed="Alex Example", next_url=""):
    return client.post(
        reverse("referrals:agreement", args=[world.addict_group.pk]),
        {"typed_name": typed, "next": next_url},
    )


# --- 1. answering a session waits for the agreement ----------------------------------------


def test_going_from_the_home_page_waits_for_the_agreement(world, client, session):
    # GIVEN an agreement the member has not accepted, and their home page's answer buttons
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    answer_url = reverse("scheduling:rsvp", args=[session.pk])
    assert f'action="{answer_url}"' in client.get("/").content.decode()
    # WHEN they press "Going" there
    response = client.post(answer_url, {"answer": "going", "next": "/"})
    # THEN nothing is recorded and they are sent to the agreement, to come back home after
    agreement_url, with_next = _agreement_url(world, "/")
    assert response.status_code == 302 and response["Location"] == with_next
    assert not RSVP.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert NOT_SAVED in page and "stays in the group" in page
    # WHEN they accept it, they land back home and their answer is recorded this time
    assert _accept(client, world, next_url="/")["Location"] == "/"
    response = client.post(answer_url, {"answer": "going", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert RSVP.objects.get(member=world.member, session=session).answer == "going"


def test_the_member_is_told_in_their_own_language(world, client, session):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    world.member.language = "fr"
    world.member.save(update_fields=["language"])
    client.force_login(world.member)
    response = client.post(reverse("scheduling:rsvp", args=[session.pk]), {"answer": "going"})
    page = client.get(response["Location"]).content.decode()
    assert "Votre réponse n&#x27;est pas encore enregistrée" in page
    assert "au moins deux lettres" in page


def test_an_answer_without_a_safe_page_to_return_to_comes_back_to_the_session(
    world, client, session
):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    answer_url = reverse("scheduling:rsvp", args=[session.pk])
    detail = reverse("scheduling:detail", args=[session.pk])
    for next_path in ("https://elsewhere.example/", ""):
        response = client.post(answer_url, {"answer": "maybe", "next": next_path})
        assert response["Location"] == _agreement_url(world, detail)[1]
    assert not RSVP.objects.exists()


def test_a_material_change_stops_answers_again(world, client, session):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    _accept(client, world)
    answer_url = reverse("scheduling:rsvp", args=[session.pk])
    assert client.post(answer_url, {"answer": "maybe"}).status_code == 302
    assert RSVP.objects.get().answer == "maybe"
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V2)
    response = client.post(answer_url, {"answer": "going"})
    assert response["Location"].startswith(reverse("referrals:agreement", args=[session.group_id]))
    assert RSVP.objects.get().answer == "maybe"


def test_an_emailed_answer_link_waits_for_the_agreement_too(world, client, session):
    # GIVEN an emailed "I'm going" link, for a member who has not accepted the agreement
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    link = reverse("scheduling:link", kwargs={"token": rsvp_token(world.member, session, "going")})
    detail = reverse("scheduling:detail", args=[session.pk])
    # WHEN it is opened or confirmed (signed in or not)
    for method in (client.get, client.post):
        response = method(link)
        # THEN they are sent to the agreement, then to the session (not back to the link, whose
        # token would travel on in addresses); nothing is recorded and the link is not used up
        assert response.status_code == 302
        assert response["Location"] == _agreement_url(world, detail)[1]
        assert "token" not in response["Location"] and link not in response["Location"]
    assert not RSVP.objects.exists() and not UsedRSVPLink.objects.exists()
    # WHEN the member has accepted, the same link works
    client.force_login(world.member)
    _accept(client, world)
    client.logout()
    assert client.post(link).status_code == 200
    assert RSVP.objects.get(member=world.member).answer == "going"


def test_answers_are_not_stopped_without_an_agreement_or_for_others(world, client, session):
    answer_url = reverse("scheduling:rsvp", args=[session.pk])
    # No agreement yet: the answer is recorded as before
    client.force_login(world.member)
    assert client.post(answer_url, {"answer": "going", "next": "/"})["Location"] == "/"
    assert RSVP.objects.filter(member=world.member).exists()
    # With one, an outsider still meets the answer view's own 404, not a redirect naming it
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.other_kind_member)
    assert client.post(answer_url, {"answer": "going"}).status_code == 404
    # A broken link is still the link page's own answer
    assert client.post(reverse("scheduling:link", kwargs={"token": "nope"})).status_code == 400


# --- 2. a name someone could sign with -------------------------------------------------------


@pytest.mark.parametrize("typed", ["zz", "ZZ", "z z", "Zz.", "a", "12", "--", "1 2 3", "ééé"])
def test_a_name_that_is_no_name_is_refused_kindly(world, client, typed):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    response = _accept(client, world, typed=typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "at least two letters, not the same letter repeated." in page
    assert not AgreementAcceptance.objects.exists()
    assert not has_accepted(world.member, world.addict_group)


@pytest.mark.parametrize("typed", ["Sam Lee", "Jo", "Zoë", "Anne-Marie O’Neil", "王丽丽", "Ng"])
def test_names_of_any_shape_and_script_are_taken(typed):
    assert plausible_name(typed)


def test_the_rule_is_explained_beside_the_field_and_a_real_name_goes_through(world, client):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    page = client.get(reverse("referrals:agreement", args=[world.addict_group.pk]))
    assert "As you would sign it: at least two letters" in page.content.decode()
    assert _accept(client, world, typed="  Alex   Example ").status_code == 302
    assert AgreementAcceptance.objects.get().typed_name == "Alex Example"


# --- 3. the facilitators' page -----------------------------------------------------------------


def _up_to_date_cells(page: str) -> list[str]:
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    return [row.split("<td>")[3].split("</td>")[0] for row in rows]


def test_before_any_agreement_nobody_is_shown_up_to_date(world, client):
    client.force_login(world.facilitator)
    url = reverse("referrals:agreement_manage", args=[world.addict_group.pk])
    page = client.get(url).content.decode()
    cells = _up_to_date_cells(page)
    assert cells and all("Nothing to accept yet" in cell for cell in cells)
    # Once there is one, members show "No" until they accept, then "Yes"
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    assert set(_up_to_date_cells(client.get(url).content.decode())) == {"No"}
    client.force_login(world.member)
    _accept(client, world)
    client.force_login(world.facilitator)
    board = client.get(url).content.decode()
    alex = [row for row in board.split("<tr>") if "<td>Alex</td>" in row]
    assert len(alex) == 1 and "<td>Yes</td>" in alex[0]


def _earlier(page: str) -> str:
    return page.split("Earlier versions")[1] if "Earlier versions" in page else ""


def test_earlier_versions_list_only_earlier_ones(world, client):
    client.force_login(world.facilitator)
    url = reverse("referrals:agreement_manage", args=[world.addict_group.pk])
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    assert _earlier(client.get(url).content.decode()) == ""
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V2)
    earlier = _earlier(client.get(url).content.decode())
    assert "Version 1," in earlier and "Version 2," not in earlier


def test_the_clinics_page_lists_only_earlier_versions_too(world, client):
    client.force_login(world.staff)
    url = reverse("referrals:agreement_scope", args=["clinic"])
    client.post(url, {"text": TEXT_V1, "material": "on"})
    assert _earlier(client.get(url).content.decode()) == ""
    client.post(url, {"text": TEXT_V2, "material": "on"})
    earlier = _earlier(client.get(url).content.decode())
    assert "Version 1," in earlier and "Version 2," not in earlier
    assert AgreementVersion.objects.count() == 2


def test_staff_are_told_about_the_clinics_groups_not_the_ones_they_run(world, client):
    referral = services.referral_submit(
        name="Robin", email="robin@example.net", for_whom=ForWhom.SELF, consent_contact=True
    )
    Referral.objects.filter(pk=referral.pk).update(taken_by=world.facilitator)
    # No group meets in Spanish: nothing fits
    url = reverse("referrals:detail", args=[referral.pk]) + "?language=es"
    client.force_login(world.staff)
    page = client.get(url).content.decode()
    assert "None of the clinic's groups fits" in page
    assert "groups you run" not in page
    # A facilitator who took it is still told about their own groups
    client.force_login(world.facilitator)
    page = client.get(url).content.decode()
    assert "None of the groups you run fits" in page and "clinic's groups" not in page


# --- 4. the request form says at the top that something needs a look -------------------------


def _summary(page: str) -> str:
    start = page.index('id="form-problems"')
    return page[start : page.index("</div>", start)]


def test_a_fresh_form_has_no_summary(client):
    assert 'id="form-problems"' not in client.get(reverse("request_form")).content.decode()


def test_errors_are_summed_up_at_the_top_and_the_page_opens_on_them(client):
    # WHEN the form comes back with two fields to fix
    data = form_data(email="robin at home")
    del data["for_whom"]
    page = client.post(reverse("request_form"), data).content.decode()
    # THEN a short note at the top of the form says so, before the first field...
    assert page.index('id="form-problems"') < page.index('name="name"')
    summary = _summary(page)
    assert "Please check the fields marked below." in summary
    # ...links to each field marked, in page order...
    assert summary.index('href="#id_email"') < summary.index('href="#id_for_whom_0"')
    assert "Email (optional)" in summary and "Who is the help for?" in summary
    # ...and takes the focus without any script
    opening = page[page.rindex("<div", 0, page.index('id="form-problems"')) :]
    assert opening.split(">")[0].endswith('tabindex="-1" autofocus')
    # AND each error is still said once, beside its own field
    assert page.count("Enter a valid email address.") == 1
    assert page.index("Enter a valid email address.") > page.index('name="email"')
    assert not Referral.objects.exists()


def test_an_error_in_the_folded_answers_opens_the_fold(client):
    page = client.post(reverse("request_form"), form_data(shame="x" * 2001)).content.decode()
    assert "<details open>" in page and 'href="#id_shame"' in _summary(page)
    page = client.post(reverse("request_form"), form_data(phone="", email="")).content.decode()
    assert "<details>" in page
