"""Cached reverse() for email links: the same URLs as reverse() itself."""

import random
import string

import pytest
from django.core import signing
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import reverse_cached, reverse_with_token

TOKEN_NAMES = [("scheduling:link", "token"), ("notifications:email_preferences", "token")]


def test_signed_tokens_land_where_reverse_puts_them():
    rng = random.Random(5)
    for _ in range(200):
        token = signing.dumps({"n": rng.randrange(10**9)}, salt="test")
        for name, kwarg in TOKEN_NAMES:
            assert reverse_with_token(name, kwarg, token) == reverse(name, kwargs={kwarg: token})


def test_any_other_token_goes_through_reverse():
    for token in ["a b", "ü", "x%2F", "q?x=1", "#frag"]:
        for name, kwarg in TOKEN_NAMES:
            assert reverse_with_token(name, kwarg, token) == reverse(name, kwargs={kwarg: token})
    with pytest.raises(NoReverseMatch):
        reverse_with_token("scheduling:link", "token", "a/b")


def test_cached_urls_are_reverses_own():
    for pk in [1, 7, 123456]:
        assert reverse_cached("scheduling:detail", pk=pk) == reverse("scheduling:detail", args=[pk])
    assert reverse_cached("notifications:inbox") == reverse("notifications:inbox")
    with pytest.raises(NoReverseMatch):
        reverse_cached("scheduling:detail", pk="not a number")


def test_a_script_prefix_is_part_of_the_key():
    plain = reverse_cached("notifications:inbox")
    token = "".join(random.Random(1).choices(string.ascii_letters, k=20))
    try:
        set_script_prefix("/clinic/")
        assert reverse_cached("notifications:inbox") == "/clinic" + plain
        assert reverse_with_token("scheduling:link", "token", token).startswith("/clinic/")
    finally:
        set_script_prefix("/")
    assert reverse_cached("notifications:inbox") == plain
