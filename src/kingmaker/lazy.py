"""Public names of a package imported on first use (PEP 562), so that importing the package
stays quick and loads no heavy dependency (spaCy, FastAPI) until one of them is used.

In a package's ``__init__``::

    __getattr__, __dir__ = attach(__name__, {"Extractor": "kingmaker.extract.extractor"})

and import the same names under ``if TYPE_CHECKING:`` for type checkers.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def attach(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` importing ``names[name]`` when ``name`` is first asked for
    (keeping the value on the package), and a ``__dir__`` listing those names too."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return __getattr__, __dir__
