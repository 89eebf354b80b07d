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


# What a front end may import of kingmaker: the service (the one door to the core), the
# records it returns, the errors it raises, the report package (charts, exports), its own
# package, and the package itself (__version__) and its lazy-import helper.
FRONT_END_MAY_IMPORT = (
    "kingmaker.service",
    "kingmaker.records",
    "kingmaker.errors",
    "kingmaker.report",
    "kingmaker.lazy",
)
# The command line starts the web server and writes its pages (serve, exports).
FRONT_END_MAY_ALSO = {"cli": ("kingmaker.web",), "web": ()}
# Imports still to move behind the service, each (module, what it imports). The list only
# shrinks: an entry no longer needed fails the test, so that it is taken off.
NOT_YET: set[tuple[str, str]] = set()


def front_end_imports() -> set[tuple[str, str]]:
    """(module, imported) for every import of the core by the front ends."""
    found = set()
    for front in ("cli", "web"):
        allowed = (*FRONT_END_MAY_IMPORT, f"kingmaker.{front}", *FRONT_END_MAY_ALSO[front])
        for path in sorted((PKG / front).rglob("*.py")):
            for name in imported(path):
                if name == "kingmaker" or not name.startswith("kingmaker."):
                    continue
                if not any(name == a or name.startswith(a + ".") for a in allowed):
                    found.add((path.relative_to(PKG).as_posix(), name))
    return found


def test_front_ends_import_only_the_service_records_errors_and_report() -> None:
    found = front_end_imports()
    new = sorted(found - NOT_YET)
    assert not new, f"front ends import the core past the service: {new}"
    done = sorted(NOT_YET - found)
    assert not done, f"take these off NOT_YET in tests/test_architecture.py: {done}"


# The ingest stage is pure (read, normalise, date, match, de-duplicate against signatures
# handed in): what stores its articles, extracts from them or serves them sits above it.
INGEST_MAY_NOT_IMPORT = (
    "kingmaker.store",
    "kingmaker.newsdesk",
    "kingmaker.service",
    "kingmaker.extract",
    "kingmaker.pipeline",
)


def imported_anyhow(path: Path) -> set[str]:
    """What ``imported`` finds, with ``from kingmaker import store`` as kingmaker.store and
    relative imports made absolute."""
    package = ".".join(("kingmaker", *path.relative_to(PKG).parent.parts))
    names = set(imported(path))
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


def test_ingest_imports_no_store_newsdesk_service_nor_extractor() -> None:
    found = sorted(
        (path.relative_to(PKG).as_posix(), name)
        for path in sorted((PKG / "ingest").rglob("*.py"))
        for name in imported_anyhow(path)
        if any(name == b or name.startswith(b + ".") for b in INGEST_MAY_NOT_IMPORT)
    )
    assert not found, f"ingest/ must stay pure, but imports: {found}"


def test_every_module_starts_with_a_docstring() -> None:
    for path in modules():
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc, f"{path.relative_to(PKG)} has no module docstring"


def test_public_api_is_sorted_and_importable() -> None:
    assert kingmaker.__all__ == sorted(kingmaker.__all__)
    for name in kingmaker.__all__:
        assert hasattr(kingmaker, name)
