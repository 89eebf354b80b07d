"""Choosing a store from a path, a URL or the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from kingmaker.errors import StoreError
from kingmaker.store import MemoryStore, SQLiteStore, default_db_path, open_store


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KINGMAKER_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def test_default_path_without_environment(tmp_path: Path) -> None:
    assert default_db_path() == tmp_path / "home/.local/share/kingmaker/kingmaker.db"


def test_default_path_follows_xdg_data_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg/kingmaker/kingmaker.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")  # the XDG spec says ignore it
    assert default_db_path() == tmp_path / "home/.local/share/kingmaker/kingmaker.db"


def test_kingmaker_db_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("KINGMAKER_DB", "~/my.db")
    assert default_db_path() == tmp_path / "home/my.db"
    with open_store(None) as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == tmp_path / "home/my.db"
    assert (tmp_path / "home/my.db").is_file()


def test_none_opens_the_default_file(tmp_path: Path) -> None:
    with open_store() as store:
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "home/.local/share/kingmaker/kingmaker.db").is_file()


def test_kingmaker_db_may_be_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINGMAKER_DB", "memory:")
    with open_store(None) as store:
        assert isinstance(store, MemoryStore)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("memory:", "memory"),
        ("kingmaker.db", "rel/kingmaker.db"),
        ("sub/dir/k.db", "rel/sub/dir/k.db"),
        ("sqlite:///rel.db", "rel/rel.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite://", ":memory:"),
        (":memory:", ":memory:"),
    ],
)
def test_open_store_picks_the_backend(tmp_path: Path, target: str, expected: str) -> None:
    with open_store(target) as store:
        if expected == "memory":
            assert isinstance(store, MemoryStore)
        else:
            assert isinstance(store, SQLiteStore)
            want = expected if expected == ":memory:" else tmp_path / expected.removeprefix("rel/")
            assert store.path == want


def test_absolute_sqlite_url_and_path_objects(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/abs.db") as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == tmp_path / "abs.db"
    with open_store(tmp_path / "p.db") as store:
        assert isinstance(store, SQLiteStore)
        assert store.path == tmp_path / "p.db"


@pytest.mark.parametrize("target", ["mysql://db/x", "sqlite://host/x.db", "sqlite:///", ""])
def test_unsupported_targets(target: str) -> None:
    with pytest.raises(StoreError):
        open_store(target)
