"""The shared data sets are found beside the repository, and a missing one skips its test,
or fails it when ``KINGMAKER_REQUIRE_SERVICES=1``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import shared_data
from shared_data import REQUIRE_VAR, ROOT, shared_path


def test_the_shared_folder_is_resolved_beside_the_repository_root() -> None:
    assert (ROOT / "pyproject.toml").is_file()
    assert ROOT.parent / "shared" == shared_data.SHARED


def test_a_missing_data_set_skips_when_services_are_not_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REQUIRE_VAR, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"\.\./shared/data/no-such-set"):
        shared_path("data/no-such-set")


def test_a_missing_data_set_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(REQUIRE_VAR, "1")
    with pytest.raises(pytest.fail.Exception, match=f"no-such-set.*{REQUIRE_VAR}=1"):
        shared_path("data/no-such-set")


def test_a_present_data_set_is_returned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.setattr(shared_data, "SHARED", tmp_path)
    assert shared_path("data") == tmp_path / "data"


MACHINE_PATH = re.compile(r"""["'](?:/work|/home|/root|/Users|/mnt|/srv|/data)/""")


def test_no_test_benchmark_or_script_names_a_machine_path() -> None:
    """Shared data are found beside the repository (``../shared``), on any machine."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("tests", "benchmarks", "scripts", "src")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_PATH.search(line) and "MACHINE_PATH" not in line
    ]
    assert found == []
