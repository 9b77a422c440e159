"""The scripts stand on their own: what they share with the tests (starting the
servers, scripts/servers.py) lives under scripts/."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.config import PROJECT_ROOT

SCRIPTS = PROJECT_ROOT / "scripts"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def test_no_script_depends_on_the_test_tree():
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(
            name
            for name in _imported_modules(path)
            if name == "tests" or name.startswith("tests.")
        )
        for path in sorted(SCRIPTS.rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}
