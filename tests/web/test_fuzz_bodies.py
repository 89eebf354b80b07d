"""Fuzzing the bodies of every write of the JSON API (ingest, review, edit): random JSON
values, deep nesting, wrong types, huge integers, 'nan'/'inf' strings and lone
surrogates, as JSON and as forms. Each answer is a success or a 4xx with a one-line
message, never a 500; a refused write leaves the database byte for byte as it was (a
dump of the SQLite file before and after)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import ARTICLE_FILES, LINES, dump
from kingmaker.service import Kingmaker
from kingmaker.store import open_store

from .conftest import BEARER, NATO, STANCE_TEXT, TOKEN, make_client

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD_STRINGS = st.sampled_from(
    [
        "",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e400",
        "-0",
        "10" * 300,
        "2024-03-01",
        "2024-03-01T10:00:00",
        "2023-02-30",
        "9999-12-31",
        "accept",
        "reject",
        "support",
        "oppose",
        "fallback",
        "auto",
        "model",
        "RUTTE",
        "HUN",
        "x\udc80y",
        "\ud800",
        "\x00",
        "<script>alert(1)</script>",
        "/races/nato-sg-2024",
        "//evil.example/",
        STANCE_TEXT,
    ]
)
# text with lone surrogates and control characters among the rest
TEXTS = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
HUGE = st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 10**12 + 1])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | HUGE
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXTS
    | ODD_STRINGS
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(TEXTS | ODD_STRINGS, inner, max_size=3)
    ),
    max_leaves=10,
)
DEEP = st.integers(min_value=60, max_value=5_000).map(lambda n: "[" * n + "]" * n)
SOMETIMES_DEEP = st.sampled_from([None, None, None, None, 1]).flatmap(
    lambda pick: st.none() if pick is None else DEEP
)


def field(*plausible: Any) -> st.SearchStrategy[Any]:
    """A field's value: one of the plausible ones, or anything."""
    return st.sampled_from(plausible) | VALUES


