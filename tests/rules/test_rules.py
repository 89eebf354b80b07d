"""Invariants of the decision rules, checked on random tallies (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conftest import make_race, member
from kingmaker.rules import (
    Consensus,
    DoubleMajority,
    Electorate,
    Majority,
    Supermajority,
    Tally,
    ThresholdVeto,
    TwoStage,
)

M, C, S = 7, 3, 5


def electorate(veto: np.ndarray | None = None) -> Electorate:
    groups = {"P": np.array([i < 2 for i in range(M)])}
    return Electorate(
        member_ids=tuple(f"M{i}" for i in range(M)),
        weights=np.ones(M),
        veto=np.zeros(M, bool) if veto is None else veto,
        bodies={"council": np.ones(M, bool)},
        groups=groups,
    )


accepts = arrays(bool, (C, M, S))
stands = arrays(bool, (C, S))


def tally(acc: np.ndarray, st_: np.ndarray, vote: np.ndarray | None = None) -> Tally:
    return Tally(accept=acc, vote=np.empty((0, S), np.int16) if vote is None else vote, stands=st_)


@given(accepts, stands)
def test_consensus_any_block_is_decisive(acc: np.ndarray, st_: np.ndarray) -> None:
    f = Consensus(kind="consensus").feasible(tally(acc, st_), electorate())
    assert np.array_equal(f, acc.all(axis=1) & st_)
    blocked = ~acc.all(axis=1)
    assert not f[blocked].any()


@given(accepts, stands, st.integers(1, M))
def test_threshold_veto_needs_votes_and_no_veto(acc: np.ndarray, st_: np.ndarray, k: int) -> None:
    rule = ThresholdVeto(kind="threshold-veto", threshold=k, veto_group="P")
    f = rule.feasible(tally(acc, st_), electorate())
    votes = acc.sum(axis=1)
    vetoed = ~acc[:, :2, :].all(axis=1)
    assert np.array_equal(f, (votes >= k) & ~vetoed & st_)


member_rules = [
    Consensus(kind="consensus"),
    ThresholdVeto(kind="threshold-veto", threshold=4, veto_group="P"),
    Supermajority(kind="supermajority", fraction=2 / 3, of="members"),
    Majority(kind="majority", of="members"),
    DoubleMajority(kind="double-majority", member_share=0.55, weight_share=0.65),
]


@pytest.mark.parametrize("rule", member_rules, ids=lambda r: r.name)
@given(
    acc=accepts,
    st_=stands,
    c=st.integers(0, C - 1),
    m=st.integers(0, M - 1),
    s=st.integers(0, S - 1),
)
@settings(max_examples=60)
def test_more_acceptance_never_hurts(
    rule: object, acc: np.ndarray, st_: np.ndarray, c: int, m: int, s: int
) -> None:
    before = rule.feasible(tally(acc, st_), electorate())  # type: ignore[attr-defined]
    more = acc.copy()
    more[c, m, s] = True
    after = rule.feasible(tally(more, st_), electorate())  # type: ignore[attr-defined]
    assert (after >= before).all()


@pytest.mark.parametrize("rule", member_rules, ids=lambda r: r.name)
def test_all_accept_passes_none_accept_fails(rule: object) -> None:
    el = electorate()
    yes = rule.feasible(tally(np.ones((C, M, S), bool), np.ones((C, S), bool)), el)  # type: ignore[attr-defined]
    no = rule.feasible(tally(np.zeros((C, M, S), bool), np.ones((C, S), bool)), el)  # type: ignore[attr-defined]
    assert yes.all() and not no.any()


@given(acc=accepts, st_=stands)
def test_supermajority_of_all_is_consensus(acc: np.ndarray, st_: np.ndarray) -> None:
    el = electorate()
    sm = Supermajority(kind="supermajority", fraction=1.0).feasible(tally(acc, st_), el)
    assert np.array_equal(sm, Consensus(kind="consensus").feasible(tally(acc, st_), el))


@given(votes=arrays(np.int16, (M, S), elements=st.integers(-1, C - 1)))
def test_majority_of_votes_cast_elects_at_most_one(votes: np.ndarray) -> None:
    acc = np.ones((C, M, S), bool)
    f = Majority(kind="majority", of="votes_cast").feasible(
        tally(acc, np.ones((C, S), bool), votes), electorate()
    )
    assert (f.sum(axis=0) <= 1).all()
    for s in range(S):
        cast = votes[:, s][votes[:, s] >= 0]
        for c in range(C):
            assert f[c, s] == (cast.size > 0 and (cast == c).sum() * 2 > cast.size)


@given(acc=accepts, st_=stands)
def test_two_stage_is_both_stages(acc: np.ndarray, st_: np.ndarray) -> None:
    el = electorate()
    a = ThresholdVeto(kind="threshold-veto", threshold=3, veto_group="P")
    b = Majority(kind="majority", of="members")
    two = TwoStage(kind="two-stage", propose=a, confirm=b)
    t = tally(acc, st_)
    assert np.array_equal(two.feasible(t, el), a.feasible(t, el) & b.feasible(t, el))


def test_double_majority_needs_both_shares() -> None:
    el = Electorate(
        member_ids=("A", "B", "C", "D"),
        weights=np.array([70.0, 10, 10, 10]),
        veto=np.zeros(4, bool),
        bodies={"x": np.ones(4, bool)},
        groups={},
    )
    rule = DoubleMajority(kind="double-majority", member_share=0.55, weight_share=0.65)
    acc = np.array([[[1], [0], [0], [0]], [[0], [1], [1], [1]], [[1], [1], [1], [0]]], bool)
    f = rule.feasible(Tally(acc, np.empty((0, 1), np.int16), np.ones((3, 1), bool)), el)
    # one big member alone: weight yes, members no; three small: members yes, weight no.
    assert f[:, 0].tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "threshold-veto", "threshold": 9}, "exceeds the 5 votes"),
        ({"kind": "threshold-veto", "threshold": 3, "veto_group": "P5"}, "matches no member"),
        ({"kind": "consensus", "body": "assembly"}, "names body 'assembly'"),
        ({"kind": "supermajority", "fraction": 1.5}, "less than or equal to 1"),
    ],
)
def test_rules_that_cannot_be_satisfied_are_refused(rule: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_race(5, rule=rule)


def test_rule_names_are_versioned() -> None:
    assert Consensus(kind="consensus").name == "consensus.v1"
    assert "any one can block" in Consensus(kind="consensus").describe()
    race = make_race(
        members=[member("A", groups=["P5"]), member("B")],
        rule={"kind": "threshold-veto", "threshold": 1, "veto_group": "P5"},
    )
    assert race.rule.name == "threshold-veto.v1"
