"""Journey: a member gives their group their own name (issue 14, point 18).

On a phone, Alex renames "Tuesday evening" to "Wednesday walkers" from the group's page (an empty
name is refused first, nothing saved). Their home, groups list, sessions list, session
page, tab titles and calendar download then say "Wednesday walkers". Casey (in the same group) and
Fran (who runs it) still see "Tuesday evening" and never "Wednesday walkers". Alex goes back to the
group's own name.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from groups.models import GroupLabel
from tests.browser.helpers import action, check_page, log_in, open_menu, url
from tests.factories import SessionFactory

pytestmark = pytest.mark.browser

LABEL = "Wednesday walkers"
REAL = "Tuesday evening"  # the world's group name


def _main(page) -> str:
    return page.locator("main").inner_text()


def member_names_the_group(alex, world) -> None:
    log_in(alex, world.member.email)
    open_menu(alex)
    alex.get_by_role("link", name="Groups", exact=True).first.click()
    alex.get_by_role("link", name=REAL).first.click()
    check_page(alex, "group-page-before", discreet=True)

    alex.get_by_text("Call this group something else on my screens").click()
    assert "Only you see this name" in _main(alex)
    check_page(alex, "own-name-form-open", discreet=True)

    # Only spaces: refused with a clear message, the form still open, nothing saved. (The
    # field stops typing at 60 characters; the service's own limit is tested without a browser.)
    alex.get_by_label("Your name for this group").fill("   ")
    action(alex, "Save this name").click()
    alex.wait_for_load_state("load")
    assert "Type a name" in _main(alex)
    check_page(alex, "own-name-refused", discreet=True)
    assert not GroupLabel.objects.exists()

    alex.get_by_label("Your name for this group").fill(f"  {LABEL} ")
    action(alex, "Save this name").click()
    alex.get_by_role("heading", level=1, name=LABEL).wait_for()
    assert f"call this group “{LABEL}”" in _main(alex)
    assert alex.title().startswith(LABEL)
    assert REAL not in _main(alex)
    check_page(alex, "own-name-saved", discreet=True)


def member_sees_it_everywhere(alex, session) -> None:
    for step, name, args in (
        ("home", "home", ()),
        ("groups-list", "groups:list", ()),
        ("sessions-list", "scheduling:upcoming", ()),
        ("session-page", "scheduling:detail", (session.pk,)),
    ):
        alex.goto(url(alex, name, *args))
        text = _main(alex)
        assert LABEL in text, step
        assert REAL not in text and REAL not in alex.title(), step
        check_page(alex, f"own-name-on-{step}", discreet=True)
    assert LABEL in alex.title()  # the session page's tab title

    with alex.expect_download() as download_info:
        alex.get_by_role("link", name="Download for your calendar (.ics)").click()
    body = Path(download_info.value.path()).read_bytes()
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == LABEL


def others_see_the_real_name(page, world, session) -> None:
    for person, step in ((world.co_member, "co-member"), (world.facilitator, "facilitator")):
        log_in(page, person.email)
        for name, args in (
            ("home", ()),
            ("scheduling:detail", (session.pk,)),
            ("groups:detail", (world.addict_group.pk,)),
        ):
            page.goto(url(page, name, *args))
            assert LABEL not in page.content(), (step, name)
            if name != "home":  # a facilitator's home lists no group of theirs as a member
                assert REAL in _main(page), (step, name)
        if person == world.facilitator:  # the form is a member's (Casey has it for herself)
            assert "Call this group something else" not in _main(page)
        check_page(page, f"{step}-sees-the-real-name", discreet=person == world.co_member)
        page.context.clear_cookies()


def member_goes_back_to_the_real_name(alex, world) -> None:
    alex.goto(url(alex, "groups:detail", world.addict_group.pk))
    alex.get_by_text("Call this group something else on my screens").click()
    action(alex, "Use the group's own name").click()
    alex.get_by_role("heading", level=1, name=REAL).wait_for()
    assert "own name again" in _main(alex)
    check_page(alex, "own-name-cleared", discreet=True)
    assert not GroupLabel.objects.exists()


def test_a_member_names_their_group_for_their_own_screens(page, new_page, world):
    session = SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    alex = new_page("phone")
    member_names_the_group(alex, world)
    member_sees_it_everywhere(alex, session)
    others_see_the_real_name(page, world, session)
    member_goes_back_to_the_real_name(alex, world)
