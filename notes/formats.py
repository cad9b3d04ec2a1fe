"""The words of the note formats Circle ships (notes.migrations.0002), marked so makemessages
finds them. The formats are data, so their names, labels and help are translated when shown;
a label staff wrote themselves has no translation and shows as written."""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "note format"

SHIPPED = [
    pgettext_lazy("note format", "Group note"),
    pgettext_lazy("note format", "Topic"),
    pgettext_lazy("note format", "What the session was about."),
    pgettext_lazy("note format", "Themes"),
    pgettext_lazy("note format", "What came up across the group."),
    pgettext_lazy("note format", "Interventions used"),
    pgettext_lazy("note format", "Techniques, exercises, psychoeducation."),
    pgettext_lazy("note format", "Group process"),
    pgettext_lazy("note format", "How the group worked together: cohesion, conflict, safety."),
    pgettext_lazy("note format", "Plan for next session"),
    pgettext_lazy("note format", "What to pick up next time."),
    pgettext_lazy("note format", "DAP"),
    pgettext_lazy("note format", "Data"),
    pgettext_lazy("note format", "What you observed and what the member said."),
    pgettext_lazy("note format", "Assessment"),
    pgettext_lazy("note format", "Your reading of it: progress toward goals, risk."),
    pgettext_lazy("note format", "Plan"),
    pgettext_lazy("note format", "Next steps, referrals, homework."),
    pgettext_lazy("note format", "SOAP"),
    pgettext_lazy("note format", "Subjective"),
    pgettext_lazy("note format", "What the member reported, in their words."),
    pgettext_lazy("note format", "Objective"),
    pgettext_lazy("note format", "What you observed: attendance, participation, affect."),
    pgettext_lazy("note format", "Clinical impression and progress."),
    pgettext_lazy("note format", "Next steps."),
    pgettext_lazy("note format", "BIRP"),
    pgettext_lazy("note format", "Behaviour"),
    pgettext_lazy("note format", "What the member did and said."),
    pgettext_lazy("note format", "Intervention"),
    pgettext_lazy("note format", "What you did."),
    pgettext_lazy("note format", "Response"),
    pgettext_lazy("note format", "How the member responded."),
    pgettext_lazy("note format", "Free text"),
    pgettext_lazy("note format", "Note"),
]


def format_text(text: str) -> str:
    """A format's name, label or help in the active language (as written if not shipped)."""
    return pgettext(CONTEXT, text) if text else ""