def bodies(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Objects with some of ``fields`` and perhaps a stray key; now and then not an
    object at all."""
    objects = st.builds(
        lambda known, stray: {**stray, **known},
        st.fixed_dictionaries({}, optional=fields),  # type: ignore[arg-type]
        st.dictionaries(TEXTS | ODD_STRINGS, VALUES, max_size=1),
    )
    return st.sampled_from([1, 1, 1, 1, 1, 1, 0]).flatmap(lambda o: objects if o else VALUES)


INGEST = {
    "text": field(STANCE_TEXT, "Estonia backs Kaja Kallas.", "Rutte " * 50),
    "date": field("2024-03-01", "2024-04-29", "2023-06-01"),
    "title": field("A title", "x"),
    "url": field("https://example.org/a", "javascript:alert(1)", "not a url"),
    "publisher": field("Reuters"),
    "mode": field("fallback", "FALLBACK", "spacy"),
    "next": field("/races/nato-sg-2024", "//evil.example/"),
    "file": field("a.txt"),
}
DECIDE = {"decision": field("accept", "reject", "accepted", "ACCEPT"), "next": field("/")}
CHANGE_VALUES = {
    "stance": field("support", "oppose", "neutral", "favourite", "undecided"),
    "member": field("HUN", "TUR", "EST", "USA", "nobody"),
    "candidate": field("rutte", "iohannis", "nobody"),
    "status": field("declared", "withdrawn", "appointed"),
    "confidence": field(0.0, 0.5, 1.0, 2.0, -1.0, float("nan"), float("inf"), "0.5"),
    "date": field("2024-03-01", "2024-03-01T00:00:00", "1900-01-01", "9999-12-31"),
    "weight": field(1.0, 0.0, -3.0, float("inf"), 10**400),
    "count": field(3, -1, 10**12, 10**400, 2.5),
    "votes": field({"rutte": 30}, {"rutte": 10**400}, {"rutte": float("nan")}, [1, 2]),
    "round": field(1, 0, -1, 10**400),
    "tallies": field({"rutte": 30}, {"rutte": 10**400}, {"rutte": float("inf")}, {}),
    "of": field(32, 0, 10**400),
    "fraction": field(0.5, 1.5, float("nan")),
    "encourage": field(3, -1, 10**400),
    "kind": field("stance", "candidacy", "tally", "poll"),
    "note": field("checked", "x\udc80"),
    "quote": field("Hungary backs Rutte."),
    "review": field("accepted", "rejected"),
    "id": field("new-id"),
    "source": field({"url": "https://example.org"}, {"url": 7}),
}
EDIT = {
    "changes": st.fixed_dictionaries({}, optional=CHANGE_VALUES) | VALUES,  # type: ignore[arg-type]
    "field": field(*CHANGE_VALUES),
    "value": field("support", "oppose", "HUN", "0.5", "nan", "inf", "1e400", str(10**400)),
    "next": field("/"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "fuzz.db"


@pytest.fixture(scope="module")
def km(db: Path) -> Iterator[Kingmaker]:
    k = Kingmaker(open_store(db), review_threshold=0.99)
    yield k
    k.close()


@pytest.fixture(scope="module")
def writer(km: Kingmaker) -> TestClient:
    return make_client(km, write_token=TOKEN)


def item_ids(km: Kingmaker) -> list[str]:
    """Items of the race to review and edit: a few of each kind, corrections too."""
    per_kind: dict[str, list[str]] = {}
    for e in km.race(NATO).evidence:
        per_kind.setdefault(e.kind, []).append(e.id)
    return [i for ids in per_kind.values() for i in ids[:4]][:25]


def encode(body: Any, deep: str | None) -> bytes:
    """A JSON body, with any lone surrogate escaped as JSON allows (\\udc80), NaN and
    Infinity as Python writes them, and perhaps one field nested ``deep``ly."""
    text = json.dumps(body, ensure_ascii=True, allow_nan=True)
    if deep is not None and text.startswith("{"):
        text = '{"deep": ' + deep + ("," if text != "{}" else "") + text[1:]
    return text.encode("ascii")


def check(r: Any, db: Path, before: list[str]) -> None:
    """A success, or a 4xx with a one-line message and the store as it was."""
    assert r.status_code < 500, r.text
    import sys

    print("STATUS", r.status_code, r.text[:150].replace("\n", " "), file=sys.stderr)
    if r.status_code in (200, 303):
        return
    assert 400 <= r.status_code < 500, r.status_code
    message = r.json()["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in message
    assert dump(db) == before, f"a refused write ({r.status_code}: {message}) changed the store"


def post(writer: TestClient, path: str, body: Any, deep: str | None, as_form: bool) -> Any:
    if as_form and isinstance(body, dict):
        # a browser's form, lone surrogates sent as the bytes they would be (not UTF-8)
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        data = urlencode(form, encoding="utf-8", errors="surrogatepass")
        headers = {**BEARER, "Content-Type": "application/x-www-form-urlencoded"}
        return writer.post(path, headers=headers, content=data.encode("ascii"))
    headers = {**BEARER, "Content-Type": "application/json"}
    return writer.post(path, headers=headers, content=encode(body, deep))


@FUZZ
@given(body=bodies(INGEST), deep=SOMETIMES_DEEP, as_form=st.booleans())
def test_any_ingest_body_is_read_or_refused_in_one_line(
    writer: TestClient, db: Path, body: Any, deep: str | None, as_form: bool
) -> None:
    if isinstance(body, dict) and body.get("mode") in ("auto", "model", None):
        body["mode"] = "fallback"  # the spaCy model would make each example slow
    before = dump(db)
    check(post(writer, f"/api/races/{NATO}/ingest", body, deep, as_form), db, before)


ITEM_WRITES = {"review": bodies(DECIDE), "edit": bodies(EDIT)}


@pytest.mark.parametrize("action", list(ITEM_WRITES))
@FUZZ
@given(
    data=st.data(),
    which=st.integers(min_value=0, max_value=25),
    deep=SOMETIMES_DEEP,
    as_form=st.booleans(),
)
def test_any_review_or_edit_body_is_stored_or_refused_in_one_line(
    writer: TestClient,
    km: Kingmaker,
    db: Path,
    action: str,
    data: st.DataObject,
    which: int,
    deep: str | None,
    as_form: bool,
) -> None:
    ids = item_ids(km)
    target = ids[which] if which < len(ids) else f"no-such-item-{which}"
    body = data.draw(ITEM_WRITES[action], label="body")
    before = dump(db)
    path = f"/api/races/{NATO}/evidence/{target}/{action}"
    check(post(writer, path, body, deep, as_form), db, before)


@FUZZ
@given(
    file=ARTICLE_FILES,
    pasted=LINES,
    how=st.sampled_from(["upload", "paste", "paste as JSON"]),
    date=st.sampled_from(["2024-03-01", "2024-03-01", "2024-03-01", "", "2024-13-01"]),
)
def test_any_article_text_is_ingested_or_refused_in_one_line(
    writer: TestClient, db: Path, file: tuple[str, bytes], pasted: str, how: str, date: str
) -> None:
    before = dump(db)
    path = f"/api/races/{NATO}/ingest"
    fields = {"date": date, "mode": "fallback"}
    if how == "upload":
        r = writer.post(path, headers=BEARER, data=fields, files={"file": file})
    elif how == "paste":
        form = urlencode({**fields, "text": pasted}, encoding="utf-8", errors="surrogatepass")
        headers = {**BEARER, "Content-Type": "application/x-www-form-urlencoded"}
        r = writer.post(path, headers=headers, content=form.encode("ascii"))
    else:
        r = post(writer, path, {**fields, "text": pasted}, None, as_form=False)
    check(r, db, before)
