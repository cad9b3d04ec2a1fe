"""The discretion check reads Circle's own signed links without their tokens: random letters
that by chance spell a listed word ("…-phq-…") held a reminder back for good. The rest of such
a link, and every other site's link, is checked as any text."""

import pytest
from django.core import signing

from notifications.discretion import HeldBack, check_discreet, forbidden_words_in
from notifications.discretion import without_link_tokens as masked
from notifications.rendering import render_notification
from tests.factories.notifications import NotificationFactory

SITE = "https://circle.example"
LUCKY = "eyJtIjoxfQ-phq-aBc:1wXyZ:sex_Abc-porn-9"  # a token that happens to spell words


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.mark.parametrize(
    "path",
    [
        f"/sessions/r/{LUCKY}/",
        f"/sessions/feed/{LUCKY}.ics",
        f"/notifications/email/{LUCKY}/",
        f"/invite/{LUCKY}/",
        f"/referrals/place/{LUCKY}/",
        f"/accounts/confirm-email/{LUCKY}/",
        f"/accounts/password/reset/key/3c-{LUCKY}/",
    ],
)
def test_a_token_of_our_own_links_is_not_read_as_words(path):
    text = f'Yes, I\'m going: {SITE}{path}\n<a href="{SITE}{path}">'
    assert forbidden_words_in(text)  # the token does spell them
    assert forbidden_words_in(masked(text)) == []
    check_discreet(text)  # nothing held back


def test_the_rest_of_the_text_and_other_links_are_still_read():
    for text in [
        f"{SITE}/sessions/r/{LUCKY}/ and your addiction group",  # the message itself
        f"https://meet.example/sessions/r/{LUCKY}/",  # another site, the same path
        f"{SITE}/reading/12/sex-addiction-workbook/",  # our site, not a token route
        f"{SITE}/sessions/r/{LUCKY}/porn",  # after the token
    ]:
        assert forbidden_words_in(masked(text)), text
        with pytest.raises(HeldBack):
            check_discreet(text)


def test_a_clinical_site_address_is_still_caught(settings):
    settings.SITE_URL = "https://addiction-clinic.example"
    text = f"{settings.SITE_URL}/sessions/r/abc/"
    assert forbidden_words_in(masked(text)) == ["addiction"]


@pytest.mark.django_db
def test_a_reminder_whose_answer_link_spells_a_word_is_not_held_back(world, monkeypatch):
    monkeypatch.setattr(signing, "dumps", lambda *args, **kwargs: LUCKY)
    row = NotificationFactory(recipient=world.member, session__group=world.addict_group)
    rendered = render_notification(row)
    assert LUCKY in rendered.text
    assert forbidden_words_in(rendered.outbound_text())  # read whole, it would have been
    # What the delivery asks before it sends (notifications.delivery).
    assert rendered.forbidden_words() == []
