"""Questionnaires in French and Spanish: the official item texts, answer choices and bands
from measures/data, shown in the viewer's language; scores stay stored as scored."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from measures import selectors, services
from measures.loading import instrument_definitions, translations_load
from measures.models import Instrument, Item, Prompt
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import tuesday

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _prompt(world):
    schedule = ScheduleFactory(group=world.addict_group)
    return Prompt.objects.create(
        schedule=schedule, member=world.member, slot="week:1", closes_at=tuesday()
    )


def test_a_french_member_answers_the_official_french_phq9(world, frozen, client):
    prompt = _prompt(world)
    _speaks(world.member, "fr")
    client.force_login(world.member)
    with translation.override("fr"):
        html = client.get(reverse("measures:prompt", args=[prompt.pk])).content.decode()
    assert "selon quelle fréquence avez-vous été gêné(e)" in html
    assert "Peu d&#x27;intérêt ou de plaisir à faire les choses" in html
    assert "Plus de la moitié du temps" in html and "Envoyer mes réponses" in html
    assert "Little interest" not in html and "Nearly every day" not in html


def test_the_band_is_stored_as_scored_and_shown_in_spanish(world, frozen, client):
    response = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="phq-9"),
        data=phq9_answers(7),
        submit=True,
        prompt=_prompt(world),
    )
    assert response.band == "Mild"  # the stored band does not depend on anyone's language
    _speaks(world.member, "es")
    client.force_login(world.member)
    with translation.override("es"):
        done = client.get(reverse("measures:done", args=[response.pk])).content.decode()
        index = client.get(reverse("measures:index")).content.decode()
    assert "Su puntuación: <strong>7</strong> de 27 (Leve)." in done
    assert "Cómo se ha sentido" in index and "Moderadamente grave" in index  # chart bands
    assert "Mild" not in done


def test_the_facilitator_reads_answers_in_their_own_language(world, frozen, client):
    response = services.response_save(
        member=world.member,
        instrument=Instrument.objects.get(slug="gad-7"),
        data={f"gad7_{n}": 3 for n in range(1, 8)},
        submit=True,
        prompt=_prompt(world),
    )
    _speaks(world.facilitator, "es")
    client.force_login(world.facilitator)
    url = reverse("measures:response", args=[world.addict_group.pk, world.member.pk, response.pk])
    with translation.override("es"):
        html = client.get(url).content.decode()
    assert "No ha sido capaz de parar o controlar su preocupación" in html
    assert "Casi todos los días" in html and "(Grave)" in html


def test_crisis_resources_read_in_each_language(settings):
    with translation.override("fr"):
        assert "appelez le 116 123" in " ".join(selectors.crisis_paragraphs())
    # A clinic's own wording shows as written, unless it gives one per language.
    settings.CRISIS_RESOURCES = "Call our line: 0800 000 000."
    with translation.override("es"):
        assert selectors.crisis_paragraphs() == ["Call our line: 0800 000 000."]
        with override_settings(CRISIS_RESOURCES_ES="Llame a nuestra línea: 0800 000 000."):
            assert selectors.crisis_paragraphs() == ["Llame a nuestra línea: 0800 000 000."]


def test_every_shipped_item_option_and_band_has_french_and_spanish():
    for definition in instrument_definitions():
        assert set(definition["translations"]) == {"fr", "es"}
        for band in definition["bands"]:
            assert set(band["labels"]) == {"fr", "es"}
        for item in definition["items"]:
            assert set(item["translations"]) == {"fr", "es"}
            for option in item.get("options", []):
                assert set(option["labels"]) == {"fr", "es"}


def test_loading_translations_keeps_a_clinics_own_edits():
    """The migration adds the shipped texts to instruments already loaded, nothing else."""
    phq = Instrument.objects.get(slug="phq-9")
    phq.translations, phq.max_score = {}, 27
    phq.bands = [{**band, "labels": {}} for band in phq.bands]
    phq.bands[0]["label"] = "Our own words"
    phq.save()
    Item.objects.filter(code="phq9_1").update(translations={}, text="Edited question")

    translations_load(Instrument, Item, instrument_definitions())
    translations_load(Instrument, Item, instrument_definitions())

    phq.refresh_from_db()
    first = Item.objects.get(code="phq9_1")
    assert first.text == "Edited question" and first.translations["fr"].startswith("Peu d")
    assert phq.bands[0] == {"min": 0, "max": 4, "label": "Our own words", "labels": {}}
    assert phq.bands[1]["labels"] == {"fr": "Légère", "es": "Leve"}
    with translation.override("fr"):
        assert phq.local_instructions.startswith("Au cours des 2 dernières semaines")
