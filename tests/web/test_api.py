"""The JSON API: what each read returns, agreement with the service, ingest and review
through the API, the one error shape, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kingmaker.errors import ConflictError
from kingmaker.extract import Extractor
from kingmaker.newsdesk import edit
from kingmaker.service import Kingmaker
from kingmaker.store import open_store
from kingmaker.web.views import Cache, Views, link, turning_points

from .conftest import BEARER, NATO, STANCE_TEXT, csrf_of, make_client, settings

APRIL = "2024-04-29"


def error_of(response: object) -> dict[str, object]:
    """The error object of a JSON error answer, checked to have the one shape."""
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "kind", "message"}, body
    assert body["error"]["status"] == response.status_code  # type: ignore[attr-defined]
    assert "\n" not in body["error"]["message"]
    return dict(body["error"])


def test_races_list_every_race_with_its_leader(reader: TestClient) -> None:
    races = {r["id"]: r for r in reader.get("/api/races").json()}
    assert NATO in races and "un-sg-2016" in races and len(races) >= 7
    nato = races[NATO]
    assert nato["leader"]["id"] == "rutte" and nato["decided"] is True
    assert nato["last"] >= "2024-06-26" and nato["members"] == 32


def test_forecast_matches_the_service(reader: TestClient, shared_km: Kingmaker) -> None:
    data = reader.get(f"/api/races/{NATO}/forecast", params={"as_of": APRIL}).json()
    direct = shared_km.forecast(NATO, dt.date(2024, 4, 29), samples=2000, explain=False, save=False)
    assert data["as_of"] == APRIL and data["samples"] == 2000
    got = {o["id"]: o["probability"] for o in data["outcomes"]}
    assert got == {o.id: o.probability for o in direct.outcomes}
    assert abs(sum(got.values()) - 1) < 1e-9
    assert [k["member"] for k in data["kingmakers"]] == [k.member for k in direct.kingmakers]
    for o in data["outcomes"]:
        assert o["low"] <= o["probability"] <= o["high"]


def test_forecasts_are_not_saved_by_page_views(reader: TestClient, shared_km: Kingmaker) -> None:
    before = len(shared_km.history(NATO))
    reader.get(f"/api/races/{NATO}/forecast", params={"as_of": "2024-02-01"})
    assert len(shared_km.history(NATO)) == before


def test_second_request_is_served_from_the_cache(reader: TestClient) -> None:
    url = f"/api/races/{NATO}/forecast?as_of=2024-03-03"
    first = reader.get(url).json()
    hits = reader.get("/api/health").json()["cache"]["hits"]
    assert reader.get(url).json() == first
    assert reader.get("/api/health").json()["cache"]["hits"] == hits + 1


def test_movers_name_statements_with_sources(reader: TestClient) -> None:
    data = reader.get(f"/api/races/{NATO}/forecast/rutte/movers", params={"as_of": APRIL}).json()
    assert data["outcome"]["id"] == "rutte" and data["movers"]
    top = data["movers"][0]
    assert top["delta"] != 0 and top["summary"] and top["evidence_ids"]
    assert all(link["href"] is None or link["href"].startswith("http") for link in top["links"])


def test_unknown_outcome_is_a_404(reader: TestClient) -> None:
    r = reader.get(f"/api/races/{NATO}/forecast/nobody/movers", params={"as_of": APRIL})
    assert r.status_code == 404 and "rutte" in error_of(r)["message"]


def test_timeline_has_one_value_per_day_per_series(reader: TestClient) -> None:
    data = reader.get(f"/api/races/{NATO}/timeline").json()
    days = data["days"]
    assert days == sorted(days) and days[-1] == "2024-06-26"
    assert data["series"] and all(len(s["probability"]) == len(days) for s in data["series"])
    assert "rutte" in {s["id"] for s in data["series"]}


def test_matrix_holds_the_latest_stance(reader: TestClient) -> None:
    data = reader.get(f"/api/races/{NATO}/matrix", params={"as_of": "2024-06-25"}).json()
    cells = {(c["member"], c["candidate"]): c for c in data["cells"]}
    hun = cells[("HUN", "rutte")]
    assert hun["stance"] == "support" and hun["date"] <= "2024-06-25" and hun["reports"] >= 1
    assert len(data["members"]) == 32
    early = reader.get(f"/api/races/{NATO}/matrix", params={"as_of": "2023-06-01"}).json()
    assert len(early["cells"]) < len(data["cells"])


def test_evidence_filters_and_item_log(reader: TestClient) -> None:
    items = reader.get(
        f"/api/races/{NATO}/evidence", params={"member": "HUN", "as_of": "2024-06-25"}
    ).json()
    assert items and all(i["member"] == "HUN" for i in items)
    assert [i["date"] for i in items] == sorted((i["date"] for i in items), reverse=True)
    one = reader.get(f"/api/races/{NATO}/evidence/{items[0]['id']}").json()
    assert one["id"] == items[0]["id"] and one["reviews"] == []


def test_member_view_names_stances_kingmaker_standing_and_evidence(reader: TestClient) -> None:
    data = reader.get(f"/api/races/{NATO}/members/HUN", params={"as_of": APRIL}).json()
    assert data["member"]["name"] == "Hungary" and data["as_of"] == APRIL
    rutte = next(c for c in data["stances"] if c["candidate"] == "rutte")
    assert rutte["stance"] == "oppose"
    assert data["kingmaker"]["member"] == "HUN" and data["front_runner"]["id"] == "rutte"
    assert data["evidence"] and all(e["member"] == "HUN" for e in data["evidence"])
    page = reader.get(f"/races/{NATO}/members/HUN", params={"as_of": APRIL})
    assert page.status_code == 200 and 'id="kingmaker"' in page.text
    missing = reader.get(f"/races/{NATO}/members/XXX")
    assert missing.status_code == 404 and "no member &#39;XXX&#39;" in missing.text


def test_openapi_schema_lists_the_routes(reader: TestClient) -> None:
    schema = reader.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/races",
        "/api/races/{race_id}/forecast",
        "/api/races/{race_id}/timeline",
        "/api/races/{race_id}/matrix",
        "/api/races/{race_id}/evidence",
        "/api/races/{race_id}/ingest",
        "/api/races/{race_id}/evidence/{evidence_id}/review",
    ):
        assert path in paths
    assert reader.get("/api/docs").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/races/no-such-race",
        "/api/races/no-such-race/forecast",
        "/api/races/no-such-race/timeline",
        "/api/races/no-such-race/matrix",
        "/api/races/no-such-race/evidence",
        f"/api/races/{NATO}/evidence/no-such-item",
        f"/api/races/{NATO}/articles/{'0' * 64}",
        f"/api/races/{NATO}/articles/not-a-hash",
        "/api/races/..%2F..%2Fetc%2Fpasswd",
        "/api/nothing-here",
        f"/api/races/{NATO}/members/XXX",
        f"/api/races/{NATO}/evidence?member=XXX",
        f"/api/races/{NATO}/evidence?candidate=nobody",
    ],
)
def test_unknown_ids_get_404_with_the_one_shape(reader: TestClient, url: str) -> None:
    r = reader.get(url)
    assert r.status_code == 404
    err = error_of(r)
    assert err["kind"] == "not_found"
    assert ".db" not in str(err["message"])  # the server's file names stay private


def test_bad_query_values_are_422_with_the_one_shape(reader: TestClient) -> None:
    r = reader.get(f"/api/races/{NATO}/forecast", params={"as_of": "yesterday"})
    assert r.status_code == 422 and "as_of" in error_of(r)["message"]


def test_ingest_review_and_the_forecast_moves(writer: TestClient) -> None:
    url = f"/api/races/{NATO}/forecast"
    before = writer.get(url, params={"as_of": "2024-03-02"}).json()
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01", "title": "Orbán backs Rutte"},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["new"] == 1 and len(report["articles"]) == 1
    stance = next(i for i in report["items"] if i["kind"] == "stance")
    assert (stance["member"], stance["candidate"], stance["stance"]) == ("HUN", "rutte", "support")
    assert stance["review"] == "pending" and stance["used"] is False  # below 0.99: waits
    assert writer.get(url, params={"as_of": "2024-03-02"}).json() == before
    queue = writer.get(f"/api/races/{NATO}/review-queue").json()
    assert stance["id"] in {i["id"] for i in queue}

    art = writer.get(f"/api/races/{NATO}/articles/{report['articles'][0]}").json()
    marked = [p for p in art["pieces"] if stance["id"] in p["items"]]
    assert marked and "Rutte" in marked[0]["text"]
    assert "".join(p["text"] for p in art["pieces"]) == art["article"]["text"]

    r = writer.post(
        f"/api/races/{NATO}/evidence/{stance['id']}/review",
        headers=BEARER,
        json={"decision": "accept"},
    )
    assert r.status_code == 200 and r.json()["review"] == "accepted"
    assert r.json()["reviews"][-1]["reviewer"] == "tester"
    after = writer.get(url, params={"as_of": "2024-03-02"}).json()
    assert after["evidence_used"] == before["evidence_used"] + 1
    assert after["outcomes"] != before["outcomes"]


def test_edit_replaces_an_item_with_a_reviewed_copy(writer: TestClient) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01"},
    )
    stance = next(i for i in r.json()["items"] if i["kind"] == "stance")
    r = writer.post(
        f"/api/races/{NATO}/evidence/{stance['id']}/edit",
        headers=BEARER,
        data={"field": "stance", "value": "oppose"},
    )
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["stance"] == "oppose" and new["review"] == "accepted"
    assert new["producer"] == "reviewed:tester"
    old = writer.get(f"/api/races/{NATO}/evidence/{stance['id']}").json()
    assert old["review"] == "rejected"
    assert old["corrected_by"] == new["id"]
    r = writer.post(  # the original cannot count again beside its correction
        f"/api/races/{NATO}/evidence/{stance['id']}/review",
        headers=BEARER,
        json={"decision": "accept"},
    )
    assert r.status_code == 422 and "counts in its place" in error_of(r)["message"]
    assert writer.get(f"/api/races/{NATO}/evidence/{stance['id']}").json()["review"] == "rejected"
    r = writer.post(
        f"/api/races/{NATO}/evidence/{new['id']}/edit",
        headers=BEARER,
        data={"field": "stance", "value": "maybe"},
    )
    assert r.status_code == 422 and "not valid evidence" in error_of(r)["message"]
    assert "stance: Input should be 'support', 'oppose' or 'neutral'" in error_of(r)["message"]
    r = writer.post(
        f"/api/races/{NATO}/evidence/{new['id']}/edit",
        headers=BEARER,
        data={"field": "member", "value": "XXX"},
    )
    assert r.status_code == 422 and "XXX" in error_of(r)["message"]
    r = writer.post(
        f"/api/races/{NATO}/evidence/{stance['id']}/edit",
        headers=BEARER,
        data={"field": "stance", "value": "support"},
    )
    assert r.status_code == 422 and "corrected already" in error_of(r)["message"]


def test_two_reviewers_correcting_one_item_at_once(km: Kingmaker) -> None:
    """One correction lands; the other reviewer is told it was corrected already."""
    clients = [make_client(km, write_token=BEARER["Authorization"][7:]) for _ in range(2)]
    r = clients[0].post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01"},
    )
    stance = next(i for i in r.json()["items"] if i["kind"] == "stance")
    start = threading.Barrier(2)
    answers: list[tuple[int, str]] = [(0, ""), (0, "")]

    def run(i: int, value: str) -> None:
        start.wait()
        r = clients[i].post(
            f"/api/races/{NATO}/evidence/{stance['id']}/edit",
            headers=BEARER,
            data={"field": "stance", "value": value},
        )
        answers[i] = (r.status_code, r.text)

    threads = [threading.Thread(target=run, args=x) for x in ((0, "oppose"), (1, "neutral"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for code, _ in answers) == [200, 422], answers
    assert any("corrected already" in text for _, text in answers)
    race = km.race(NATO)
    copies = [e for e in race.evidence if e.id.startswith(stance["id"] + ".r")]
    assert len(copies) == 1 and copies[0].review == "accepted"
    assert next(e for e in race.evidence if e.id == stance["id"]).review == "rejected"


def test_a_correction_made_meanwhile_elsewhere_is_a_conflict(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two servers over one store: the second edit, made from a race read before the first
    landed, is refused as a conflict (409), and the first correction stands."""
    writer = make_client(km, write_token=BEARER["Authorization"][7:])
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01"},
    )
    stance = next(i for i in r.json()["items"] if i["kind"] == "stance")
    stale = km.race(NATO)  # what the other server read before the first correction
    km.edit(NATO, stance["id"], {"stance": "oppose"}, "first")
    with pytest.raises(ConflictError, match="corrected meanwhile"):
        edit(km.store, stale, stance["id"], {"stance": "neutral"}, "second")
    copy = next(e for e in km.race(NATO).evidence if e.id == stance["id"] + ".r1")
    assert copy.stance == "oppose" and copy.producer == "reviewed:first"
    monkeypatch.setattr(
        km, "edit", lambda *a: edit(km.store, stale, stance["id"], {"stance": "neutral"}, "x")
    )
    r = writer.post(
        f"/api/races/{NATO}/evidence/{stance['id']}/edit",
        headers=BEARER,
        data={"field": "stance", "value": "support"},
    )
    assert r.status_code == 409 and error_of(r)["kind"] == "conflict"


