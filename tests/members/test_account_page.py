"""The account page: display name, time zone, language, phone; links to security pages."""

from django.urls import reverse

from members.models import User


def test_account_page_links_to_security_pages(client, world):
    client.force_login(world.member)
    page = client.get(reverse("account")).content.decode()
    for name in ("account_change_password", "account_email", "mfa_index", "usersessions_list"):
        assert f'href="{reverse(name)}"' in page
    assert client.get(reverse("usersessions_list")).status_code == 200


def test_account_saves_profile(client, world):
    client.force_login(world.member)
    data = {
        "display_name": "Al",
        "time_zone": "America/New_York",
        "language": "en",
        "phone": "+44 7911 123456",
    }
    response = client.post(reverse("account"), data)
    assert response.url == reverse("account")
    world.member.refresh_from_db()
    assert (world.member.display_name, world.member.time_zone, world.member.phone) == (
        "Al",
        "America/New_York",
        "+447911123456",  # stored in E.164
    )


def test_unknown_time_zone_is_refused_clearly(client, world):
    client.force_login(world.member)
    data = {"display_name": "Al", "time_zone": "Mars/Olympus", "language": "en", "phone": ""}
    response = client.post(reverse("account"), data)
    assert response.status_code == 200
    assert "We don&#x27;t know the time zone" in response.content.decode()
    assert User.objects.get(pk=world.member.pk).display_name == "Alex"


def test_display_name_is_required(client, world):
    client.force_login(world.member)
    data = {"display_name": "", "time_zone": "Europe/London", "language": "en", "phone": ""}
    response = client.post(reverse("account"), data)
    assert response.status_code == 200
    assert User.objects.get(pk=world.member.pk).display_name == "Alex"
