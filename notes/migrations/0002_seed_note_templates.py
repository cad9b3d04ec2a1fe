"""The note formats a clinic starts with: the group note's sections, DAP, SOAP, BIRP and free.

Data, not code: staff change labels and help, or add a format, in the admin site.
"""

from django.db import migrations

# Progress notes start with the member's attendance and these parts of the group note.
SHARED = {"into": None, "from": ["topic", "themes", "interventions"]}

TEMPLATES = [
    {
        "key": "group",
        "name": "Group note",
        "use": "group",
        "is_default": True,
        "fields": [
            ("topic", "Topic", "What the session was about."),
            ("themes", "Themes", "What came up across the group."),
            ("interventions", "Interventions used", "Techniques, exercises, psychoeducation."),
            ("process", "Group process", "How the group worked together: cohesion, conflict, safety."),
            ("plan", "Plan for next session", "What to pick up next time."),
        ],
    },
    {
        "key": "dap",
        "name": "DAP",
        "use": "progress",
        "is_default": True,
        "into": "data",
        "fields": [
            ("data", "Data", "What you observed and what the member said."),
            ("assessment", "Assessment", "Your reading of it: progress toward goals, risk."),
            ("plan", "Plan", "Next steps, referrals, homework."),
        ],
    },
    {
        "key": "soap",
        "name": "SOAP",
        "use": "progress",
        "into": "objective",
        "fields": [
            ("subjective", "Subjective", "What the member reported, in their words."),
            ("objective", "Objective", "What you observed: attendance, participation, affect."),
            ("assessment", "Assessment", "Clinical impression and progress."),
            ("plan", "Plan", "Next steps."),
        ],
    },
    {
        "key": "birp",
        "name": "BIRP",
        "use": "progress",
        "into": "behavior",
        "fields": [
            ("behavior", "Behaviour", "What the member did and said."),
            ("intervention", "Intervention", "What you did."),
            ("response", "Response", "How the member responded."),
            ("plan", "Plan", "Next steps."),
        ],
    },
    {
        "key": "free",
        "name": "Free text",
        "use": "progress",
        "into": "note",
        "fields": [("note", "Note", "")],
    },
]


def seed(apps, schema_editor):
    NoteTemplate = apps.get_model("notes", "NoteTemplate")
    for position, spec in enumerate(TEMPLATES):
        shared = {"into": spec["into"], "from": SHARED["from"]} if spec.get("into") else {}
        NoteTemplate.objects.update_or_create(
            key=spec["key"],
            defaults={
                "name": spec["name"],
                "use": spec["use"],
                "is_default": spec.get("is_default", False),
                "position": position,
                "shared_from_group": shared,
                "fields": [
                    {"key": key, "label": label, "help": help_text}
                    for key, label, help_text in spec["fields"]
                ],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_notes_templates_and_notes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