def test_review_needs_a_known_decision(writer: TestClient) -> None:
    r = writer.post(
        f"/api/races/{NATO}/evidence/e001/review", headers=BEARER, json={"decision": "maybe"}
    )
    assert r.status_code == 422 and "accept or reject" in error_of(r)["message"]
    r = writer.post(
        f"/api/races/{NATO}/evidence/no-such/review", headers=BEARER, json={"decision": "accept"}
    )
    assert r.status_code == 404


def test_two_ingests_at_once_lose_nothing(km: Kingmaker) -> None:
    """Two clients ingest different articles at the same moment: both are stored whole."""
    clients = [make_client(km, write_token=BEARER["Authorization"][7:]) for _ in range(2)]
    texts = [
        STANCE_TEXT,
        "Turkey's president Recep Tayyip Erdoğan said Turkey would support Mark Rutte as "
        "NATO Secretary General.",
    ]
    start = threading.Barrier(2)
    results: list[dict[str, object]] = [{}, {}]

    def run(i: int) -> None:
        start.wait()
        r = clients[i].post(
            f"/api/races/{NATO}/ingest",
            headers=BEARER,
            data={"text": texts[i], "date": "2024-03-0" + str(i + 1)},
        )
        results[i] = {"status": r.status_code, **r.json()}

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r["status"] for r in results] == [200, 200]
    stored = {e.id for e in km.race(NATO).evidence}
    for r in results:
        assert r["new"] == 1
        for item in r["items"]:  # type: ignore[attr-defined]
            assert item["id"] in stored
    assert km.store.article_count(NATO) == 2


