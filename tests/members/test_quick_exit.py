"""Quick exit: on every member page, to a page that names nothing; signs out when chosen."""

from django.urls import reverse


def test_a_member_page_offers_quick_exit_and_staff_pages_do_not(client, world):
    # GIVEN a member and a facilitator
    client.force_login(world.member)
    # WHEN the member opens their home page, THEN the quick exit is there, aimed at the blank page
    body = client.get(reverse("home")).content.decode()
    assert "Quick exit" in body
    assert f'data-target="{reverse("away")}"' in body
    # WHEN the facilitator does, THEN it is not (their screens are not the ones at risk)
    client.force_login(world.facilitator)
    assert "Quick exit" not in client.get(reverse("home")).content.decode()


def test_the_link_alone_leaves_for_the_clinics_chosen_address(client, world, settings):
    client.force_login(world.member)
    # GIVEN no address set: Circle's own blank page, which names nothing
    response = client.get(reverse("quick_exit"))
    assert response.url == reverse("away")
    away = client.get(response.url).content.decode()
    assert "<title>New tab</title>" in away
    assert settings.CLINIC_NAME not in away
    # GIVEN the clinic set one
    settings.QUICK_EXIT_URL = "https://weather.example.org/"
    assert client.get(reverse("quick_exit")).url == "https://weather.example.org/"
    # AND following the link alone signs nobody out
    assert client.get(reverse("account")).status_code == 200


def test_the_beacon_signs_out_only_a_member_who_chose_it(client, world):
    # GIVEN a member who did not choose to be signed out
    client.force_login(world.member)
    # WHEN the quick exit's beacon arrives, THEN they stay signed in
    assert client.post(reverse("quick_exit")).status_code == 204
    assert client.get(reverse("account")).status_code == 200
    # GIVEN they chose it
    world.member.quick_exit_signs_out = True
    world.member.save()
    client.force_login(world.member)
    # WHEN the beacon arrives, THEN they are signed out
    assert client.post(reverse("quick_exit")).status_code == 204
    assert client.get(reverse("account")).status_code == 302


def test_a_member_chooses_on_their_account_page(client, world):
    # GIVEN a member on their account page
    client.force_login(world.member)
    assert "Quick exit also signs me out" in client.get(reverse("account")).content.decode()
    # WHEN they tick the choice and save
    data = {
        "display_name": "Alex",
        "time_zone": "Europe/London",
        "language": "en",
        "phone": "",
        "quick_exit_signs_out": "on",
    }
    client.post(reverse("account"), data)
    # THEN it is kept
    world.member.refresh_from_db()
    assert world.member.quick_exit_signs_out
    # AND a facilitator's account page does not offer it
    client.force_login(world.facilitator)
    assert "Quick exit" not in client.get(reverse("account")).content.decode()
