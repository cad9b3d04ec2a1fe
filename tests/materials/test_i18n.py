"""Reading in French and Spanish: pages, form errors and messages follow the viewer's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from materials.models import Material
from tests.factories import MaterialFactory

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_reading_list_in_french(client, world):
    MaterialFactory(group=world.addict_group, title="Semaine 3")
    _speaks(world.member, "fr")
    client.force_login(world.member)
    with translation.override("fr"):
        html = client.get(reverse("materials:list")).content.decode()
    assert "Semaine 3" in html  # data as typed
    assert "Marquer comme lu" in html and "Nouveau" in html
    assert "Mark as read" not in html and ">New<" not in html


def test_share_form_errors_in_spanish(client, world):
    _speaks(world.facilitator, "es")
    client.force_login(world.facilitator)
    url = reverse("materials:create", kwargs={"group_pk": world.addict_group.pk})
    fields = {"title": "Semana 3", "form": "link", "url": "http://example.org/x"}
    with translation.override("es"):
        page = client.get(url).content.decode()
        response = client.post(url, fields | {"audience": f"group:{world.addict_group.pk}"})
    assert "¿Qué va a compartir?" in page and "Todo el grupo" in page
    assert response.status_code == 200
    assert "Escriba una dirección web completa que empiece por https://." in (
        response.content.decode()
    )
    assert not Material.objects.exists()