def test_a_team_on_postgresql_ingests_at_once_and_reviews(pg_database: Callable[..., str]) -> None:
    """Two servers over one PostgreSQL database: concurrent ingests both land, and a review
    made on one server changes the forecast the other serves (its cache is not stale)."""
    url = pg_database()
    kms = [Kingmaker(open_store(url), review_threshold=0.99) for _ in range(2)]
    try:
        clients = [make_client(k, write_token=BEARER["Authorization"][7:]) for k in kms]
        texts = [STANCE_TEXT, STANCE_TEXT.replace("Hungary", "Slovakia").replace("Orbán", "Fico")]
        start = threading.Barrier(2)
        status: list[int] = [0, 0]

        def run(i: int) -> None:
            start.wait()
            r = clients[i].post(
                f"/api/races/{NATO}/ingest",
                headers=BEARER,
                data={"text": texts[i], "date": "2024-03-01"},
            )
            status[i] = r.status_code

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert status == [200, 200]
        assert kms[1].store.article_count(NATO) == 2
        pending = clients[1].get(f"/api/races/{NATO}/review-queue").json()
        stances = [i for i in pending if i["kind"] == "stance"]
        assert {i["member"] for i in stances} >= {"HUN", "SVK"}
        url_fc = f"/api/races/{NATO}/forecast?as_of=2024-03-02"
        before = clients[1].get(url_fc).json()
        r = clients[0].post(
            f"/api/races/{NATO}/evidence/{stances[0]['id']}/review",
            headers=BEARER,
            json={"decision": "accept"},
        )
        assert r.status_code == 200
        after = clients[1].get(url_fc).json()
        assert after["evidence_used"] == before["evidence_used"] + 1
    finally:
        for k in kms:
            k.close()


