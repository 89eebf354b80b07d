"""The web ingest reads an upload once for its own checks: a pasted article without the
form's date is read to refuse undated text and, when it is stored already, that same read
names the article the page shows (the ingest itself reads it once more)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import kingmaker.ingest.sources as sources

from .conftest import NATO, STANCE_TEXT, csrf_of


def test_a_known_pasted_article_is_read_twice_not_three_times(
    browser: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = sources.read_document

    def counting(name: str, stream: Any, options: Any) -> Iterator[Any]:
        reads.append(name)
        return real(name, stream, options)

    monkeypatch.setattr(sources, "read_document", counting)
    form = {"text": f"2024-03-01 {STANCE_TEXT}", "next": "/"}
    form["csrf_token"] = csrf_of(browser.get(f"/races/{NATO}/review").text)
    html = {"accept": "text/html"}
    first = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=html)
    assert first.status_code == 303 and reads == ["pasted", "pasted"]
    reads.clear()
    again = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=html)
    assert again.status_code == 303 and reads == ["pasted", "pasted"]
    path, counts = again.headers["location"].split("?")
    assert path == first.headers["location"].split("?")[0] and "/articles/" in path
    assert counts == "read=1&new=0&added=0"
