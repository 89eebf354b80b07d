"""v10: in a body whose rule draws votes the endorsement share weighs more in the mix
(``vote_endorsement_pull``); a body that decides by acceptance keeps ``endorsement_weight``."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import D, candidacy, make_race, stance
from kingmaker.engine import Params, build_beliefs
from kingmaker.engine.forecast import mix

EVIDENCE = [
    candidacy("c1", "2024-01-02", "a"),
    candidacy("c2", "2024-01-02", "b"),
    stance("s1", "2024-02-01", "M0", "a"),
    stance("s2", "2024-02-01", "M1", "a"),
]


def _race(rule: dict[str, Any]) -> Any:
    return make_race(n_members=9, rule=rule, evidence=EVIDENCE)


@pytest.mark.parametrize("pull", [0.0, 0.4, 1.0])
def test_a_voting_body_moves_the_endorsement_weight_toward_one(pull: float) -> None:
    race = _race({"kind": "majority", "of": "votes_cast"})
    params = Params(vote_endorsement_pull=pull)
    beliefs = build_beliefs(race, D("2024-03-01"), params)
    assert beliefs.votes is not None and beliefs.endorse is not None
    scale, offset, dead = mix(beliefs, params)
    w = params.endorsement_weight + pull * (1 - params.endorsement_weight)
    expected = (1 - dead) * w * beliefs.endorse
    expected[-1] += (1 - dead) * (1 - w) * beliefs.field_prior
    assert offset == pytest.approx(expected)
    assert scale == pytest.approx((1 - dead) * (1 - w) * (1 - beliefs.field_prior))


def test_a_body_that_decides_by_acceptance_ignores_the_pull() -> None:
    race = _race({"kind": "consensus"})
    beliefs = build_beliefs(race, D("2024-03-01"), Params())
    assert beliefs.votes is None
    s0, off0, d0 = mix(beliefs, Params(vote_endorsement_pull=0.0))
    s1, off1, d1 = mix(beliefs, Params(vote_endorsement_pull=1.0))
    assert (s0, d0) == (s1, d1) and list(off0) == list(off1)