def test_re_ingesting_a_known_article_shows_it(browser: TestClient) -> None:
    form = {"text": STANCE_TEXT, "date": "2024-03-01", "next": "/"}
    page = browser.get(f"/races/{NATO}/review")
    form["csrf_token"] = csrf_of(page.text)
    html = {"accept": "text/html"}
    first = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=html)
    again = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=html)
    assert first.status_code == again.status_code == 303
    path, counts = again.headers["location"].split("?")
    assert first.headers["location"].split("?")[0] == path and "/articles/" in path
    assert counts == "read=1&new=0&added=0"  # the page says nothing new was stored
    page = browser.get(again.headers["location"]).text
    assert "Ingested: 1 article read, 0 new; 0 new items for this race." in page


def test_an_article_older_than_the_race_still_has_a_page(writer: TestClient) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2020-01-10"},
    )
    sha = r.json()["articles"][0]
    page = writer.get(f"/races/{NATO}/articles/{sha}")
    assert page.status_code == 200, page.text
    race = writer.get(f"/api/races/{NATO}").json()
    assert f"Forecast as of {race['opened']}" in page.text  # the race's first day
    assert 'id="movers"' in page.text and "/static/app.js" in page.text


def test_days_outside_the_race_are_refused_alike(reader: TestClient) -> None:
    for what in ("forecast", "matrix"):
        r = reader.get(f"/api/races/{NATO}/{what}?as_of=1900-01-01")
        assert r.status_code == 422 and "before race" in error_of(r)["message"], what


