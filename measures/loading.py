"""Loading instruments from data (measures/data/instruments.json): used by the data migration,
with the migration's historical models, so it never depends on today's model code."""

import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "instruments.json"


def instrument_definitions(path: Path = DATA_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def instruments_load(instrument_model, item_model, definitions: list[dict]) -> int:
    """Create or update each instrument and its items by slug and code. Safe to run twice."""
    count = 0
    for definition in definitions:
        fields = {k: v for k, v in definition.items() if k not in ("slug", "items")}
        instrument, _ = instrument_model.objects.update_or_create(
            slug=definition["slug"], defaults=fields
        )
        for position, item in enumerate(definition["items"], 1):
            item_model.objects.update_or_create(
                instrument=instrument,
                code=item["code"],
                defaults={
                    "position": position,
                    "text": item["text"],
                    "kind": item.get("kind", "choice"),
                    "options": item.get("options", []),
                    "scored": item.get("scored", True),
                    "required": item.get("required", True),
                },
            )
        count += 1
    return count
