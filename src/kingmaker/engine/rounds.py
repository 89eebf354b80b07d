"""Bodies that vote in rounds (a Speaker, a conclave): ballots until the rule is met.

Each member casts one vote per round, drawn from its vote propensity (``Beliefs.votes``).
After a round that elects no one, members whose candidate trails may switch: with
``switch_rate`` they redraw their vote in proportion to propensity times the candidates'
vote shares raised to ``switch_power`` (the pull of the leaders). No winner after
``rounds`` ballots is a deadlock.
"""

from __future__ import annotations

import zlib

import numpy as np

from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.params import Params
from kingmaker.engine.simulate import Simulation
from kingmaker.rules import RuleBase, Tally


def _gumbel(g: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    u = g.random(shape, dtype=np.float32)
    out: np.ndarray = -np.log(-np.log(np.clip(u, 1e-7, 1 - 1e-7)))
    return out


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
    log_v = np.log(np.maximum(beliefs.votes, 1e-12)).astype(np.float32)[:, :, None]
    closed = np.where(stands, 0.0, -np.inf).astype(np.float32)[:, None, :]
    vote = np.argmax(log_v + closed + _gumbel(g, (n_c, n_m, s)), axis=0).astype(np.int16)
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
        trailing = vote[:, cols] != leader[None, :]
        moves = trailing & (g.random((n_m, cols.size)) < params.switch_rate)
        if not moves.any():
            continue
        share = tallies / np.maximum(tallies.sum(axis=0, keepdims=True), 1e-9)
        pull = params.switch_power * np.log(np.maximum(share, 1e-6))[:, None, :]
        redraw = log_v + pull + closed[:, :, cols] + _gumbel(g, (n_c, n_m, cols.size))
        new_vote = np.argmax(redraw, axis=0).astype(np.int16)
        block = vote[:, cols]
        block[moves] = new_vote[moves]
        vote[:, cols] = block
    accept = vote[None, :, :] == cands
    order = np.broadcast_to(np.arange(s), (n_c, s))
    return Simulation(winners=winners, accept=accept, stands=stands, order=order)