def test_member_page_names_the_candidates(reader: TestClient) -> None:
    html = reader.get(f"/races/{NATO}/members/HUN?as_of=2024-06-20").text
    assert "<td>Mark Rutte</td>" in html


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://[oops", None),
        ("javascript://alert(1)", None),
        ("https://", None),
        ("file:///etc/passwd", None),
        ("articles.jsonl", None),
    ],
)
def test_only_well_formed_web_addresses_are_links(source: str, href: str | None) -> None:
    assert link(source) == {"text": source, "href": href}


def test_the_cache_keeps_nothing_computed_across_a_write() -> None:
    cache = Cache()
    assert cache.get(("k",), lambda: 1, keep=lambda: False) == 1
    assert cache.get(("k",), lambda: 2) == 2  # the first answer was not kept
    assert cache.get(("k",), lambda: 3) == 2


def test_items_link_to_their_article_only_when_it_is_stored_for_the_race(
    writer: TestClient,
) -> None:
    items = writer.get(f"/api/races/{NATO}/evidence").json()
    cited = [i for i in items if i["source"]["content_hash"]]
    assert cited and all(i["article"] is None for i in cited)  # curated, article not stored
    page = writer.get(f"/races/{NATO}").text
    assert not any(f"/articles/{i['source']['content_hash']}" in page for i in cited)
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01"},
    )
    sha = r.json()["articles"][0]
    assert all(i["article"] == sha for i in r.json()["items"])
    item = r.json()["items"][0]["id"]
    assert writer.get(f"/api/races/{NATO}/evidence/{item}").json()["article"] == sha
    assert f"/races/{NATO}/articles/{sha}" in writer.get(f"/races/{NATO}?as_of=2024-03-01").text
    # the article is NATO's, not the UN's: under another race it is not found
    other = writer.get(f"/api/races/un-sg-2016/articles/{sha}")
    assert other.status_code == 404 and "in race un-sg-2016" in error_of(other)["message"]
    assert writer.get(f"/races/un-sg-2016/articles/{sha}").status_code == 404


def _toggle(km: Kingmaker) -> tuple[str, str]:
    """The NATO race's first item and its review state: a review that is later undone
    brings the race back to the same fingerprint."""
    item = km.race(NATO).evidence[0]
    return item.id, item.review


def test_a_page_value_computed_across_a_write_is_not_kept(km: Kingmaker) -> None:
    views = Views(km=km, settings=settings(), cache=Cache())
    eid, state = _toggle(km)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        if len(calls) == 1:  # a review lands while the value is computed
            km.store.set_review(NATO, eid, "rejected", "other")
        return len(calls)

    assert views._cached(NATO, ("x",), compute) == 1
    km.store.set_review(NATO, eid, state, "other")  # undone: the first fingerprint again
    assert views._cached(NATO, ("x",), compute) == 2  # the value of neither state was kept
    assert views._cached(NATO, ("x",), compute) == 2  # this one is


