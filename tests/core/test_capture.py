"""{% capture %} (core.templatetags, a builtin): a part rendered once, shown where needed."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_capture_renders_once_escaped_and_shows_as_rendered():
    counter = iter(range(10))
    rendered = Template(
        "{% capture as part %}<b>{{ name }}</b> {{ count }}{% endcapture %}[{{ part }}][{{ part }}]"
    ).render(Context({"name": "<Alex & Sam>", "count": lambda: next(counter)}))
    # Escaped once when rendered, not again when shown; the callable ran once.
    assert rendered == "[<b>&lt;Alex &amp; Sam&gt;</b> 0][<b>&lt;Alex &amp; Sam&gt;</b> 0]"


@pytest.mark.parametrize("tag", ["{% capture %}", "{% capture part %}", "{% capture to part %}"])
def test_capture_without_as_name_says_how(tag):
    with pytest.raises(TemplateSyntaxError, match="capture as name"):
        Template(tag + "x{% endcapture %}")


def test_the_menu_shows_every_link_on_wide_screens_and_in_the_folded_menu(world):
    request = RequestFactory().get("/")
    request.user = world.member
    html = render_to_string("base.html", {}, request)
    # Wide screens and the phone's folded menu show the same links.
    assert html.count('href="/reading/"') == 2
    assert html.count('href="/notifications/"') == 2
