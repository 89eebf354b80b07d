"""eval-extract on invented gold: the richer schema, strict member-level scoring, each
article's own race, warnings, "n/a", one-line errors, pooled and per-race figures; and
tallies mapped onto the engine's evidence kinds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kingmaker.errors import ExtractionError
from kingmaker.extract import Extractor, to_evidence
from kingmaker.extract.evaluate import evaluate_corpora, load_corpus, race_id
from kingmaker.extract.evidence import evidence_events, storable
from kingmaker.records import BallotEvidence, CountEvidence, PollEvidence, Race

from .conftest import article, fictional_race
from .test_extract_principles import RACE


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ARTICLES: list[dict[str, Any]] = [
    {"id": "a1", "race": "northern_council_sg_2032", "date": "2032-02-10",
     "text": "Borea and Calvia back Okoro. In the first round Okoro won 30 votes."},
    {"id": "a2", "race": "northern_council_sg_2032", "date": "2032-02-11",
     "text": "Greta Moss will stay on as chair of the harbour."},
]  # fmt: skip
GOLD: list[dict[str, Any]] = [
    {"id": "a1", "events": [
        {"type": "stance", "member": "Borea", "candidate": "Tomas Okoro", "stance": "support",
         "lifted": False},
        {"type": "stance", "member": "Calvia", "candidate": "Tomas Okoro", "stance": "support",
         "lifted": False},
        {"type": "stance", "member": "Coastal League", "candidate": "Tomas Okoro",
         "stance": "support", "lifted": False, "group": True},
        {"type": "stance", "member": "Esteria", "candidate": "Tomas Okoro", "stance": "oppose",
         "lifted": False, "past": True},
        {"type": "count", "candidate": "Tomas Okoro", "what": "votes", "count": 30, "of": None,
         "round": "1"},
        {"type": "candidacy", "person": "Tomas Okoro", "status": "declared"},
        {"type": "candidacy", "person": "Wendy Absent", "status": "declared", "post": "Deputy"},
    ]},
    {"id": "a2", "events": [
        {"type": "candidacy", "person": "Nobody Known", "status": "mentioned"},
    ]},
]  # fmt: skip


def corpus(tmp_path: Path, gold: list[dict[str, Any]] = GOLD) -> Any:
    return load_corpus(write(tmp_path / "a.jsonl", ARTICLES), write(tmp_path / "g.jsonl", gold))


def races(rid: str) -> Race:
    if rid == RACE.id:
        return RACE
    if rid == "harbour-chair-2031":
        return fictional_race()
    raise ExtractionError(f"no race '{rid}'")


def test_strict_member_level_scoring_reads_counts_and_honours_the_race(tmp_path: Path) -> None:
    c = corpus(tmp_path)
    assert set(c.races.values()) == {"northern-council-sg-2032"}, "underscores become hyphens"
    ev = evaluate_corpora([c], races, lambda r: Extractor(r, mode="fallback"))
    rep = ev.races["northern-council-sg-2032"]
    s = rep.scores
    assert (s["stance"].tp, s["stance"].fn) == (2, 0), "group and past stances are left out"
    assert s["count"].tp == 1, "a count matches on candidate, what and number"
    assert s["appointment"].empty and "n/a" in rep.render()
    assert any("'Nobody Known'" in w for w in rep.warnings), "gold names the race lacks"
    assert not any("Wendy Absent" in w for w in rep.warnings), "another post is left out"
    kept = evaluate_corpora(
        [c], races, lambda r: Extractor(r, mode="fallback"), keep_all=True
    ).pooled.scores["stance"]
    assert kept.fn == 2, "--keep-group-past scores them (and they are misses here)"


def test_several_corpora_give_per_race_and_pooled_figures(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    harbour = load_corpus(
        write(other / "a.jsonl", [{"id": "h1", "date": "2031-03-01",
                                   "text": "Owen Blake backs Victor Stahl for board chair."}]),
        write(other / "g.jsonl", [{"id": "h1", "events": [
            {"type": "stance", "member": "Owen Blake", "candidate": "Victor Stahl",
             "stance": "support", "lifted": False}]}]),
    )  # fmt: skip
    ev = evaluate_corpora(
        [corpus(tmp_path), harbour],
        races,
        lambda r: Extractor(r, mode="fallback"),
        default_race="harbour-chair-2031",
    )
    assert set(ev.races) == {"northern-council-sg-2032", "harbour-chair-2031"}
    pooled = ev.pooled.scores["stance"]
    assert pooled.tp == sum(r.scores["stance"].tp for r in ev.races.values()) == 3
    text = ev.render()
    assert "pooled over 2 races" in text and "harbour-chair-2031" in text
    assert set(ev.as_dict()["races"]) == set(ev.races)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"type": "tally", "count": 3}, "has type 'tally'"),
        ({"type": "stance", "member": "Borea"}, "lacks 'candidate', 'stance'"),
        ({"type": "count", "count": 3, "what": "cheers"}, "has what 'cheers'"),
        ("stance", "is not a JSON object"),
    ],
)
def test_bad_gold_is_a_one_line_error_naming_the_line(
    tmp_path: Path, event: Any, message: str
) -> None:
    with pytest.raises(ExtractionError) as info:
        corpus(tmp_path, [{"id": "a1", "events": [event]}])
    text = str(info.value)
    assert "g.jsonl:1: event 1" in text and message in text and "\n" not in text


def test_an_article_without_a_race_needs_one(tmp_path: Path) -> None:
    c = load_corpus(
        write(tmp_path / "a.jsonl", [{"id": "x", "text": "Okoro."}]),
        write(tmp_path / "g.jsonl", [{"id": "x", "events": []}]),
    )
    with pytest.raises(ExtractionError, match="names no race"):
        evaluate_corpora([c], races, lambda r: Extractor(r, mode="fallback"))
    assert race_id(" WHO_DG_2017 ") == "who-dg-2017"


def test_tallies_become_ballot_poll_and_count_evidence() -> None:
    a = article(
        "In the first round Okoro won 30 votes. "
        "In the second straw poll Lund received 11 encouraging votes, 3 discouraging and "
        "1 no opinion. 12 members voted against Sorin. About 20 of the 58 states back Okoro.",
        "2032-02-10",
    )
    events = Extractor(RACE, mode="fallback").extract(a)
    items = [to_evidence(e, a, RACE, threshold=0.5) for e in evidence_events(events)]
    ballot = next(i for i in items if isinstance(i, BallotEvidence))
    assert (ballot.round, ballot.tallies) == (1, {"okoro": 30})
    poll = next(i for i in items if isinstance(i, PollEvidence))
    assert (poll.round, poll.candidate, poll.encourage, poll.discourage, poll.no_opinion) == (
        2,
        "lund",
        11,
        3,
        1,
    )
    count = next(i for i in items if isinstance(i, CountEvidence))
    assert (count.candidate, count.count, count.of) == ("okoro", 20, 58)
    against = [e for e in events if e.kind == "count" and e.what == "against"]
    assert against and not any(storable(e) for e in against), "no evidence kind for it"
