import re
import pytest
from django.urls import reverse
from measures import services
from measures.models import Instrument, Prompt
from tests.factories.measures import ScheduleFactory, phq9_answers
from tests.measures.conftest import tuesday
pytestmark = pytest.mark.django_db

def _visible(html):
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", "", html)
    main = re.search(r"(?s)<main.*?</main>", html)
    html = main.group(0) if main else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

def test_eyeball(world, frozen, client):
    schedule = ScheduleFactory(group=world.addict_group)
    for n, total in enumerate([16, 7]):
        p = Prompt.objects.create(schedule=schedule, member=world.member, slot=f"week:{n}", closes_at=tuesday())
        services.response_save(member=world.member, instrument=Instrument.objects.get(slug="phq-9"), data=phq9_answers(total, item9=1), submit=True, prompt=p)
    services.checkin_save(member=world.member, mood="2", urges="3", helped="walk", note="")
    for u in (world.facilitator, world.member):
        u.language = "fr"; u.save()
    client.force_login(world.facilitator)
    for url in [reverse("measures:index"), reverse("measures:group", args=[world.addict_group.pk]), reverse("measures:member", args=[world.addict_group.pk, world.member.pk])]:
        print("\n=== ", url, "\n", _visible(client.get(url).content.decode()))
    client.force_login(world.member)
    for url in [reverse("measures:index"), reverse("measures:checkins"), reverse("measures:sharing")]:
        print("\n=== ", url, "\n", _visible(client.get(url).content.decode()))
