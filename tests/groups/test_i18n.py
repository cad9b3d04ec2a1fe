"""Groups in French and Spanish (issue 19), and the language a group meets in."""

import pytest
from django.urls import reverse
from django.utils import translation

from groups import services
from groups.models import Group, GroupKind
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _get(client, user, language, name, *args, **query):
    _speaks(user, language)
    client.force_login(user)
    with translation.override(language):
        response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_member_group_page_in_french(client, world):
    html = _get(client, world.member, "fr", "groups:detail", world.addict_group.pk)
    assert "Tuesday evening" in html  # the group's name is data, as typed
    assert "À venir" in html and "Dans le groupe avec vous : Casey." in html
    assert "Donner un autre nom à ce groupe sur mes écrans" in html
    assert "Langue : Anglais" in html
    assert "Coming up" not in html and "Call this group" not in html


def test_facilitator_pages_in_spanish(client, world):
    html = _get(client, world.facilitator, "es", "groups:roster", world.addict_group.pk)
    assert "Lista de participantes" in html and "Invitar por correo electrónico" in html
    assert "Grupo de recuperación" in html  # the kind, shown to its facilitator only
    html = _get(client, world.facilitator, "es", "groups:create")
    assert "Idioma de las reuniones del grupo" in html and "Crear el grupo" in html
    assert "Kind of group" not in html


def test_a_refusal_is_in_the_viewers_language(world):
    with translation.override("fr"), pytest.raises(Exception) as refused:
        services.group_label_set(member=world.member, group=world.addict_group, label=" ")
    assert "Saisissez un nom" in str(refused.value)


def test_a_group_has_a_language_set_on_its_form_and_shown_on_its_page(client, world):
    client.force_login(world.facilitator)
    data = {
        "name": "Mercredi soir",
        "kind": GroupKind.ADDICT,
        "language": "fr",
        "time_zone": "Europe/Paris",
        "format": "in_person",
        "address": "3 rue du Parc",
        "enrolment": "open",
        "facilitators": [world.facilitator.pk],
        "absence_follow_up_after": 2,
        "roster_visible": "on",
    }
    response = client.post(reverse("groups:create"), data)
    group = Group.objects.get(name="Mercredi soir")
    assert response.status_code == 302 and group.language == "fr"
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Language: French" in page
    # An unknown language is refused on the form, nothing changes.
    data["language"] = "xx"
    response = client.post(reverse("groups:edit", args=[group.pk]), data)
    assert response.status_code == 200 and "xx is not one of the available choices" in (
        response.content.decode()
    )
    group.refresh_from_db()
    assert group.language == "fr"


def test_a_form_posted_without_a_language_keeps_the_groups_own(client, world):
    world.addict_group.language = "es"
    world.addict_group.save()
    client.force_login(world.facilitator)
    data = {
        "name": "Tuesday evening",
        "kind": GroupKind.ADDICT,
        "time_zone": "Europe/London",
        "format": "in_person",
        "address": "12 Quiet Lane, Room 3",
        "enrolment": "open",
        "facilitators": [world.facilitator.pk],
        "absence_follow_up_after": 2,
    }
    response = client.post(reverse("groups:edit", args=[world.addict_group.pk]), data)
    assert response.status_code == 302
    world.addict_group.refresh_from_db()
    assert world.addict_group.language == "es"


def test_the_group_list_filters_by_language(client, world):
    GroupFactory(name="Lundi matin", language="fr", facilitators=[world.facilitator])
    client.force_login(world.facilitator)
    url = reverse("groups:list")
    everything = client.get(url).content.decode()
    assert "Lundi matin" in everything and "Tuesday evening" in everything
    french = client.get(url, {"language": "fr"}).content.decode()
    assert "Lundi matin" in french and "Tuesday evening" not in french
    assert 'option value="fr" selected' in french
    spanish = client.get(url, {"language": "es"}).content.decode()
    assert "No group meets in that language." in spanish
    # Nonsense is ignored: the whole list, never an error page.
    for junk in ("xx", "\x00", "fr" * 500):
        body = client.get(url, {"language": junk}).content.decode()
        assert "Lundi matin" in body and "Tuesday evening" in body
    # Staff see every group, filtered the same way.
    client.force_login(world.staff)
    staff = client.get(url, {"language": "en"}).content.decode()
    assert "Thursday evening" in staff and "Lundi matin" not in staff
