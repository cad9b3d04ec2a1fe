"""Where the catalogues are: the apps that need one, and a marked string's extraction."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "es")
# The root templates (base, sign-in, errors) keep theirs in templates/locale (LOCALE_PATHS).
ROOT_TEMPLATES = "templates"


def our_packages() -> list[str]:
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
    return list(config["tool"]["importlinter"]["root_packages"])


def is_user_facing(package: str) -> bool:
    """Templates, or Python that marks strings: then the package needs its own catalogue.
    (config and demo have neither: settings, URLs and demo data.)"""
    root = BASE_DIR / package
    if (root / "templates").is_dir():
        return True
    return any(
        "django.utils.translation" in path.read_text()
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    )


def catalogue_dirs() -> list[str]:
    """Every directory that must have fr and es catalogues: the user-facing packages and the
    root templates."""
    return [name for name in our_packages() if is_user_facing(name)] + [ROOT_TEMPLATES]


def po_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def extract_into_copy(directory: str, tmp_path: Path, monkeypatch) -> Path:
    """A copy of `directory` with its committed catalogues, after makemessages: any string
    marked since they were last updated is in them now, untranslated (or fuzzy)."""
    copy = tmp_path / directory
    shutil.copytree(
        BASE_DIR / directory,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"),
    )
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=list(LANGUAGES), add_location="file", verbosity=0, no_obsolete=True
    )
    return copy


_STATISTICS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")


def statistics(po: Path) -> dict[str, int]:
    """msgfmt's counts, {'translated': n, 'fuzzy': n, 'untranslated': n}; format strings
    (%(name)s, {name}) are checked too, and a mismatch fails the build."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"msgfmt refuses {po}:\n{result.stderr}")
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in _STATISTICS.findall(result.stderr):
        counts[kind] = int(number)
    return counts


def untranslated_entries(po: Path) -> list[str]:
    """The msgids with an empty msgstr or a fuzzy flag, for the failure message."""
    result = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    fuzzy = re.findall(r'^msgid "(.+)"$', result.stdout, re.M)
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    missing = re.findall(r'^msgid "(.+)"$', result.stdout, re.M)
    return [f"fuzzy: {text}" for text in fuzzy] + [f"missing: {text}" for text in missing]
