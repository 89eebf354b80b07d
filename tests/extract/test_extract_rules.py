"""Rule behaviour on single sentences, in both modes: negation, hedges, coordination,
passives, lifted objections, reported speech, home states, leaders as of a date, misspellings."""

from __future__ import annotations

from typing import Any

import pytest

from kingmaker.extract import Event, Extractor
from kingmaker.records import Race

from .conftest import MODES, article, require_mode


def stances(events: list[Event], threshold: float = 0.5) -> set[tuple[Any, ...]]:
    return {
        (e.member, e.candidate, e.stance, e.lifted)
        for e in events
        if e.kind == "stance" and e.confidence >= threshold
    }


def read(ex: Extractor, text: str, day: str = "2024-03-01") -> list[Event]:
    return ex.extract(article(text, day))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Hungary cannot support Mark Rutte as NATO chief.", {("HUN", "rutte", "oppose", False)}),
        ("Hungary will not back Rutte.", {("HUN", "rutte", "oppose", False)}),
        ("Turkey refuses to back Rutte for the NATO post.", {("TUR", "rutte", "oppose", False)}),
        ("Hungary has not yet backed Rutte.", set()),
        ("Turkey is one of four allies that have not publicly backed Rutte.", set()),
        ("Slovakia, Romania and Hungary have yet to back Rutte.", set()),
    ],
)
def test_negation(nato_extractor: Extractor, text: str, want: set[tuple[Any, ...]]) -> None:
    assert stances(read(nato_extractor, text)) == want


def test_hedges_lower_confidence(nato_extractor: Extractor) -> None:
    plain = read(nato_extractor, "Turkey backs Mark Rutte for NATO chief.")
    hedged = {
        text: read(nato_extractor, text)
        for text in (
            "Turkey may back Mark Rutte for NATO chief.",
            "Turkey is expected to back Mark Rutte for NATO chief.",
            "Turkey reportedly backs Mark Rutte for NATO chief.",
        )
    }
    base = next(e.confidence for e in plain if e.kind == "stance")
    for text, events in hedged.items():
        conf = [e.confidence for e in events if e.kind == "stance"]
        assert conf and max(conf) < base, text
    may = [e for e in hedged["Turkey may back Mark Rutte for NATO chief."] if e.kind == "stance"]
    assert stances(may) == set(), "speculation stays below the default threshold"


def test_coordination_gives_one_event_per_member(nato_extractor: Extractor) -> None:
    events = read(nato_extractor, "The US, UK, France and Germany back Rutte for NATO chief.")
    assert stances(events) == {(m, "rutte", "support", False) for m in ("USA", "GBR", "FRA", "DEU")}


@pytest.mark.parametrize(
    "text",
    [
        "Rutte is backed by Lithuania and Estonia.",
        "Mark Rutte, who is backed by Lithuania and Estonia, leads the race.",
        "Rutte won the backing of Lithuania and Estonia on Tuesday.",
    ],
)
def test_passives_and_agents(nato_extractor: Extractor, text: str) -> None:
    assert stances(read(nato_extractor, text)) == {
        ("LTU", "rutte", "support", False),
        ("EST", "rutte", "support", False),
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Hungary lifted its veto on Rutte's candidacy on Tuesday.",
            ("HUN", "rutte", "support", True),
        ),
        ("Turkey, which had opposed Rutte, now backs him.", ("TUR", "rutte", "support", True)),
        (
            "Hungary could drop its opposition to Rutte if Iohannis withdrew.",
            ("HUN", "rutte", "oppose", False),
        ),
    ],
)
def test_lifted_objections(nato_extractor: Extractor, text: str, want: tuple[Any, ...]) -> None:
    final = stances(read(nato_extractor, text))
    assert want in final
    assert {s for s in final if s[:2] == want[:2]} == {want}


def test_reported_speech_and_pronouns(nato_extractor: Extractor) -> None:
    events = read(nato_extractor, "Szijjártó said Hungary would never back Rutte as NATO chief.")
    assert stances(events) == {("HUN", "rutte", "oppose", False)}
    events = read(nato_extractor, "A British official said it strongly supports Mark Rutte.")
    assert stances(events) == {("GBR", "rutte", "support", False)}


def test_home_state(nato_extractor: Extractor) -> None:
    nominated = read(
        nato_extractor, "Romania nominated its president, Klaus Iohannis, for NATO chief."
    )
    assert ("ROU", "iohannis", "support", False) in stances(nominated)
    own = read(nato_extractor, "Dutch Prime Minister Mark Rutte said he backs a strong NATO.")
    assert stances(own) == set()


