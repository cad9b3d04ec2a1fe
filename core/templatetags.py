"""Template filters every page may use without {% load %} (TEMPLATES builtins): times of day
written the same way on pages as in messages, in the viewer's own time zone; `capture`;
`select_options` (templates/django/forms/widgets/select.html)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import dates

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)  # the zone the middleware activated for the viewer
    return value


@register.filter
def clock(value) -> str:
    """{{ session.starts_at|clock }} -> '7 pm'."""
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return dates.clock(_local(value))


@register.filter
def day_and_clock(value) -> str:
    """{{ session.starts_at|day_and_clock }} -> 'Tuesday 1 December, 7 pm'."""
    if not isinstance(value, datetime.datetime):
        return ""
    return dates.day_and_clock(_local(value))


@register.filter
def long_date(value) -> str:
    """{{ referral.created_at|long_date }} -> '30 November 2026' ('30 de noviembre de 2026')."""
    if not isinstance(value, datetime.date):
        return ""
    return dates.long_date(_local(value))


@register.filter
def long_day(value) -> str:
    """{{ session.starts_at|long_day }} -> 'Monday 30 November 2026'."""
    if not isinstance(value, datetime.date):
        return ""
    return dates.long_day(_local(value))


@register.filter(name="day")
def day_filter(value) -> str:
    """{{ session.starts_at|day }} -> 'Tuesday 1 December' ('martes 1 de diciembre')."""
    if not isinstance(value, datetime.date):
        return ""
    return dates.day(_local(value))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # Template output, escaped as it was rendered: kept as it is when shown.
        context[self.name] = mark_safe(self.nodelist.render(context))  # noqa: S308  # nosec B308 B703
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %}: render a part once and show it in several
    places ({{ name }}), e.g. the menu's links, listed on wide screens and folded on phones."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: True a bare name, False nothing."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _option(option: dict) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>',
        f"{option['value']}",
        _attrs(option["attrs"]),
        option["label"],
    )


def _optgroup(group_name, options) -> str:
    inner = format_html_join("\n", "{}", ((_option(option),) for option in options))
    if not group_name:
        return inner
    return format_html('<optgroup label="{}">\n{}\n</optgroup>', group_name, inner)


@register.filter
def select_options(optgroups) -> str:
    """A select's options, as Django's select_option.html writes them, in one pass: its
    template include per option costs ~0.1 ms, and the clinic's groups or the time zones
    make selects of hundreds."""
    return format_html_join(
        "\n", "{}", ((_optgroup(name, options),) for name, options, _index in optgroups)
    )
