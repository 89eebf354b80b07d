"""The shared data sets are found beside the repository, and a missing one skips its test,
or fails it when ``KINGMAKER_REQUIRE_SERVICES=1``."""

from __future__ import annotations

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
