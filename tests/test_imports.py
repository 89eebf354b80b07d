"""Importing kingmaker is quick: the engine loads no extractor, web server or command line."""

from __future__ import annotations

import json
import subprocess
import sys

import kingmaker
import kingmaker.web

FRONT_END_LIBRARIES = ("spacy", "fastapi", "starlette", "uvicorn", "typer", "rich")


def loaded_after(statement: str) -> set[str]:
    """Names in sys.modules (and their top-level packages) after ``statement`` runs in a
    fresh interpreter."""
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    names = set(json.loads(out))
    return names | {name.split(".")[0] for name in names}


def test_importing_the_engine_loads_no_front_end_library() -> None:
    loaded = loaded_after("import kingmaker.engine")
    assert "kingmaker.engine.forecast" in loaded  # the statement did run
    assert not loaded & set(FRONT_END_LIBRARIES)


def test_import_kingmaker_loads_neither_engine_nor_service() -> None:
    loaded = loaded_after("import kingmaker")
    assert "kingmaker.errors" in loaded
    heavy = {"kingmaker.engine", "kingmaker.service", "numpy", "scipy", *FRONT_END_LIBRARIES}
    assert not loaded & heavy


def test_lazy_names_resolve_to_their_definitions() -> None:
    from kingmaker.engine import forecast
    from kingmaker.service import Kingmaker
    from kingmaker.web.app import serve

    assert kingmaker.Kingmaker is Kingmaker
    assert kingmaker.forecast is forecast
    assert set(kingmaker.__all__) <= set(dir(kingmaker))
    assert kingmaker.web.serve is serve


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        kingmaker.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("kingmaker.no_such_name did not raise AttributeError")
