"""PHQ-9 and GAD-7 as shipped (data, not code), scored against the published examples:
all zero, all max, each band edge (Kroenke et al. 2001; Spitzer et al. 2006), and the
item-9 flag."""

import pytest
from django.core.exceptions import ValidationError

from measures.models import Instrument
from measures.scoring import clean_answers, score, validate_definition

PHQ9_BANDS = [
    (0, "Minimal"),
    (4, "Minimal"),
    (5, "Mild"),
    (9, "Mild"),
    (10, "Moderate"),
    (14, "Moderate"),
    (15, "Moderately severe"),
    (19, "Moderately severe"),
    (20, "Severe"),
    (27, "Severe"),
]
GAD7_BANDS = [
    (0, "Minimal"),
    (4, "Minimal"),
    (5, "Mild"),
    (9, "Mild"),
    (10, "Moderate"),
    (14, "Moderate"),
    (15, "Severe"),
    (21, "Severe"),
]


def _answers_totalling(codes, total, *, last_zero=False):
    """Spread `total` over the items, 3 at most each (the last item kept 0 if asked)."""
    answers = {}
    left = total
    for index, code in enumerate(codes):
        if last_zero and index == len(codes) - 1:
            answers[code] = 0
            continue
        answers[code] = min(3, left)
        left -= answers[code]
    assert left == 0
    return answers


def _load(slug):
    instrument = Instrument.objects.get(slug=slug)
    return instrument, list(instrument.items.all())


@pytest.mark.django_db
def test_the_shipped_instruments_are_data_and_well_formed():
    # GIVEN the data migration has run
    # THEN the three instruments exist with their items, and their definitions validate
    phq, phq_items = _load("phq-9")
    gad, gad_items = _load("gad-7")
    first, first_items = _load("first-questions")
    assert [len(phq_items), len(gad_items), len(first_items)] == [9, 7, 6]
    for instrument, items in ((phq, phq_items), (gad, gad_items), (first, first_items)):
        validate_definition(instrument, items)
    assert not first.scored and first.self_service


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_totals_and_bands(total, band):
    # GIVEN answers summing to a band edge, item 9 left at 0
    phq, items = _load("phq-9")
    answers = _answers_totalling([i.code for i in items], total, last_zero=total <= 24)
    # WHEN scored
    result = score(phq, items, answers)
    # THEN the total and the published band match
    assert (result.total, result.band) == (total, band)
    assert result.flagged == (answers["phq9_9"] > 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_totals_and_bands(total, band):
    gad, items = _load("gad-7")
    result = score(gad, items, _answers_totalling([i.code for i in items], total))
    assert (result.total, result.band, result.flagged) == (total, band, False)


@pytest.mark.django_db
def test_phq9_item_9_above_zero_flags_whatever_the_total():
    phq, items = _load("phq-9")
    answers = {i.code: 0 for i in items}
    assert not score(phq, items, answers).flagged
    answers["phq9_9"] = 1
    result = score(phq, items, answers)
    assert result.flagged and (result.total, result.band) == (1, "Minimal")


@pytest.mark.django_db
def test_an_incomplete_answer_set_has_no_total_and_is_refused_when_sent():
    phq, items = _load("phq-9")
    partial = {"phq9_1": "2", "phq9_2": "1"}
    assert score(phq, items, clean_answers(items, partial, complete=False)).total is None
    with pytest.raises(ValidationError) as refused:
        clean_answers(items, partial, complete=True)
    assert "phq9_3" in refused.value.message_dict


@pytest.mark.django_db
def test_an_answer_outside_the_options_is_refused():
    _phq, items = _load("phq-9")
    with pytest.raises(ValidationError):
        clean_answers(items, {"phq9_1": "7"}, complete=False)


@pytest.mark.django_db
def test_the_unscored_first_questions_keep_text_and_score_nothing():
    first, items = _load("first-questions")
    answers = clean_answers(items, {"shame": "  sometimes  ", "nope": "x"}, complete=True)
    assert answers == {"shame": "sometimes"}
    assert score(first, items, answers).total is None


def test_a_definition_with_a_gap_in_its_bands_is_refused():
    instrument = Instrument(
        slug="x", scored=True, max_score=10, bands=[{"min": 0, "max": 4}, {"min": 6, "max": 10}]
    )
    with pytest.raises(ValidationError):
        validate_definition(instrument, [])