def test_the_only_candidate(nato_extractor: Extractor) -> None:
    events = read(
        nato_extractor, "Mark Rutte is now the only candidate for NATO Secretary General."
    )
    assert {(e.candidate, e.status) for e in events if e.kind == "candidacy"} == {
        ("rutte", "declared")
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Kallas has expressed interest in the NATO post.", ("kallas", "interested")),
        ("Klaus Iohannis withdrew from the race for NATO chief.", ("iohannis", "withdrawn")),
        ("Iohannis is under pressure to withdraw from the race.", ("iohannis", "declared")),
        ("Kallas is likely to run for the top post.", ("kallas", "interested")),
        # a list of the candidates, as 'the candidates are X' (the shared gold's 'declared':
        # nominee, candidate, contender); ranked by the press it is a mention
        ("Other candidates include Mette Frederiksen.", ("frederiksen", "declared")),
        ("Other leading candidates include Mette Frederiksen.", ("frederiksen", "mentioned")),
        ("Possible candidates include Mette Frederiksen.", ("frederiksen", "mentioned")),
    ],
)
def test_candidacy(nato_extractor: Extractor, text: str, want: tuple[str, str]) -> None:
    assert {
        (e.candidate, e.status) for e in read(nato_extractor, text) if e.kind == "candidacy"
    } == {want}


def test_counts(nato_extractor: Extractor) -> None:
    (count,) = [
        e
        for e in read(nato_extractor, "Rutte is backed by 28 of 32 NATO allies.")
        if e.kind == "count"
    ]
    assert (count.candidate, count.count, count.of) == ("rutte", 28, 32)
    (frac,) = [
        e
        for e in read(nato_extractor, "About two-thirds of NATO countries back Rutte.")
        if e.kind == "count"
    ]
    assert (
        frac.count is None
        and frac.fraction == pytest.approx(2 / 3)
        and frac.qualifier == "approximately"
    )
    needs = read(nato_extractor, "Rutte needs the support of all 32 allies.")
    assert not [e for e in needs if e.kind == "count"]


def test_vacancy_and_appointment(nato_extractor: Extractor) -> None:
    vac = read(nato_extractor, "Jens Stoltenberg will step down in October.", "2024-02-01")
    assert [(e.incumbent, e.ends) for e in vac if e.kind == "vacancy"] == [
        ("Jens Stoltenberg", "2024-10")
    ]
    text = (
        "NATO appointed Mark Rutte as secretary general on Wednesday. "
        "He takes over from Jens Stoltenberg on October 1."
    )
    (app,) = [e for e in read(nato_extractor, text, "2024-06-26") if e.kind == "appointment"]
    assert (app.candidate, app.date, app.takes_office) == ("rutte", "2024-06-26", "2024-10-01")


def small_race(**leader: Any) -> Race:
    """Two members; Hungary's prime minister leaves office on 31 January 2024."""
    return Race.model_validate(
        {
            "id": "small",
            "name": "Small",
            "opened": "2023-06-01",
            "post": {"name": "Secretary General", "aliases": ["NATO chief"]},
            "bodies": [
                {
                    "id": "b",
                    "name": "Body",
                    "members": [
                        {
                            "id": "HUN",
                            "name": "Hungary",
                            "leaders": [
                                {
                                    "name": "Viktor Orbán",
                                    "aliases": ["Orbán", "Orban"],
                                    "role": "Prime Minister",
                                    "start": "2010-05-29",
                                    "end": "2024-01-31",
                                },
                                {
                                    "name": "Péter Szijjártó",
                                    "aliases": ["Szijjártó"],
                                    "role": "Minister of Foreign Affairs",
                                    "start": "2014-09-23",
                                },
                            ],
                        },
                        {"id": "NLD", "name": "Netherlands", "aliases": ["Dutch"]},
                    ],
                }
            ],
            "rule": {"kind": "consensus"},
            "candidates": [
                {"id": "rutte", "name": "Mark Rutte", "aliases": ["Rutte"], "home": "NLD"}
            ],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_leaders_speak_for_their_member_only_while_in_office(mode: str) -> None:
    require_mode(mode)
    ex = Extractor(small_race(), mode=mode)
    text = "Orbán said he cannot support Rutte."
    assert stances(read(ex, text, "2024-01-15")) == {("HUN", "rutte", "oppose", False)}
    assert stances(read(ex, text, "2024-03-01")) == set()
    still = "Szijjártó said he cannot support Rutte."
    assert stances(read(ex, still, "2024-03-01")) == {("HUN", "rutte", "oppose", False)}


@pytest.mark.parametrize("spelling", ["Ruttte", "Rutt", "Marko Rutte"])
def test_misspelt_candidates(nato_extractor: Extractor, spelling: str) -> None:
    events = read(nato_extractor, f"Lithuania backs {spelling} for NATO chief.")
    want = set() if spelling == "Rutt" else {("LTU", "rutte", "support", False)}
    assert stances(events) == want


def test_prefilter_skips_sentences_without_names(nato_extractor: Extractor) -> None:
    text = "The weather was fine. Hungary cannot support Rutte. Nothing else happened."
    _, spans = nato_extractor.select(article(text))
    assert [text[s:e] for s, e in spans] == ["Hungary cannot support Rutte."]
