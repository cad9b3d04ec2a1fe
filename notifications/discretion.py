"""What must never leave the app: one list per language, used by the outbound check and its
test. A message is checked against every language's list (one in French must not say "sex"
either), accents or not ("therapie" counts as "thérapie")."""

import re
import unicodedata
from functools import cache, lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from core.links import MARKER, TOKEN, in_force

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

# What a French reader of a shared inbox or a lock screen would take as a giveaway. Not
# "clinique" (also "the clinic", which English allows), "traitement" (also the processing of
# personal data, which privacy messages must name) or "récupération" (recovery codes).
FORBIDDEN_WORDS_FR = (
    "addiction",
    "addictions",
    "addictif",
    "addictive",
    "addictifs",
    "accro",
    "accros",
    "dépendance",
    "dépendances",
    "cyberdépendance",
    "cyberaddiction",
    "sexe",
    "sexuel",
    "sexuelle",
    "sexuels",
    "sexuelles",
    "sexualité",
    "hypersexuel",
    "hypersexuelle",
    "hypersexualité",
    "cybersexe",
    "porno",
    "pornographie",
    "pornographique",
    "pornographiques",
    "rétablissement",
    "rechute",
    "rechutes",
    "sobriété",
    "abstinence",
    "thérapie",
    "thérapies",
    "thérapeute",
    "thérapeutes",
    "thérapeutique",
    "psychothérapie",
    "psychothérapeute",
    "compulsif",
    "compulsive",
    "compulsifs",
    "compulsives",
    "compulsion",
    "compulsions",
    "diagnostic",
    "patient",
    "patiente",
    "patients",
    "patientes",
    "psychiatre",
    "psychiatrique",
    "psychologue",
    "réadaptation",
    "désintoxication",
    "désintox",
    "santé mentale",
    "douze étapes",
    "12 étapes",
    "infidélité",
    "trahison",
    "groupe de partenaires",
    "groupe des partenaires",
    "groupe de couples",
    "groupe pour couples",
    "groupe de soutien",
    "groupe de parole",
    "dépistage",
    "questionnaire",
    "dépression",
    "dépressif",
    "dépressive",
    "anxiété",
    "suicide",
    "suicidaire",
    "automutilation",
    "crise",
)

# The same for a Spanish reader. Not "clínica" (the clinic), "tratamiento" (of personal data)
# or "recuperación" (of a password, of codes: allauth's own messages say it).
FORBIDDEN_WORDS_ES = (
    "adicción",
    "adicciones",
    "adicto",
    "adicta",
    "adictos",
    "adictas",
    "adictivo",
    "adictiva",
    "dependencia",
    "ciberadicción",
    "sexo",
    "sexual",
    "sexuales",
    "sexualidad",
    "hipersexual",
    "hipersexualidad",
    "cibersexo",
    "porno",
    "pornografía",
    "pornográfico",
    "pornográfica",
    "recaída",
    "recaídas",
    "sobriedad",
    "abstinencia",
    "terapia",
    "terapias",
    "terapeuta",
    "terapeutas",
    "terapéutico",
    "terapéutica",
    "psicoterapia",
    "psicoterapeuta",
    "compulsivo",
    "compulsiva",
    "compulsivos",
    "compulsivas",
    "compulsión",
    "compulsiones",
    "diagnóstico",
    "paciente",
    "pacientes",
    "psiquiatra",
    "psiquiátrico",
    "psiquiátrica",
    "psicólogo",
    "psicóloga",
    "rehabilitación",
    "desintoxicación",
    "salud mental",
    "doce pasos",
    "12 pasos",
    "infidelidad",
    "traición",
    "grupo de parejas",
    "grupo para parejas",
    "grupo de apoyo",
    "grupo de ayuda mutua",
    "cribado",
    "tamizaje",
    "cuestionario",
    "depresión",
    "depresivo",
    "depresiva",
    "ansiedad",
    "suicidio",
    "suicida",
    "autolesión",
    "autolesiones",
    "crisis",
)

FORBIDDEN_WORDS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": FORBIDDEN_WORDS,
    "fr": FORBIDDEN_WORDS_FR,
    "es": FORBIDDEN_WORDS_ES,
}


