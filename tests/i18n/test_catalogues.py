"""CI fails when a string is marked without translations (issue 19, point 5).

For every package with something a person reads (and the root templates), makemessages runs
on a copy with the committed catalogues: a string marked but never extracted, or extracted but
not translated, or fuzzy, shows up as untranslated there. The real files are never touched.
"""

import os
import shutil

import pytest

from tests.i18n.catalogues import (
    BASE_DIR,
    LANGUAGES,
    catalogue_dirs,
    extract_into_copy,
    po_path,
    statistics,
    untranslated_entries,
)

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("CIRCLE_REQUIRE_SERVICES") != "1",
    reason="needs GNU gettext (apt-get install gettext); required in CI",
)


@pytest.mark.parametrize("directory", catalogue_dirs())
def test_every_user_facing_package_has_french_and_spanish_catalogues(directory):
    missing = [
        str(po_path(BASE_DIR / directory, language).relative_to(BASE_DIR))
        for language in LANGUAGES
        if not po_path(BASE_DIR / directory, language).is_file()
    ]
    assert not missing, (
        f"{directory}/ has pages or marked strings but no catalogue: {missing} "
        f"(mkdir {directory}/locale, then `make messages`)"
    )


@pytest.mark.parametrize("directory", catalogue_dirs())
def test_every_marked_string_is_translated(directory, tmp_path, monkeypatch):
    if not po_path(BASE_DIR / directory, "fr").is_file():
        pytest.fail(f"{directory}/ has no catalogue yet (see the test above)")
    copy = extract_into_copy(directory, tmp_path, monkeypatch)
    problems = []
    for language in LANGUAGES:
        po = po_path(copy, language)
        counts = statistics(po)
        if counts["fuzzy"] or counts["untranslated"]:
            entries = untranslated_entries(po)
            shown = "\n    ".join(entries[:15]) + ("\n    ..." if len(entries) > 15 else "")
            problems.append(
                f"{directory} [{language}]: {counts['untranslated']} untranslated, "
                f"{counts['fuzzy']} fuzzy (run `make messages`, translate, unfuzzy):\n    {shown}"
            )
    assert not problems, "\n".join(problems)
