"""Bodies that vote in rounds (a Speaker, a conclave): ballots until the rule is met.

Each member casts one vote per round, drawn from its vote propensity (``Beliefs.votes``).
After a round that elects no one, members whose candidate trails may switch: with
``switch_rate`` they redraw their vote in proportion to propensity times the candidates'
vote shares raised to ``switch_power`` (the pull of the leaders). No winner after
``rounds`` ballots goes, like a blocked body, to the leader of the last ballot with
``relent``, else to someone else (the field).
"""

from __future__ import annotations

import zlib

import numpy as np

from kingmaker.engine.ballots import choose, choose_factored
from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.lean import sample_lean
from kingmaker.engine.params import Params
from kingmaker.engine.simulate import Simulation, backed_share, heir_of_blocked
from kingmaker.rules import RuleBase, Tally


def simulate_rounds(
    beliefs: Beliefs, rule: RuleBase, *, samples: int, seed: int, params: Params
) -> Simulation:
    """Sample ``samples`` sequences of ballots; see the module docstring."""
    assert beliefs.votes is not None
    s = samples
    n_c, n_m = beliefs.votes.shape
    seq = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(b"rounds"),))
    g = np.random.Generator(np.random.SFC64(seq))
    stands = g.random((n_c, s)) < beliefs.stand[:, None]
    stands[-1] |= ~stands[:-1].any(axis=0)  # where no named candidate stands, the field does
    v = np.maximum(beliefs.votes, 1e-12).astype(np.float32)
    # Each sample's weight of a candidate: standing, times the body's revealed lean (silent
    # members follow it); made one candidate at a time to hold no (C, M, S) array.
    lean = None if beliefs.lean is None else sample_lean(beliefs.lean, s, seed, params)
    col = stands.astype(np.float32) if lean is None else stands * lean
    vote = choose_factored(g, n_c, lambda c: v[c][:, None] * col[c][None, :])
    vote[:, ~stands.any(axis=0)] = -1
    weights = beliefs.electorate.weights.astype(np.float32)
    cands = np.arange(n_c, dtype=np.int16)[:, None, None]
    winners = np.full(s, -1, dtype=np.int16)
    open_ = np.ones(s, dtype=bool)
    for _ in range(params.rounds):
        accept = vote[None, :, :] == cands
        tally = Tally(accept=accept, vote=vote, stands=stands)
        feasible = rule.feasible(tally, beliefs.electorate)
        newly = feasible.any(axis=0) & open_
        winners[newly] = np.argmax(feasible[:, newly], axis=0)
        open_ &= ~newly
        cols = np.flatnonzero(open_)
        if cols.size == 0:
            break
        sub = accept[:, :, cols]
        tallies = np.einsum("cms,m->cs", sub, weights, dtype=np.float32)
        leader = np.argmax(tallies, axis=0)
        block = vote[:, cols]
        trailing = block != leader[None, :]
        mi, si = np.nonzero(trailing & (g.random((n_m, cols.size)) < params.switch_rate))
        if mi.size == 0:
            continue
        share = tallies / np.maximum(tallies.sum(axis=0, keepdims=True), 1e-9)
        pull = np.maximum(share, 1e-6) ** params.switch_power * stands[:, cols]
        block[mi, si] = choose(g, v[:, mi] * pull[:, si])
        vote[:, cols] = block
    if open_.any():  # no one elected after ``rounds`` ballots: the body goes on voting
        cols = np.flatnonzero(open_)
        sub = (vote[None, :, cols] == cands) & stands[:, None, cols]
        tallies = np.einsum("cms,m->cs", sub, weights, dtype=np.float32)
        # Going on voting is no one giving way on a veto: these samples stay "firm".
        winners[cols] = heir_of_blocked(
            tallies,
            np.ones(cols.size, dtype=bool),
            seed,
            params,
            backed_share(beliefs),
            beliefs.time_left,
        )[0]
    accept = vote[None, :, :] == cands
    sample_of = np.broadcast_to(np.arange(s), (n_c, s))
    return Simulation(winners=winners, accept=accept, stands=stands, sample_of=sample_of)