class _WithoutMarks(dict):
    """str.translate's table that drops combining marks: filled in as characters are met."""

    def __missing__(self, code: int):
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def _fold(text: str) -> str:
    """Lower case without accents: "Thérapie" and "therapie" read alike."""
    lowered = text.lower()
    if lowered.isascii():  # most messages: nothing to take off, and a message is long
        return lowered
    # translate, not a loop over characters: a French message took a millisecond here.
    decomposed = unicodedata.normalize("NFD", lowered)
    return unicodedata.normalize("NFC", decomposed.translate(_WITHOUT_MARKS))


WORD = re.compile(r"\w+")


@cache
def _lists(languages: tuple[str, ...]) -> tuple[dict[str, str], re.Pattern[str], frozenset]:
    """{folded entry: as listed}; a pattern for the entries of several words ("12-step"),
    and the words such an entry starts with (no such word in a text: no need to look)."""
    words: dict[str, str] = {}  # folded -> as listed
    for language in languages:
        for word in FORBIDDEN_WORDS_BY_LANGUAGE[language]:
            words.setdefault(_fold(word), word)
    phrases = sorted((w for w in words if not WORD.fullmatch(w)), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")
    starts = frozenset(found[0] for phrase in phrases if (found := WORD.findall(phrase)))
    return words, pattern, starts


def forbidden_words_in(text: str, language: str | None = None) -> list[str]:
    """The forbidden words found in `text`, as listed (lower case), in order of first
    appearance: every language's list, or only `language`'s ("en", "fr", "es").

    Whole words: the text's words are looked up in the list (a message is long, and one
    pattern of every entry was most of the check's time); the entries of several words are
    matched as phrases, whose own words then do not count again."""
    languages = (language,) if language else tuple(FORBIDDEN_WORDS_BY_LANGUAGE)
    words, phrases, phrase_starts = _lists(languages)
    folded = _fold(text or "")
    present = set(WORD.findall(folded))
    if words.keys().isdisjoint(present) and phrase_starts.isdisjoint(present):
        return []
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in phrases.finditer(folded):
        hits.append((match.start(), words[match.group(1)]))
        taken.append(match.span())
    for match in WORD.finditer(folded):
        word = words.get(match.group())
        if word and not any(start <= match.start() < end for start, end in taken):
            hits.append((match.start(), word))
    found: list[str] = []
    for _at, word in sorted(hits):
        if word not in found:
            found.append(word)
    return found


@lru_cache(maxsize=512)
def forbidden_words_in_file(content: bytes) -> tuple[str, ...]:
    """forbidden_words_in for an attached file: one calendar file goes with many messages."""
    return tuple(forbidden_words_in(content.decode(errors="replace")))


# Links of Circle's own that end in a signed token or key: letters that spell nothing, or
# by chance a listed word (a reminder was held back once for "…-phq-…" in its answer link).
# Such a link is checked without its token; the rest of it, and any other link, as text.
TOKEN_ROUTES = (
    ("scheduling:link", ("token",)),
    ("scheduling:feed", ("token",)),
    ("notifications:email_preferences", ("token",)),
    ("invitation_accept", ("token",)),
    ("referrals:offer", ("token",)),
    ("account_confirm_email", ("key",)),
    ("account_reset_password_from_key", ("uidb36", "key")),
)


@lru_cache(maxsize=16)
def _token_links(site_url: str, in_force: tuple) -> re.Pattern[str]:
    starts = []
    for name, kwargs in TOKEN_ROUTES:
        try:
            path = reverse(name, kwargs=dict.fromkeys(kwargs, MARKER), urlconf=in_force[1])
        except NoReverseMatch:  # a URLconf without that app (a test's own)
            continue
        starts.append(re.escape(site_url + path.split(MARKER)[0]))
    # A token's characters run on to the first that no token holds ("/", ".ics", a space).
    return re.compile(rf"({'|'.join(starts) or '(?!)'}){TOKEN.pattern}")


def without_link_tokens(text: str) -> str:
    """`text` with the tokens of Circle's own links left out (only for checking it)."""
    return _token_links(settings.SITE_URL, in_force()).sub(r"\1", text)


class HeldBack(Exception):
    """A message that would say a forbidden word; it must not be sent."""

    def __init__(self, found: list[str]):
        super().__init__(f"held back: the text would say {', '.join(found)}")
        self.found = found


def check_discreet(*texts: str) -> None:
    """Raise HeldBack if any of `texts` says a forbidden word."""
    found = forbidden_words_in(without_link_tokens("\n".join(texts)))
    if found:
        raise HeldBack(found)
