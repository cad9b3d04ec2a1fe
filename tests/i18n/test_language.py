"""Whose language a page is in: the signed-in person's own, else the browser's (or the
picker's), only ever one the clinic offers; and what the pickers offer."""

import pytest
from django.conf import settings
from django.urls import reverse

from members.models import Role, User
from members.services.invitations import invitation_create, invitation_token


def _language_of(response) -> str:
    return response["Content-Language"]


@pytest.mark.django_db
def test_before_sign_in_the_browser_decides(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    assert _language_of(page) == "fr"
    body = page.content.decode()
    assert '<html lang="fr">' in body
    assert "Se connecter" in body and "Sign in" not in body
    assert "Accept-Language" in page["Vary"]
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-MX")
    assert _language_of(page) == "es" and "Iniciar sesión" in page.content.decode()
    # A language Circle does not speak: English, the clinic's own.
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE,de")
    assert _language_of(page) == "en" and "Sign in" in page.content.decode()


@pytest.mark.django_db
def test_only_the_offered_languages_are_used(client, settings):
    settings.CIRCLE_LANGUAGES = ["es", "en"]
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr,es;q=0.8")
    assert _language_of(page) == "es"
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert _language_of(page) == "en"  # the clinic's own language, as it is offered
    settings.CIRCLE_LANGUAGES = ["fr"]
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    assert _language_of(page) == "fr"  # one language: everyone gets it
    assert 'name="language"' not in page.content.decode()  # and no picker


@pytest.mark.django_db
def test_the_picker_before_sign_in_posts_to_set_language(client):
    page = client.get(reverse("account_login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    for code, name in settings.LANGUAGES[1:]:
        assert f'value="{code}" lang="{code}"' in page and name in page
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert _language_of(page) == "es"  # the choice beats the browser's


def test_the_signed_in_person_s_language_wins(client, world):
    world.member.language = "es"
    world.member.save(update_fields=["language"])
    client.force_login(world.member)
    page = client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr")
    assert _language_of(page) == "es"
    body = page.content.decode()
    assert "Su cuenta" in body and "Your account" not in body
    assert 'action="/i18n/setlang/"' not in body  # signed in, the account page decides


def test_a_language_no_longer_offered_falls_back_to_the_browser(client, world, settings):
    settings.CIRCLE_LANGUAGES = ["en", "fr"]
    world.member.language = "es"
    world.member.save(update_fields=["language"])
    client.force_login(world.member)
    page = client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr")
    assert _language_of(page) == "fr"


def test_the_account_page_offers_the_clinic_s_languages_and_switches_at_once(client, world):
    client.force_login(world.member)
    page = client.get(reverse("account")).content.decode()
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}"' in page and name in page
    data = {"display_name": "Alex", "time_zone": "Europe/Paris", "language": "fr", "phone": ""}
    response = client.post(reverse("account"), data, follow=True)
    assert User.objects.get(pk=world.member.pk).language == "fr"
    body = response.content.decode()
    assert "Vos paramètres sont enregistrés." in body and _language_of(response) == "fr"


def test_the_account_page_refuses_a_language_the_clinic_does_not_offer(client, world, settings):
    settings.CIRCLE_LANGUAGES = ["en", "fr"]
    client.force_login(world.member)
    page = client.get(reverse("account")).content.decode()
    assert '<option value="es"' not in page
    data = {"display_name": "Alex", "time_zone": "Europe/Paris", "language": "es", "phone": ""}
    response = client.post(reverse("account"), data)
    assert response.status_code == 200
    assert User.objects.get(pk=world.member.pk).language == "en"


@pytest.mark.django_db
def test_allauth_pages_use_allauth_s_own_catalogues(client):
    page = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "mot de passe" in page.content.decode().lower()
    page = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="es")
    assert "contraseña" in page.content.decode().lower()


@pytest.mark.django_db
def test_error_pages_follow_the_language(client):
    page = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 404
    assert "No encontramos esa página" in page.content.decode()


def test_a_new_account_keeps_the_language_it_signed_up_in(client, world):
    invitation = invitation_create(
        email="robin@example.org",
        role=Role.MEMBER,
        invited_by=world.facilitator,
        group=world.addict_group,
    )
    client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    data = {
        "email": "robin@example.org",
        "display_name": "Robin",
        "password1": "a long and unusual pass phrase",
        "password2": "a long and unusual pass phrase",
        "time_zone": "Europe/Madrid",
    }
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Crear su cuenta" in page.content.decode()
    client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="es")
    assert User.objects.get(email="robin@example.org").language == "es"


def test_the_admin_speaks_the_staff_member_s_language(client, world):
    world.staff.language = "es"
    world.staff.save(update_fields=["language"])
    client.force_login(world.staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert "<h1>Administración</h1>" in page and "Participantes" in page  # members' app name


@pytest.mark.django_db
def test_odd_language_input_is_ignored_never_an_error(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "x" * 5000
    for header in ("", "*", "fr;q=abc, ,;;", "ü" * 600, "es-" + "x" * 300):
        page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=header)
        assert page.status_code == 200 and page["Content-Language"] in ("en", "fr", "es")
    response = client.post(reverse("set_language"), {"language": "klingon", "next": "//evil"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("account_login"))["Content-Language"] == "en"
