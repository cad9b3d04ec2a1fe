"""Loading instruments from data (measures/data/instruments.json): used by the data migration,
with the migration's historical models, so it never depends on today's model code."""

import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "instruments.json"


def instrument_definitions(path: Path = DATA_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()}


def instruments_load(instrument_model, item_model, definitions: list[dict]) -> int:
    """Create or update each instrument and its items by slug and code. Safe to run twice.
    Keys the (historical) model has no field for yet are left out: an older migration loads
    what its models hold, a later one the rest."""
    instrument_fields = _field_names(instrument_model)
    item_has_translations = "translations" in _field_names(item_model)
    count = 0
    for definition in definitions:
        fields = {
            k: v
            for k, v in definition.items()
            if k not in ("slug", "items") and k in instrument_fields
        }
        instrument, _ = instrument_model.objects.update_or_create(
            slug=definition["slug"], defaults=fields
        )
        for position, item in enumerate(definition["items"], 1):
            defaults = {
                "position": position,
                "text": item["text"],
                "kind": item.get("kind", "choice"),
                "options": item.get("options", []),
                "scored": item.get("scored", True),
                "required": item.get("required", True),
            }
            if item_has_translations:
                defaults["translations"] = item.get("translations", {})
            item_model.objects.update_or_create(
                instrument=instrument, code=item["code"], defaults=defaults
            )
        count += 1
    return count


def _with_labels(rows: list, shipped: list, key: str) -> list:
    """`rows` (bands or options as stored) with the shipped rows' `labels` where `key` matches."""
    labels = {row[key]: row["labels"] for row in shipped if "labels" in row}
    return [{**row, "labels": labels[row[key]]} if row.get(key) in labels else row for row in rows]


def translations_load(instrument_model, item_model, definitions: list[dict]) -> int:
    """Add the shipped translations to instruments already loaded, changing nothing else (a
    clinic may have edited its copy). Safe to run twice."""
    count = 0
    for definition in definitions:
        instrument = instrument_model.objects.filter(slug=definition["slug"]).first()
        if instrument is None:
            continue
        instrument.translations = definition.get("translations", {})
        instrument.bands = _with_labels(
            instrument.bands or [], definition.get("bands", []), "label"
        )
        instrument.save(update_fields=["translations", "bands"])
        for shipped in definition["items"]:
            item = item_model.objects.filter(instrument=instrument, code=shipped["code"]).first()
            if item is None:
                continue
            item.translations = shipped.get("translations", {})
            item.options = _with_labels(item.options or [], shipped.get("options", []), "value")
            item.save(update_fields=["translations", "options"])
        count += 1
    return count
