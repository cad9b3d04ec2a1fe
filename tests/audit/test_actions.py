"""Every action code written anywhere is one audit.actions knows, with a label."""

import ast
from pathlib import Path

from audit.actions import ACTIONS, CHOICES, label

BASE_DIR = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "tests", "node_modules", "migrations"}


def _recorded_codes():
    """(file:line, code) for every audit.record("...") / audit.record_many("...") call."""
    for path in BASE_DIR.rglob("*.py"):
        if SKIP & set(path.relative_to(BASE_DIR).parts):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("record", "record_many")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("audit", "api")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{path.relative_to(BASE_DIR)}:{node.lineno}", node.args[0].value


def test_every_recorded_action_is_listed():
    found = list(_recorded_codes())
    assert len(found) > 20  # the scan sees the calls
    unknown = [(where, code) for where, code in found if code not in ACTIONS]
    assert not unknown, f"add these to audit/actions.py: {unknown}"


def test_codes_are_dotted_unique_and_labelled():
    codes = [code for code, _ in CHOICES]
    assert len(codes) == len(set(codes))
    for code, text in CHOICES:
        assert code.count(".") == 1 and code == code.lower()
        assert text and text[0].isupper()
    assert label("no.such") == "no.such"