def test_a_race_read_across_a_write_is_not_kept(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid, state = _toggle(km)
    real = type(km.store).get_race

    def racing(store: object, race_id: str) -> object:
        monkeypatch.undo()
        km.store.set_review(NATO, eid, "rejected", "other")  # after the fingerprint is read
        return real(store, race_id)  # type: ignore[arg-type]

    km._races.clear()  # type: ignore[attr-defined]
    monkeypatch.setattr(type(km.store), "get_race", racing)
    assert km.race(NATO).evidence[0].review == "rejected"
    km.store.set_review(NATO, eid, state, "other")  # undone: the first fingerprint again
    assert km.race(NATO).evidence[0].review == state  # not the copy read across the write


def test_pages_answer_while_an_ingest_extracts(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, started = threading.Event(), threading.Event()
    real = Extractor.extract

    def slow(self: Extractor, article: object) -> object:
        started.set()
        release.wait(20)
        return real(self, article)  # type: ignore[arg-type]

    monkeypatch.setattr(Extractor, "extract", slow)
    with make_client(km, write_token=BEARER["Authorization"][7:]) as client:  # one event loop
        answer: dict[str, int] = {}

        def ingest() -> None:
            r = client.post(
                f"/api/races/{NATO}/ingest",
                headers=BEARER,
                data={"text": STANCE_TEXT, "date": "2024-03-01"},
            )
            answer["ingest"] = r.status_code

        writer = threading.Thread(target=ingest)
        writer.start()
        assert started.wait(20)
        try:
            assert client.get("/api/races").status_code == 200  # while extraction waits
            assert client.get(f"/api/races/{NATO}/forecast").status_code == 200
            assert "ingest" not in answer
        finally:
            release.set()
            writer.join()
    assert answer["ingest"] == 200


def test_an_article_without_a_date_is_refused_before_anything_is_stored(
    writer: TestClient, km: Kingmaker
) -> None:
    before = km.store.article_count()
    r = writer.post(f"/api/races/{NATO}/ingest", headers=BEARER, data={"text": STANCE_TEXT})
    assert r.status_code == 422 and "the text has no date" in error_of(r)["message"]
    rows = b'{"text": "' + STANCE_TEXT.encode() + b'"}\n{"text": "Other.", "date": "2024-03-02"}\n'
    r = writer.post(
        f"/api/races/{NATO}/ingest", headers=BEARER, files={"file": ("two.jsonl", rows)}
    )
    assert r.status_code == 422
    assert "1 of the file's articles (the first at line 1) has no date" in error_of(r)["message"]
    assert km.store.article_count() == before
    r = writer.post(  # the form's date serves the articles without their own
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"date": "2024-03-01"},
        files={"file": ("two.jsonl", rows)},
    )
    assert r.status_code == 200 and r.json()["new"] >= 1


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (f"/api/races/{NATO}/forecast?as_of=garbage", 422, "as_of: 'garbage' is not a date"),
        (f"/api/races/{NATO}/articles/abc", 404, "no article 'abc'"),
        (f"/api/races/{NATO}/members/h%20u", 404, "no member 'h u'"),
        (f"/api/races/{NATO}/evidence?member=x!y", 422, "member: 'x!y' is not an id"),
    ],
)
def test_malformed_parameters_get_plain_messages(
    reader: TestClient, url: str, status: int, message: str
) -> None:
    r = reader.get(url)
    assert r.status_code == status and error_of(r)["message"].startswith(message)


def test_a_cleared_date_picker_shows_the_default_day(reader: TestClient) -> None:
    r = reader.get(f"/races/{NATO}?as_of=")
    assert r.status_code == 200
    assert (
        reader.get(f"/api/races/{NATO}/forecast?as_of=").json()["as_of"]
        == (reader.get(f"/api/races/{NATO}/forecast").json()["as_of"])
    )


def test_a_refused_form_leads_back_to_its_page(browser: TestClient) -> None:
    review = f"/races/{NATO}/review"
    form = {"csrf_token": csrf_of(browser.get(review).text), "text": "", "next": review}
    page = {"accept": "text/html", "referer": f"http://localhost{review}"}
    r = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=page)
    assert r.status_code == 422 and "paste an article" in r.text
    assert f'href="{review}" id="back"' in r.text
    elsewhere = {**page, "referer": "http://attacker.example/races"}
    r = browser.post(f"/api/races/{NATO}/ingest", data=form, headers=elsewhere)
    assert 'id="back"' not in r.text


