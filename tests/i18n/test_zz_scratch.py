import re
from django.urls import reverse


def test_scratch(client, world):
    world.staff.language = "es"
    world.staff.save()
    client.force_login(world.staff)
    page = client.get(reverse("admin:index")).content.decode()
    for m in re.finditer(r"Groups", page):
        print(repr(page[max(0, m.start() - 200) : m.end() + 50]))
