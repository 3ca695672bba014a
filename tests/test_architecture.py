"""The app layering docs/ARCHITECTURE.md describes, checked on the code: each app imports
only the apps below it (so no cycle), core imports no domain app, and nothing imports
another module's private (`_name`) helpers."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "gugus"
# Lowest first; an app may import the apps before it in this list, never after.
LAYERS = [
    "core",
    "directory",
    "accounts",
    "communities",
    "grants",
    "competency",
    "partnership",
    "training",
    "performance",
    "insights",
    "privacy",
    "demo",
]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE).parts
        app = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "project"
        yield path, app, ast.parse(path.read_text())


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gugus."):
            yield node


@pytest.mark.parametrize("layer", LAYERS)
def test_an_app_imports_only_the_apps_below_it(layer):
    allowed = set(LAYERS[: LAYERS.index(layer)])
    wrong = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} imports {node.module}"
        for path, app, tree in _modules()
        if app == layer
        for node in _imports(tree)
        if (target := node.module.split(".")[1]) in LAYERS and target != app
        if target not in allowed
    ]
    assert wrong == []


def test_nothing_imports_a_private_name_from_another_module():
    wrong = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} imports {alias.name} from {node.module}"
        for path, _app, tree in _modules()
        for node in _imports(tree)
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert wrong == []
