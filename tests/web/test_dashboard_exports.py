"""The dashboard's exports and first screen, without a browser: CSV downloads, the leader
and "since last week" line, decided races on the race list, one vocabulary with the
command line, and a pasted article dated at its start."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from .conftest import BEARER, NATO

DAY = "2024-04-29"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_forecast_and_evidence_as_csv(reader: TestClient) -> None:
    r = reader.get(f"/api/races/{NATO}/forecast.csv?as_of={DAY}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="{NATO}-forecast-{DAY}.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    api = reader.get(f"/api/races/{NATO}/forecast?as_of={DAY}").json()
    assert {x["outcome"]: float(x["probability"]) for x in rows} == {
        o["id"]: o["probability"] for o in api["outcomes"]
    }
    r = reader.get(f"/api/races/{NATO}/evidence.csv?as_of={DAY}&member=HUN")
    assert r.status_code == 200
    items = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert items and {x["member"] for x in items} == {"HUN"}
    assert reader.get(f"/api/races/{NATO}/evidence.csv?member=XXX").status_code == 404
    assert reader.get(f"/api/races/{NATO}/forecast.csv?as_of=2024-13-01").status_code == 422


def test_csv_cells_never_run_as_formulas(writer: TestClient) -> None:
    text = (
        '=HYPERLINK("http://x") Hungary\'s prime minister Viktor Orbán said on Friday that '
        "Hungary would back Mark Rutte to become NATO Secretary General."
    )
    r = writer.post(
        f"/api/races/{NATO}/ingest", headers=BEARER, json={"text": text, "date": "2024-05-03"}
    )
    assert r.status_code == 200, r.text
    body = writer.get(f"/api/races/{NATO}/evidence.csv").content.decode("utf-8-sig")
    quotes = [row["quote"] for row in csv.DictReader(io.StringIO(body)) if row["quote"]]
    assert not any(q.startswith(("=", "+", "-", "@")) for q in quotes)
    assert any(q.startswith("'=HYPERLINK") for q in quotes), "the quote is kept, defused"


def test_race_page_leads_with_the_leader_and_the_week(reader: TestClient) -> None:
    page = reader.get(f"/races/{NATO}?as_of={DAY}").text
    head = text_of(page[page.index('id="headline"') : page.index('class="lede"')])
    fc = reader.get(f"/api/races/{NATO}/forecast?as_of={DAY}").json()
    rutte = next(o for o in fc["outcomes"] if o["id"] == "rutte")
    assert f"Leader as of {DAY}: Mark Rutte , probability {100 * rutte['probability']:.1f}%" in head
    assert "Since last week (2024-04-22)" in head
    week = reader.get(f"/api/races/{NATO}/forecast?as_of=2024-04-22").json()
    then = {o["id"]: o["probability"] for o in week["outcomes"]}
    moved = [o for o in fc["outcomes"] if abs(o["probability"] - then[o["id"]]) >= 0.01]
    # the line reports a move of a point or more, or says there was none
    assert bool(moved) != ("no outcome moved by a point or more" in head)
    # the week of 22 February 2024: France, Germany, the UK and the US back Rutte (a count
    # of two thirds of the allies) and Frederiksen withdraws; the line names that evidence
    feb = reader.get(f"/races/{NATO}?as_of=2024-02-23").text
    feb_head = text_of(feb[feb.index('id="headline"') : feb.index('class="lede"')])
    assert re.search(
        r"Mark Rutte up \d+\.\d pts, [\d.]+% to [\d.]+%: [^.]*"
        r"members back Mark Rutte \(2024-02-22\)",
        feb_head,
    ), feb_head
    assert 'href="/api/races/nato-sg-2024/forecast.csv?as_of=2024-04-29"' in page
    # one vocabulary with the command line: probability, ± s.e. (pts), pts for a swing
    assert "Chance" not in page and "95% simulation interval" not in page
    assert "± s.e. (pts)" in page and ">Probability<" in page
    assert re.search(r'<td class="num">\d+\.\d pts</td>', page), "swings in points"
    decided = text_of(reader.get(f"/races/{NATO}").text)
    assert "Decided on 2024-06-26: Mark Rutte" in decided


def test_a_race_decided_by_its_first_body_reads_decided(reader: TestClient) -> None:
    races = {r["id"]: r for r in reader.get("/api/races").json()}
    un = races["un-sg-2016"]  # the Council's recommendation decided it; no appointment item
    assert un["decided"] is True and un["leader"]["id"] == "guterres"
    assert races["un-sg-2026"]["decided"] is False
    row = re.search(r'<tr>\s*<td><a href="/races/un-sg-2016">.*?</tr>', reader.get("/").text, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert "decided" in cells[5] and "%" not in cells[5]
    live = re.search(r'<tr>\s*<td><a href="/races/un-sg-2026">.*?</tr>', reader.get("/").text, re.S)
    assert live is not None and re.search(r"\d+\.\d%", live.group(0))


def test_pasted_text_dated_at_its_start_is_read_as_the_command_line_reads_it(
    writer: TestClient,
) -> None:
    text = (
        "3 May 2024 — Hungary's prime minister Viktor Orbán said that Hungary would back "
        "Mark Rutte to become NATO Secretary General."
    )
    r = writer.post(f"/api/races/{NATO}/ingest", headers=BEARER, data={"text": text})
    assert r.status_code == 200, r.text
    article = r.json()["articles"][0]
    stored = writer.get(f"/api/races/{NATO}/articles/{article}").json()["article"]
    assert stored["date"] == "2024-05-03"
    # the form's date, when given, wins, as --date does on the command line
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": "2 May 2024: " + text[12:], "date": "2024-05-06"},
    )
    article = r.json()["articles"][0]
    assert writer.get(f"/api/races/{NATO}/articles/{article}").json()["article"]["date"] == (
        "2024-05-06"
    )
    r = writer.post(
        f"/api/races/{NATO}/ingest", headers=BEARER, data={"text": "31 February 2024. " + text}
    )
    assert r.status_code == 422 and "impossible date" in r.json()["error"]["message"]
