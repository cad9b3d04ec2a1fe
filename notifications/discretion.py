"""What must never leave the app: one list, used by the outbound check and its test."""

import re

# Words that name the kind of group or sound clinical. Matched as whole words, any case.
FORBIDDEN_WORDS = (
    "addict",
    "addicts",
    "addicted",
    "addiction",
    "addictions",
    "addictive",
    "sex",
    "sexual",
    "sexuality",
    "sexually",
    "hypersexual",
    "hypersexuality",
    "cybersex",
    "porn",
    "porno",
    "pornography",
    "pornographic",
    "recovery",
    "recovering",
    "relapse",
    "sobriety",
    "abstinence",
    "therapy",
    "therapies",
    "therapist",
    "therapists",
    "therapeutic",
    "psychotherapy",
    "psychotherapist",
    "counselling",
    "counseling",
    "counsellor",
    "counselor",
    "compulsive",
    "compulsion",
    "compulsions",
    "treatment",
    "diagnosis",
    "clinical",
    "clinician",
    "patient",
    "patients",
    "psychiatric",
    "psychiatrist",
    "psychologist",
    "rehab",
    "rehabilitation",
    "mental health",
    "twelve step",
    "12-step",
    "12 step",
    "infidelity",
    "betrayal",
    "partner group",
    "partners group",
    "couples group",
    "couple group",
    "support group",
    "intake",
    "screening",
    # Questionnaires (measures): no instrument, score or safety word ever leaves the app.
    "phq",
    "gad",
    "depression",
    "depressive",
    "anxiety",
    "suicide",
    "suicidal",
    "suicidality",
    "self-harm",
    "questionnaire",
    "crisis",
)

_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(word) for word in FORBIDDEN_WORDS) + r")(?!\w)",
    re.IGNORECASE,
)


def forbidden_words_in(text: str) -> list[str]:
    """The forbidden words found in `text`, lower-cased, in order of first appearance."""
    found: list[str] = []
    for match in _PATTERN.finditer(text or ""):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found


class HeldBack(Exception):
    """A message that would say a forbidden word; it must not be sent."""

    def __init__(self, found: list[str]):
        super().__init__(f"held back: the text would say {', '.join(found)}")
        self.found = found


def check_discreet(*texts: str) -> None:
    """Raise HeldBack if any of `texts` says a forbidden word."""
    found = forbidden_words_in("\n".join(texts))
    if found:
        raise HeldBack(found)
