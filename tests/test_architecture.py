"""Rules about the shape of the code that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = ["concord/consensus", "concord/opinion"]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", PURE)
def test_pure_modules_import_no_django(package):
    files = list((ROOT / package).rglob("*.py"))
    assert files, f"{package} has no modules"
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            m for m in imports(p) if m.split(".")[0] in {"django", "ninja"}
        )
        for p in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_migrations_are_named_by_intent():
    auto = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("concord/*/migrations/*_auto_*.py"))
    assert auto == []


def test_views_and_api_handlers_never_fetch_by_a_user_given_primary_key():
    offenders = []
    for path in list(ROOT.glob("concord/*/views.py")) + list(ROOT.glob("concord/*/api.py")):
        text = path.read_text(encoding="utf-8")
        if ".get(pk=" in text or ".get(id=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
