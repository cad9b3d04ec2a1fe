"""Scoring an instrument from its data: the total (sum of scored choice items), subscales,
the severity band and the flag rules. Pure functions over an instrument and its items."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from measures.models import Instrument, ItemKind


@dataclass
class Score:
    total: int | None
    band: str = ""
    subscales: dict = field(default_factory=dict)
    flagged: bool = False


def _value(answers: dict, code: str) -> int | None:
    raw = answers.get(code)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def band_for(instrument: Instrument, total: int | None) -> str:
    if total is None:
        return ""
    for band in instrument.bands or []:
        if int(band["min"]) <= total <= int(band["max"]):
            return str(band["label"])
    return ""


def flagged(instrument: Instrument, answers: dict, total: int | None) -> bool:
    """True when any of the instrument's flag rules is met by these answers."""
    for rule in instrument.flag_rules or []:
        if "item" in rule:
            value = _value(answers, rule["item"])
            if value is not None and value >= int(rule.get("at_least", 1)):
                return True
        elif (
            "total_at_least" in rule and total is not None and total >= int(rule["total_at_least"])
        ):
            return True
    return False


def score(instrument: Instrument, items, answers: dict) -> Score:
    """Score `answers` ({item code: value}); unscored instruments get no total."""
    items = list(items)
    if not instrument.scored:
        return Score(total=None, flagged=flagged(instrument, answers, None))
    scored = [i for i in items if i.scored and i.kind == ItemKind.CHOICE]
    values = [_value(answers, i.code) for i in scored]
    total = sum(v for v in values if v is not None) if all(v is not None for v in values) else None
    subscales = {}
    for name, codes in (instrument.subscales or {}).items():
        parts = [_value(answers, code) for code in codes]
        if all(v is not None for v in parts):
            subscales[name] = sum(v for v in parts if v is not None)
    return Score(
        total=total,
        band=band_for(instrument, total),
        subscales=subscales,
        flagged=flagged(instrument, answers, total),
    )


def clean_answers(items, raw: dict, *, complete: bool) -> dict:
    """Keep only known items and allowed values. With `complete`, every required item must
    be answered (a field-keyed ValidationError names the ones missing)."""
    answers: dict = {}
    missing = {}
    for item in items:
        value = raw.get(item.code)
        if item.kind == ItemKind.CHOICE:
            allowed = {str(option["value"]) for option in item.options or []}
            value = str(value) if value not in (None, "") else ""
            if value and value not in allowed:
                raise ValidationError({item.code: _("Choose one of the answers.")})
            if value:
                answers[item.code] = int(value)
        else:
            value = (value or "").strip()[:2000]
            if value:
                answers[item.code] = value
        if complete and item.required and item.code not in answers:
            missing[item.code] = _("Please answer this one.")
    if missing:
        raise ValidationError(missing)
    return answers


def validate_definition(instrument: Instrument, items) -> None:
    """Bands must cover 0..max_score without gaps; rules must name items that exist.
    Called by the admin (staff define instruments there) and by the fixture test."""
    codes = {i.code for i in items}
    errors = []
    if instrument.scored and instrument.bands:
        edges = sorted((int(b["min"]), int(b["max"])) for b in instrument.bands)
        expected = 0
        for low, high in edges:
            if low != expected or high < low:
                errors.append(_("Bands must run from 0 without gaps or overlaps."))
                break
            expected = high + 1
        if instrument.max_score is not None and expected - 1 != instrument.max_score:
            errors.append(_("The last band must end at the highest score."))
    for rule in instrument.flag_rules or []:
        if "item" in rule and rule["item"] not in codes:
            errors.append(
                _("A flag rule names an item that does not exist: %(code)s.")
                % {"code": rule["item"]}
            )
    for codes_in in (instrument.subscales or {}).values():
        if set(codes_in) - codes:
            errors.append(_("A subscale names an item that does not exist."))
    if errors:
        raise ValidationError(errors)
