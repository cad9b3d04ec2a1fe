"""The walls are asked in one place each: who is in a group in groups/, a person's couple in
members/. Any other module that queries those tables directly is a place a wall could open.

The import layering itself is import-linter's job (`make qa`); these checks cover what an import
graph cannot see: a query through a reverse relation, or a model reached without importing it.
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Every app the import contracts know (pyproject.toml): a new app is checked from day one.
APPS = tuple(
    tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"
    ]
)


def _modules(outside: str):
    """Python files of our apps outside `outside`, without migrations and admin modules."""
    for app in APPS:
        if app == outside:
            continue
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "admin.py":
                continue
            yield path


def _where(path: Path) -> str:
    return str(path.relative_to(BASE_DIR)) if path.is_relative_to(BASE_DIR) else path.name


def _uses(path: Path, model: str, related: tuple[str, ...]) -> list[str]:
    """Lines of `path` that name `model`, or reach it through a reverse relation (`related`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        hit = (
            (isinstance(node, ast.Name) and node.id == model)
            or (isinstance(node, ast.alias) and node.name.split(".")[-1] == model)
            or (isinstance(node, ast.Attribute) and node.attr in (model, *related))
            or (isinstance(node, ast.keyword) and node.arg and node.arg.startswith(related))
            or (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and any(
                    node.value.startswith(f"{name}__") or f"__{name}__" in node.value
                    for name in related
                )
            )
        )
        if hit:
            found.add(f"{_where(path)}:{node.lineno}")
    return sorted(found)


def _offenders(outside: str, model: str, related: tuple[str, ...]) -> list[str]:
    return [line for path in _modules(outside) for line in _uses(path, model, related)]


def test_only_groups_queries_enrollments():
    offenders = _offenders("groups", "Enrollment", ("enrollments",))
    assert not offenders, (
        f"Ask groups.selectors (the membership API) instead of querying Enrollment: {offenders}"
    )


def test_only_members_queries_couples():
    offenders = _offenders("members", "Couple", ("couples_as_first", "couples_as_second"))
    assert not offenders, f"Ask members.selectors.current_couple_of instead: {offenders}"


def test_the_check_sees_a_direct_query(tmp_path):
    """The scanner catches each way of reaching the table (so the two tests above mean it)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from groups.models import Enrollment\n"
        "Enrollment.objects.filter(member=1)\n"
        "User.objects.filter(enrollments__group=1)\n"
        "group.enrollments.filter(status='active')\n"
        "Group.objects.filter(Q(enrollments__member_id=1))\n"
    )
    sample_lines = _uses(sample, "Enrollment", ("enrollments",))
    assert sample_lines == [f"sample.py:{line}" for line in range(1, 6)]


def test_no_function_level_imports_of_our_apps():
    """An import inside a function is how a cycle hides from the import graph's reader."""
    offenders = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(func):
                    if (
                        isinstance(node, ast.ImportFrom)
                        and (node.module or "").split(".")[0] in APPS
                    ):
                        offenders.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}")
                    if isinstance(node, ast.Import) and any(
                        alias.name.split(".")[0] in APPS for alias in node.names
                    ):
                        offenders.append(f"{path.relative_to(BASE_DIR)}:{node.lineno}")
    assert not offenders, f"Import at module level (or add an entry point): {offenders}"


@pytest.mark.skipif(
    not (BASE_DIR / ".venv" / "bin" / "lint-imports").exists()
    and not Path(sys.executable).with_name("lint-imports").exists(),
    reason="import-linter is not installed",
)
def test_import_contracts_hold():
    """The same contracts `make qa` checks, so a plain test run also catches a wrong import."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 (our own venv's tool, fixed arguments)
        [str(lint), "--no-cache"], cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]
