"""The README documents every environment variable config/settings.py reads."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
ENV_CALL = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"')


def test_every_env_variable_is_in_the_readme():
    names = set(ENV_CALL.findall((BASE_DIR / "config" / "settings.py").read_text()))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CLINIC_NAME"} <= names
    readme = (BASE_DIR / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"


def test_readme_gives_exactly_two_set_up_commands():
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("## Set up on a new machine", 1)[1].split("```sh", 1)[1]
    commands = [line.split("#")[0].strip() for line in section.split("```", 1)[0].splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]
