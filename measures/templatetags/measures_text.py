from django import template

register = template.Library()


@register.filter
def band_in(label: str, instrument) -> str:
    """A stored band label (kept as scored, in English) in the active language."""
    return instrument.band_label(label) if label else label
