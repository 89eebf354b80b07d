"""Layering: the core never imports the front ends; every module says what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

import kingmaker

PKG = Path(kingmaker.__file__).parent
FRONT_ENDS = ("kingmaker.cli", "kingmaker.web")


def modules() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_a_front_end() -> None:
    for path in modules():
        rel = path.relative_to(PKG).parts
        if rel[0] in ("cli", "web", "__main__.py"):  # front ends, and `python -m`'s entry
            continue
        bad = {n for n in imported(path) if n.startswith(FRONT_ENDS)}
        assert not bad, f"{path.relative_to(PKG)} imports {bad}"


def test_every_module_starts_with_a_docstring() -> None:
    for path in modules():
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc, f"{path.relative_to(PKG)} has no module docstring"


def test_public_api_is_sorted_and_importable() -> None:
    assert kingmaker.__all__ == sorted(kingmaker.__all__)
    for name in kingmaker.__all__:
        assert hasattr(kingmaker, name)
