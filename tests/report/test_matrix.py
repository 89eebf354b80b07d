"""The stance matrix: the latest stance per member and candidate, lifted objections, the
as-of cut, roll calls, and who is seated."""

from __future__ import annotations

from conftest import D, make_race, member, stance
from kingmaker.report.matrix import stance_matrix


def test_latest_stance_wins_and_support_after_an_objection_is_lifted() -> None:
    race = make_race(
        evidence=[
            stance("s1", "2024-02-01", "M0", "a", "oppose"),
            stance("s2", "2024-03-01", "M0", "a", "support"),
            stance("s3", "2024-02-01", "M1", "a", "support"),
            stance("s4", "2024-02-05", "M1", "b", "neutral"),
        ]
    )
    m = stance_matrix(race, D("2024-03-15"))
    m0 = m.cell("M0", "a")
    assert m0 is not None and (m0.stance, m0.lifted, m0.reports) == ("support", True, 2)
    assert m0.evidence_id == "s2" and m0.date == D("2024-03-01")
    m1 = m.cell("M1", "a")
    assert m1 is not None and not m1.lifted
    assert m.cell("M2", "a") is None
    early = stance_matrix(race, D("2024-02-02")).cell("M0", "a")
    assert early is not None and (early.stance, early.lifted) == ("oppose", False)


def test_roll_call_votes_count_as_support() -> None:
    race = make_race(
        evidence=[
            {
                "id": "b1",
                "kind": "ballot",
                "date": "2024-02-01",
                "round": 1,
                "tallies": {"a": 1, "b": 1},
                "votes": {"M0": "a", "M1": "b"},
                "source": {"url": "https://example.org/b1"},
                "producer": "curated:test",
            }
        ]
    )
    m = stance_matrix(race, D("2024-02-02"))
    assert {(c.member, c.candidate, c.stance) for c in m.cells.values()} == {
        ("M0", "a", "support"),
        ("M1", "b", "support"),
    }


def test_rows_are_the_members_seated_on_the_day() -> None:
    race = make_race(
        members=[member("M0"), member("M1"), member("NEW", joined="2024-03-07")],
        evidence=[stance("s1", "2024-02-01", "M0", "a")],
    )
    assert [i for i, _ in stance_matrix(race, D("2024-02-01")).members] == ["M0", "M1"]
    assert [i for i, _ in stance_matrix(race, D("2024-03-08")).members] == ["M0", "M1", "NEW"]
    data = stance_matrix(race, D("2024-03-08")).as_dict()
    assert data["cells"][0]["date"] == "2024-02-01" and len(data["candidates"]) == 2
