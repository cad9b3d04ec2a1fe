"""The crawl's English detector (the crawl itself: test_crawl_languages.py)."""

from tests.i18n.english import english_left, english_words, source_of, visible_text_runs

PAGE = """<html><head><title>Vos séances · Zenit</title><style>.a{}</style>
<script>var the = "your session";</script></head><body>
<h1>Vos séances</h1><p>Bonjour Sam, votre séance du mardi à 19 h.</p>
<button aria-label="Save your settings">Enregistrer</button>
<input type="submit" value="Cancel"><input type="text" value="What they typed">
<textarea>notes typed by someone</textarea>
<select><option value="Europe/Isle_of_Man">Europe/Isle of Man</option>
<option value="x">Choisir</option></select>
<p>Su sesión del martes, 19:00. Invite a alguien.</p>
<p>Ask <a href="/x">Sam Staff</a> to share the link with Robin</p></body></html>"""


def test_visible_text_leaves_out_scripts_styles_typed_text_and_places():
    runs = visible_text_runs(PAGE)
    assert "Vos séances · Zenit" in runs and "Save your settings" in runs and "Cancel" in runs
    joined = " ".join(runs)
    for hidden in ("var the", ".a{}", "What they typed", "notes typed", "Isle of Man"):
        assert hidden not in joined


def test_french_and_spanish_words_are_not_taken_for_english():
    for text in (
        "Votre séance du mardi à 19 h : rien ne change, note, date, message, session.",
        "Su sesión del martes. Invite a alguien, plan, total, no.",
        "Ouvrez 1Password ou Google Authenticator.",
    ):
        assert english_words(text) == [], text
    assert english_words("Save your settings, alex@example.org") == ["Save", "your", "settings"]


def test_data_is_taken_out_before_judging():
    found = english_left(PAGE, lambda: ["Sam Staff", "Robin"])
    runs = [run for _words, run in found]
    assert "Save your settings" in runs and "Cancel" in runs
    assert "Ask" in runs and "to share the link with Robin" in runs
    assert "Sam Staff" not in runs
    assert all("séance" not in run for run in runs)


def test_a_run_is_traced_to_the_app_that_wrote_it():
    assert source_of("We can't find that page · Zenit") == "templates"
    assert source_of("Nobody shares anything with you.", hint="members") == "members"
    assert source_of("Words nobody wrote anywhere in Circle") == "third-party"
