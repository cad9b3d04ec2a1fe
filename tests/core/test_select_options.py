"""Selects are written by core.templatetags.select_options, not by Django's include per
option: the same options, attributes and escaping as Django's own templates write."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

CHOICES = [
    ("", "---------"),
    ("Groups", [(1, "Harbour & <Oak>"), (2, 'Willow "evening"')]),
    ("Europe/London", "London"),
    (None, "Nothing"),
]


class PickForm(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)


def _options(html: str) -> list[str]:
    return [part.strip() for part in re.findall(r"<(?:option|optgroup|/optgroup)[^>]*>[^<]*", html)]


def test_select_options_match_djangos_own_markup():
    form = PickForm(data={"one": "2", "many": ["1", "Europe/London"]})
    for name in ("one", "many"):
        ours = str(form[name])
        field = form[name]
        djangos = field.field.widget.render(
            field.html_name,
            field.value(),
            attrs={"id": field.auto_id, **field.build_widget_attrs({})},
            renderer=DjangoTemplates(),
        )
        assert _options(ours) == _options(djangos)
        assert ours.split(">", 1)[0] == djangos.split(">", 1)[0]  # the select's own tag
    assert '<option value="2" selected>Willow &quot;evening&quot;</option>' in str(form["one"])
    assert "Harbour &amp; &lt;Oak&gt;" in str(form["one"])
    assert '<optgroup label="Groups">' in str(form["many"])
