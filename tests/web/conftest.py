"""Fixtures of the web tests: the app over a fresh SQLite store, as a reader, as a script
holding the write token, and as a browser session logged in with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import NATO as NATO  # re-exported: the web tests import them from here
from conftest import STANCE_TEXT as STANCE_TEXT
from kingmaker.service import Kingmaker
from kingmaker.store import open_store
from kingmaker.web import WebSettings, create_app

TOKEN = "test-write-token-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "tester"}


def settings(**kw: object) -> WebSettings:
    """Small sample sizes, so that the tests stay quick."""
    base: dict[str, object] = {"samples": 2000, "timeline_samples": 300, "timeline_every": 28}
    return WebSettings(**{**base, **kw})  # type: ignore[arg-type]


def make_client(km: Kingmaker, **kw: object) -> TestClient:
    """A client of a new app over ``km``; it follows no redirects (tests look at them)."""
    return TestClient(
        create_app(km, settings(**kw)), base_url="http://localhost", follow_redirects=False
    )


@pytest.fixture(scope="module")
def shared_km(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kingmaker]:
    """One store for the read-only tests of a module (bundled races only)."""
    km = Kingmaker(open_store(tmp_path_factory.mktemp("web") / "read.db"))
    yield km
    km.close()


@pytest.fixture(scope="module")
def reader(shared_km: Kingmaker) -> TestClient:
    """A visitor of a read-only server."""
    return make_client(shared_km)


@pytest.fixture
def km(tmp_path: Path) -> Iterator[Kingmaker]:
    """A fresh store for a test that writes; machine items wait for review (threshold 0.99)."""
    k = Kingmaker(open_store(tmp_path / "write.db"), review_threshold=0.99)
    yield k
    k.close()


@pytest.fixture
def writer(km: Kingmaker) -> TestClient:
    """A script with the write token (send ``BEARER`` headers)."""
    return make_client(km, write_token=TOKEN)


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its meta tag."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


@pytest.fixture
def browser(km: Kingmaker) -> TestClient:
    """A browser session logged in with the write token as 'alice'."""
    client = make_client(km, write_token=TOKEN)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login", data={"token": TOKEN, "name": "alice", "csrf_token": token, "next": "/"}
    )
    assert r.status_code == 303, r.text
    return client
