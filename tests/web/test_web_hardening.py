"""Bad request bodies and queries: a 4xx with a one-line message, never a 500, and a
refused write leaves the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kingmaker.service import Kingmaker
from kingmaker.store import open_store

from .conftest import BEARER, NATO, TOKEN, make_client

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def km(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kingmaker]:
    """One store for the module: every request here is refused, so none changes it (and
    each test checks that)."""
    k = Kingmaker(open_store(tmp_path_factory.mktemp("web") / "refuse.db"))
    yield k
    k.close()


@pytest.fixture(scope="module")
def writer(km: Kingmaker) -> TestClient:
    """A script with the write token, over the module's store."""
    return make_client(km, write_token=TOKEN)


def problem(r: Any, status: int) -> str:
    """The one-line message of an error answer with ``status``."""
    assert r.status_code == status, r.text
    message: str = r.json()["error"]["message"]
    assert "\n" not in message
    return message


def snapshot(km: Kingmaker) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in km.race(NATO).evidence]


def curated_stance(km: Kingmaker) -> Any:
    return next(e for e in km.race(NATO).evidence if e.kind == "stance" and e.review != "rejected")


def post_json(writer: TestClient, path: str, body: str) -> Any:
    headers = {**BEARER, "Content-Type": "application/json"}
    return writer.post(path, headers=headers, content=body.encode("utf-8"))


def test_a_deeply_nested_json_body_is_a_400(writer: TestClient, km: Kingmaker) -> None:
    before = snapshot(km)
    r = post_json(writer, f"/api/races/{NATO}/ingest", '{"text": ' + DEEP + "}")
    assert "nested deeper than 64 levels" in problem(r, 400)
    assert snapshot(km) == before


def test_deep_changes_in_an_edit_are_a_400_and_change_nothing(
    writer: TestClient, km: Kingmaker
) -> None:
    item = curated_stance(km)
    before = snapshot(km)
    deep = "[" * 500 + "]" * 500  # parses, but no field is 500 levels deep
    r = post_json(
        writer, f"/api/races/{NATO}/evidence/{item.id}/edit", '{"changes": {"note": ' + deep + "}}"
    )
    assert "nested deeper" in problem(r, 400)
    assert snapshot(km) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("ingest", '{"text": "Hungary backs Rutte \\ud800 for the post", "date": "2024-03-01"}'),
        ("evidence/{item}/edit", '{"changes": {"note": "x \\udc80 y"}}'),
    ],
)
def test_a_lone_surrogate_in_a_body_is_a_400(
    writer: TestClient, km: Kingmaker, path: str, body: str
) -> None:
    before = snapshot(km)
    url = f"/api/races/{NATO}/" + path.format(item=curated_stance(km).id)
    assert "lone surrogate" in problem(post_json(writer, url, body), 400)
    assert snapshot(km) == before


def test_text_given_as_a_list_is_refused(writer: TestClient, km: Kingmaker) -> None:
    before = snapshot(km)
    r = writer.post(
        f"/api/races/{NATO}/ingest", headers=BEARER, json={"text": ["a"], "date": "2024-03-01"}
    )
    assert problem(r, 422) == "'text' must be a string, got list"
    assert snapshot(km) == before


def test_a_title_given_as_a_number_is_refused(writer: TestClient) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        json={"text": "Hungary backs Rutte.", "title": 7, "date": "2024-03-01"},
    )
    assert problem(r, 422) == "'title' must be a string, got int"


@pytest.mark.parametrize("day", ["2024-03-01T10:00:00", 20240301])
def test_a_date_that_is_not_a_plain_day_is_refused_in_a_body(writer: TestClient, day: Any) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        json={"text": "Hungary backs Rutte.", "date": day},
    )
    assert problem(r, 422) == f"'date' must be a date YYYY-MM-DD, got '{day}'"


def test_as_of_with_a_time_of_day_is_refused(reader: TestClient) -> None:
    for bad in ("2024-04-29T00:00:00", "2024-04-29 00:00", "1714348800", "20240429"):
        r = reader.get(f"/api/races/{NATO}/forecast", params={"as_of": bad})
        assert problem(r, 422) == f"as_of: {bad!r} is not a date; use YYYY-MM-DD"
    r = reader.get(f"/api/races/{NATO}/matrix", params={"as_of": "2024-04-29"})
    assert r.status_code == 200
    r = reader.get(f"/api/races/{NATO}/matrix", params={"as_of": ""})  # a cleared picker
    assert r.status_code == 200


def test_an_edit_that_changes_nothing_is_refused_and_stores_nothing(
    writer: TestClient, km: Kingmaker
) -> None:
    item = curated_stance(km)
    before = snapshot(km)
    for body in (
        {"field": "stance", "value": item.stance},  # a form's fields, as JSON
        {"changes": {"stance": item.stance, "member": item.member}},
    ):
        r = writer.post(f"/api/races/{NATO}/evidence/{item.id}/edit", headers=BEARER, json=body)
        assert "the edit changes nothing" in problem(r, 422)
    r = writer.post(
        f"/api/races/{NATO}/evidence/{item.id}/edit",
        headers=BEARER,
        data={"field": "confidence", "value": str(item.confidence)},  # a form: text
    )
    assert "the edit changes nothing" in problem(r, 422)
    assert snapshot(km) == before
