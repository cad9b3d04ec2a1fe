"""Finding English left on a page rendered in French or Spanish.

The page's visible text (text nodes, titles, labels read aloud, button values; no scripts,
styles or typed text) is cut into its text runs; a run that still holds a common English word
(one that is not also a French or Spanish word) is English left behind. Data (people's names,
group names, what someone typed) comes from the database and is taken out first.
"""

import json
import re
from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Function words and the words of Circle's screens, in English only: "on", "plan", "note",
# "question", "date", "message", "file", "session" (a sign-in's, in French), "invite" (Spanish
# "please invite"), "change" (French "it changes") and the like are French or Spanish words
# too, so they are not here.
_WORDS = """
    the and with without your yours you of to in at by for from about into over after
    before since until while we our they them their she his her its it this that these
    those there here what which who whom whose when where why how is are was were be been
    being has have had does did will would can could should may might must not yes all
    any each every some none only also just more most than then very too now yet still
    again already never always if but because please thank thanks hello don doesn didn
    isn aren wasn won couldn shouldn wouldn haven hasn ll
    upcoming group groups sign signed save saved cancel cancelled canceled edit
    delete remove add send sent share shared sharing reading readings attendance settings
    account accounts password name member members facilitator facilitators request
    requests waiting list next previous back week weeks day days hour hours month months
    year years today tomorrow yesterday open close closed show view download upload link
    links going maybe reminder reminders help search filter copy exit record records take
    taken turn off nothing nobody everyone someone people person choose enter write read
    changed update updated create created invited withdraw stop start starts
    join leave left late early first last other others new address phone language summary
    history calendar feed letter letters agreement offer seat seats staff clinic home
    answer answers see seen find found keep kept ask asked make made get set used using
    time times partner partners excused roll kind level online
"""
ENGLISH_WORDS = frozenset(_WORDS.split())
# Names of things that are English in every language (products people look for).
PROPER_NAMES = ("1Password", "Google Authenticator")
# Left in English by the libraries themselves, not by a missing translation of ours (the
# admin's search icon: alt="Search" is not marked in Django's own template).
THIRD_PARTY_LEFTOVERS = frozenset({"Search"})

_WORD = re.compile(r"[^\W\d_]+")
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"https?://\S+")
_CODE = re.compile(r"[a-z0-9_.:\-]+")
# Elements whose content is not text a person reads as the page's words.
_SKIPPED = {"script", "style", "template", "textarea", "code", "pre", "svg"}
_READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A time-zone option names a place (data from the tz database, not our words).
        if tag in _SKIPPED or (tag == "option" and "/" in (attributes.get("value") or "")):
            self._skipping.append(tag)
        for name in _READ_ATTRIBUTES:
            if attributes.get(name):
                self.runs.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.runs.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.runs.append(data)


def visible_text_runs(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return [" ".join(run.split()) for run in parser.runs if run.strip()]


def english_words(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    return [word for word in _WORD.findall(text) if word.lower() in ENGLISH_WORDS]


def _strings_in(value) -> list[str]:
    """The text in a stored value: itself, or what a JSON document (a field, or text that
    holds JSON, like a note's sections) carries."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return [value] if isinstance(value, str) else []


def data_strings() -> list[str]:
    """Every free-text value in the database (names, titles, typed text), longest first: a
    page shows them as they are, in whatever language they were written."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not field.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields)[:500]:
            for value in (text for stored in row for text in _strings_in(stored)):
                if _CODE.fullmatch(value):
                    continue
                for line in value.splitlines():
                    line = " ".join(line.split())
                    if len(line) >= 2:
                        found.add(line)
    return sorted(found, key=len, reverse=True)


def english_left(html: str, data: "callable") -> list[tuple[list[str], str]]:
    """(English words, the run they are in) for each run still in English once the data is
    taken out. `data()` gives the data strings (asked only when a run looks English)."""
    findings = []
    for run in visible_text_runs(html):
        if run in THIRD_PARTY_LEFTOVERS or not english_words(run):
            continue
        cleaned = run
        for value in data():
            if value in cleaned:
                cleaned = cleaned.replace(value, " ")
        words = english_words(cleaned)
        if words:
            findings.append((words, run[:140]))
    return findings


_SOURCE_SUFFIXES = (".html", ".txt", ".py")
# A page title ends with the clinic's name: "Upcoming sessions · Zenit".
_TITLE_SUFFIX = re.compile(r"\s·\s[^·]*$")


@cache
def _sources() -> dict[str, str]:
    """Each catalogue directory's templates and code, whitespace folded: where a run was
    written, so the report names the app to translate."""
    from tests.i18n.catalogues import BASE_DIR, catalogue_dirs

    texts = {}
    for directory in catalogue_dirs():
        parts = [
            path.read_text(errors="replace")
            for path in (BASE_DIR / directory).rglob("*")
            if path.suffix in _SOURCE_SUFFIXES
            and "locale" not in path.parts
            and "migrations" not in path.parts
        ]
        texts[directory] = " ".join(" ".join(parts).split())
    return texts


def _registry_app(run: str) -> str | None:
    """The app whose name or model names (as the admin shows them, in the active language)
    are in `run`: the admin's index lists every app and model."""
    ours = set(_sources())
    for config in apps.get_app_configs():
        directory = config.name.split(".")[0]
        if directory not in ours:
            continue
        names = {str(config.verbose_name)}
        for model in config.get_models():
            names |= {str(model._meta.verbose_name), str(model._meta.verbose_name_plural)}
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", run, re.I) for name in names):
            return directory
    return None


def source_of(run: str, hint: str = "") -> str:
    """The app whose templates or code hold `run` (or three words of it in a row), else
    "third-party" (allauth, Django) or data the crawl could not tell apart. `hint`, the app
    of the page's view, settles a phrase several apps use."""
    run = _TITLE_SUFFIX.sub("", run).strip().rstrip(":").strip()
    if hint == "django":  # the admin: its words are Django's, the names are an app's
        return _registry_app(run) or "third-party"
    words = run.split()
    pieces = [run] + [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 0))]
    for piece in pieces:
        holders = [directory for directory, text in _sources().items() if piece in text]
        if holders:
            return hint if hint in holders else holders[0]
    return _registry_app(run) or "third-party"
