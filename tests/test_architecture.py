"""Rules about the shape of the code that a reviewer would otherwise have to remember.

The layers, bottom to top (CONTRIBUTING.md draws the same picture):

    pure        concord.consensus, concord.opinion    no Django, nothing else from concord
    common      concord.common
    core        concord.audit, concord.organization, concord.accounts
    features    concord.reference, consultation, negotiation, implementation, inbox, search
    web         concord.web                            home page and cross-app pages
    top         config, concord.cli

``ALLOWED`` lists every arrow between units; any import of another unit not listed fails,
whether it is at the top of a module or inside a function, absolute or relative. Tests
(``*/tests/*``, ``conftest.py``) are outside the rule: a test may set up any app's data.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = ["concord/consensus", "concord/opinion"]

_PURE = {"consensus", "opinion"}
_BELOW_FEATURES = {"common", *_PURE}
_CORE = {"audit", "organization", "accounts"}

#: unit -> the units it may import. A unit is ``concord.<app>``, ``cli`` or ``config``.
ALLOWED: dict[str, set[str]] = {
    # pure packages: nothing from concord
    "consensus": set(),
    "opinion": set(),
    "common": set(_PURE),
    # core: the audit log, the reference model of organizations, users and permissions
    "audit": {"common"},
    "organization": {"audit", *_BELOW_FEATURES},
    "accounts": {"audit", "organization", *_BELOW_FEATURES},
    # feature apps; between them each arrow is listed and runs one way only
    "reference": {*_CORE, *_BELOW_FEATURES},
    "negotiation": {*_CORE, *_BELOW_FEATURES},
    # a statement is cited by a document provision: the Citation row lives in consultation
    # and points at negotiation's Document, so consultation reads negotiation, never back
    "consultation": {"negotiation", *_CORE, *_BELOW_FEATURES},
    "implementation": {"negotiation", *_CORE, *_BELOW_FEATURES},
    "inbox": {"negotiation", *_CORE, *_BELOW_FEATURES},
    "search": {"negotiation", *_CORE, *_BELOW_FEATURES},
    # pages that show several feature apps together
    "web": {
        "consultation",
        "negotiation",
        "implementation",
        "inbox",
        "search",
        *_CORE,
        *_BELOW_FEATURES,
    },
    # the top: settings, URL and API configuration, the command line
    "config": {
        "web",
        "reference",
        "consultation",
        "negotiation",
        "implementation",
        "inbox",
        "search",
        *_CORE,
        *_BELOW_FEATURES,
    },
    "cli": {"reference", "consultation", "negotiation", *_CORE, *_BELOW_FEATURES},
}


def unit_of(module: str) -> str | None:
    """``concord.negotiation.services.versions`` -> ``negotiation``; None outside the repo."""
    parts = module.split(".")
    if parts[0] == "config":
        return "config"
    if parts[0] != "concord":
        return None
    if len(parts) == 1:
        return "concord"
    return parts[1]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass(frozen=True)
class Arrow:
    path: str
    line: int
    source: str
    target: str
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} -> {self.target} ({self.module})"


def arrows_in(path: Path, root: Path = ROOT) -> list[Arrow]:
    """Every import in ``path`` that names another unit, wherever it stands in the module."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = unit_of(name)
    found: list[Arrow] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing package
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                targets = [".".join(base + ([node.module] if node.module else []))]
            else:
                targets = [node.module or ""]
            if node.module is None or node.level:
                # ``from concord import negotiation`` / ``from .. import x``: the names count
                targets = [f"{targets[0]}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            unit = unit_of(target)
            if unit is not None and unit != source:
                found.append(
                    Arrow(str(path.relative_to(root)), node.lineno, str(source), unit, target)
                )
    return found


def is_test(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return "tests" in parts or path.name == "conftest.py"


def violations(root: Path = ROOT) -> list[Arrow]:
    """Arrows between units that ``ALLOWED`` does not list."""
    paths = sorted((root / "concord").rglob("*.py")) + sorted((root / "config").rglob("*.py"))
    bad = []
    for path in paths:
        if is_test(path, root) or "migrations" in path.parts:
            continue
        for arrow in arrows_in(path, root):
            if arrow.target not in ALLOWED.get(arrow.source, set()):
                bad.append(arrow)
    return bad


def test_every_import_between_apps_follows_an_allowed_arrow():
    bad = violations()
    assert not bad, "imports against the layers:\n" + "\n".join(map(str, bad))


def test_every_app_is_placed_in_the_layers():
    apps = {p.parent.name for p in (ROOT / "concord").glob("*/__init__.py")}
    assert apps - set(ALLOWED) == set(), "add the new app to ALLOWED (and to CONTRIBUTING.md)"


def test_feature_apps_link_one_way():
    features = {"reference", "negotiation", "consultation", "implementation", "inbox", "search"}
    both = sorted(
        (a, b) for a in features for b in ALLOWED[a] & features if a in ALLOWED[b] and a < b
    )
    assert both == []


def test_the_checker_fails_on_an_upward_import_inside_a_function(tmp_path):
    """A synthetic tree: accounts reaching up into negotiation from inside a function, and a
    relative import from common into organization, are both named with file and line."""
    for package in ("concord", "concord/accounts", "concord/common", "config"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "concord/accounts/access.py").write_text(
        "from concord.common import errors\n\n\n"
        "def may_read(actor, document):\n"
        "    from concord.negotiation import models\n\n"
        "    return models\n"
    )
    (tmp_path / "concord/common/tags.py").write_text("from ..organization.models import State\n")
    bad = [str(arrow) for arrow in violations(tmp_path)]
    assert bad == [
        "concord/accounts/access.py:5: accounts -> negotiation (concord.negotiation)",
        "concord/common/tags.py:1: common -> organization (concord.organization.models.State)",
    ]


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


def test_selectors_never_import_a_service():
    """CONTRIBUTING: a selector reads; writing is a service's, and a service may read
    through selectors, never the other way round (which would also make a cycle)."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imports(path) if "services" in m.split("."))
        for path in [*ROOT.glob("concord/*/selectors.py"), *ROOT.glob("concord/*/selectors/*.py")]
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


def test_pages_leave_permission_decisions_to_access():
    """No view compares a role, a stage or a classification itself: it asks access.py."""
    decided = {"role", "stage", "classification"}
    offenders = []
    pages = [*ROOT.glob("concord/*/views.py"), *ROOT.glob("concord/*/desk.py")]
    for path in sorted(pages):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                named = {s.attr for s in sides if isinstance(s, ast.Attribute)}
                if named & decided:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
