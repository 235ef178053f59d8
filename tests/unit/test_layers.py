"""The package's layers depend only downwards, and no import hides inside a function.

scenario -> engine -> records -> analysis -> outputs -> presentation -> api -> app (the
web app) -> cli: a module may import from its own layer and the layers before it, never
after. ``units`` and ``errors`` are the foundation every layer may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "bosim"
LAYERS = ("foundation", "scenario", "engine", "records", "analysis", "outputs",
          "presentation", "api", "app", "top")
FOUNDATION = {"units", "errors"}
API = {"api", "plot"}
TOP = {"cli", "__init__"}
LAZY_IMPORTS_ALLOWED = {"cli.py", "__init__.py"}
"""The command line imports on demand so that ``bosim validate`` starts fast."""


def layer_of(module: str) -> int:
    """Layer index of ``bosim.x.y`` (or of a file's dotted name)."""
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    if first in FOUNDATION:
        return 0
    if first in API:
        return LAYERS.index("api")
    if first in TOP:
        return LAYERS.index("top")
    return LAYERS.index(first)


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def dotted(path: Path) -> str:
    relative = path.relative_to(SOURCE.parent).with_suffix("")
    return ".".join(relative.parts)


def imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node) for alias in node.names)
    return [(name, node) for name, node in found if name == "bosim" or name.startswith("bosim.")]


def test_every_module_belongs_to_a_layer() -> None:
    for path in modules():
        name = dotted(path)
        assert layer_of(name) >= 0, name


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_only_go_down(path: Path) -> None:
    name = dotted(path)
    own = layer_of(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for imported, _ in imports(tree):
        if imported == "bosim":
            assert own == LAYERS.index("top"), f"{name} imports the bosim package itself"
            continue
        assert layer_of(imported) <= own, (
            f"{name} ({LAYERS[own]}) imports {imported} ({LAYERS[layer_of(imported)]})"
        )


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_import_inside_a_function(path: Path) -> None:
    if path.name in LAZY_IMPORTS_ALLOWED and path.parent == SOURCE:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                assert not isinstance(node, ast.Import | ast.ImportFrom), (
                    f"{dotted(path)}.{function.name} imports inside a function "
                    f"(line {node.lineno})"
                )


def test_the_checker_sees_a_wrong_way_import() -> None:
    """The rule itself: an engine module importing analysis is caught."""
    tree = ast.parse("from bosim.analysis import Results\n")
    (imported, _), = imports(tree)
    assert layer_of(imported) > layer_of("bosim.engine.flow")


def test_only_the_command_line_imports_the_app() -> None:
    """``import bosim`` must not load the web app (and its web server)."""
    for path in modules():
        name = dotted(path)
        if name.startswith("bosim.app") or path.name == "cli.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for imported, _ in imports(tree):
            assert not imported.startswith("bosim.app"), f"{name} imports {imported}"