def test_the_chart_marks_the_race_s_turning_points_in_order(reader: TestClient) -> None:
    marks = reader.get(f"/api/races/{NATO}/timeline").json()["marks"]
    labels = [m["label"] for m in marks]
    # the vacancy is marked when reported, so it says when the post falls vacant
    assert labels[0] == "Jens Stoltenberg to leave (2024-10-01)"
    assert labels[-1] == "Mark Rutte appointed" and marks[-1]["date"] == "2024-06-26"
    assert "Klaus Iohannis: withdrawn" in labels
    assert [m["date"] for m in marks] == sorted(m["date"] for m in marks)


def test_correction_boxes_suggest_the_race_s_values(browser: TestClient) -> None:
    html = browser.get(f"/races/{NATO}/review").text
    box = html[html.index('<datalist id="edit-values">') : html.index("</datalist>")]
    for value in ("oppose", "withdrawn", "HUN", "rutte"):
        assert f'<option value="{value}"' in box


def test_the_kingmakers_say_whom_they_are_about(reader: TestClient) -> None:
    fc = reader.get(f"/api/races/{NATO}/forecast", params={"as_of": "2024-04-29"}).json()
    assert fc["front_runner"] == {"id": "rutte", "name": "Mark Rutte"}
    page = reader.get(f"/races/{NATO}", params={"as_of": "2024-04-29"}).text
    assert "stance on Mark Rutte, the most likely named candidate" in page


def test_an_id_in_the_wrong_case_gets_a_suggestion(reader: TestClient) -> None:
    r = reader.get(f"/api/races/{NATO}/members/hun")
    assert r.status_code == 404 and error_of(r)["message"].endswith("did you mean HUN?")
    r = reader.get(f"/api/races/{NATO}/members/XXX")
    assert "there are: ALB, BEL" in error_of(r)["message"]
    r = reader.get(f"/api/races/{NATO}/evidence", params={"candidate": "Rutte"})
    assert r.status_code == 404 and error_of(r)["message"].endswith("did you mean rutte?")


def test_a_form_with_both_text_and_a_file_is_refused(writer: TestClient) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": STANCE_TEXT, "date": "2024-03-01"},
        files={"file": ("a.txt", STANCE_TEXT.encode())},
    )
    assert r.status_code == 422 and "not both" in error_of(r)["message"]


def test_the_article_page_says_how_many_lines_were_skipped(browser: TestClient) -> None:
    review = f"/races/{NATO}/review"
    rows = (
        b'{"text": "' + STANCE_TEXT.encode() + b'", "date": "2024-03-01"}\n'
        b"not json\n"
        b'{"text": "Other.", "date": "not-a-date"}\n'
    )
    r = browser.post(
        f"/api/races/{NATO}/ingest",
        data={"csrf_token": csrf_of(browser.get(review).text), "next": review},
        files={"file": ("mixed.jsonl", rows)},
        headers={"accept": "text/html"},
    )
    assert r.status_code == 303 and "skipped=2" in r.headers["location"]
    page = browser.get(r.headers["location"]).text
    assert "2 lines of the file could not be read" in page


def test_the_chart_marks_the_withdrawal_that_stuck(km: Kingmaker) -> None:
    race = km.race(NATO)
    first = next(e for e in race.evidence if e.kind == "candidacy" and e.candidate == "iohannis")

    def candidacy(eid: str, day: str, status: str) -> object:
        return first.model_copy(
            update={"id": eid, "date": dt.date.fromisoformat(day), "status": status}
        )

    early = [candidacy("w1", "2024-04-10", "withdrawn"), candidacy("d1", "2024-04-25", "declared")]
    race = race.model_copy(update={"evidence": (*race.evidence, *early)})
    marks = {m["label"]: m["date"] for m in turning_points(race)}
    assert marks["Klaus Iohannis: withdrawn"] == "2024-06-20"  # not the report of 04-10


def test_the_article_page_says_when_an_article_was_read_with_a_note(browser: TestClient) -> None:
    review = f"/races/{NATO}/review"
    r = browser.post(
        f"/api/races/{NATO}/ingest",
        data={"csrf_token": csrf_of(browser.get(review).text), "date": "2024-03-01"},
        files={"file": ("latin.txt", (STANCE_TEXT + " Café.").encode("cp1252"))},
        headers={"accept": "text/html"},
    )
    assert r.status_code == 303 and "noted=1" in r.headers["location"]
    assert "skipped" not in r.headers["location"]  # a note is not a line dropped
    page = browser.get(r.headers["location"]).text
    assert "1 article was read with a note" in page and "1,000,000 characters" in page
