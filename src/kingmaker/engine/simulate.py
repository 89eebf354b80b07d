"""The vectorised Monte Carlo core: sample acceptances, apply the rule, pick winners.

Pure maths over numpy arrays (candidates x members x samples); no I/O, no race files.
Each candidate draws from its own random stream keyed by the seed and the candidate's
id, so adding a candidate or a member leaves the other draws unchanged (common random
numbers make day-to-day and with/without-evidence differences low in noise).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.params import Params
from kingmaker.rules import RuleBase, Tally

_U16 = 65536


@dataclass(frozen=True)
class Simulation:
    """Raw samples of one forecast.

    Attributes:
        winners: (S,) column index of the winning candidate in each sample, -1 for deadlock.
        accept: (C, M, S) bool acceptances (after count constraints).
        stands: (C, S) bool, whether each candidate stood.
    """

    winners: np.ndarray
    accept: np.ndarray
    stands: np.ndarray

    @property
    def samples(self) -> int:
        """Number of samples."""
        return int(self.winners.shape[0])

    def shares(self, n_columns: int) -> tuple[np.ndarray, float]:
        """Share of samples won by each column, and the deadlock share."""
        counts = np.bincount(self.winners + 1, minlength=n_columns + 1)
        return counts[1:] / self.samples, float(counts[0] / self.samples)


def threshold_table(p: np.ndarray, params: Params) -> np.ndarray:
    """(M, K) uint16 acceptance thresholds per member and level of the common latent.

    A member accepts when its uniform draw is below the threshold. The common latent
    (shared by all members for one candidate in one sample) is stratified into K
    equiprobable levels; the copula correlation is ``params.correlation``.
    """
    k = params.levels
    eta = ndtri((np.arange(k) + 0.5) / k)
    rho = params.correlation
    z = (ndtri(np.clip(p, 1e-9, 1 - 1e-9))[:, None] - np.sqrt(rho) * eta[None, :]) / np.sqrt(1 - rho)
    table: np.ndarray = np.clip(np.rint(ndtr(z) * _U16), 0, _U16 - 1).astype(np.uint16)
    return table


def _stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one candidate: fixed by the seed and the candidate's id."""
    seq = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode()),))
    return np.random.Generator(np.random.SFC64(seq))


def simulate(
    beliefs: Beliefs,
    rule: RuleBase,
    *,
    samples: int,
    seed: int,
    params: Params,
    member_slots: np.ndarray,
    n_slots: int,
) -> Simulation:
    """Sample ``samples`` decisions of the body.

    Args:
        beliefs: acceptance and standing probabilities on the forecast day.
        rule: the decision rule.
        samples: number of Monte Carlo samples (> 0).
        seed: seed of every random stream.
        params: model parameters.
        member_slots: (M,) position of each seated member among all ``n_slots`` members of
            the race, so a member keeps its random numbers when others join or leave.
        n_slots: number of members the race ever seats.

    Returns:
        The winners, acceptances and standing of every sample.
    """
    s = samples
    cands = beliefs.candidate_ids
    n_c, n_m = len(cands), len(beliefs.member_ids)
    accept = np.empty((n_c, n_m, s), dtype=bool)
    stands = np.empty((n_c, s), dtype=bool)
    score = np.empty((n_c, s), dtype=np.float64)
    needs_votes = rule.needs_votes
    vote = np.full((n_m, s) if needs_votes else (0, s), -1, dtype=np.int16)
    best = np.zeros((n_m, s) if needs_votes else (0, s), dtype=np.int32)
    weights = beliefs.electorate.weights
    uniform_weights = bool(np.all(weights == weights[0])) if n_m else True
    all_seated = n_m == n_slots
    counts = {c.column: c for c in beliefs.counts}
    n_words = -(-s // 4)

    for ci, cid in enumerate(cands):
        g = _stream(seed, cid)
        level = g.integers(0, params.levels, size=s, dtype=np.int32)
        jitter = g.random(s)
        stands[ci] = g.random(s) < beliefs.stand[ci]
        count_u = g.random(s)
        raw = g.bit_generator.random_raw(n_slots * n_words).view(np.uint16)
        u = raw.reshape(n_slots, 4 * n_words)[:, :s]
        if not all_seated:
            u = u[member_slots]
        thr = np.take(threshold_table(beliefs.accept[ci], params), level, axis=1)
        acc = np.less(u, thr, out=accept[ci])
        cons = counts.get(ci)
        if cons is not None:
            _apply_count(acc, u, thr, cons.unnamed, cons.needed, count_u < cons.weight)
        if uniform_weights:
            # Summing the bytes as uint8 is 10x faster than a float sum (M < 256).
            tot = np.uint8 if n_m < 256 else np.uint32
            support = acc.view(np.uint8).sum(axis=0, dtype=tot) * (weights[0] if n_m else 1.0)
        else:
            support = weights @ acc
        # Momentum breaks ties: a lower common latent means a body leaning toward c.
        score[ci] = support + 0.5 * (1 - (level + jitter) / params.levels)
        if needs_votes:
            margin = thr.astype(np.int32) - u.astype(np.int32)
            better = (margin > best) & stands[ci][None, :]
            best[better] = margin[better]
            vote[better] = ci

    tally = Tally(accept=accept, vote=vote, stands=stands)
    feasible = rule.feasible(tally, beliefs.electorate)
    score[~feasible] = -np.inf
    winners = np.argmax(score, axis=0).astype(np.int16)
    winners[~feasible.any(axis=0)] = -1
    return Simulation(winners=winners, accept=accept, stands=stands)


def _apply_count(
    acc: np.ndarray,
    u: np.ndarray,
    thr: np.ndarray,
    unnamed: np.ndarray,
    needed: int,
    applied: np.ndarray,
) -> None:
    """Make at least ``needed`` unnamed members accept, in the samples ``applied``.

    The members forced to accept are those closest to accepting on their own (smallest
    draw-to-threshold ratio), so the constraint bends each sample as little as it can.
    """
    idx = np.flatnonzero(unnamed)
    if needed <= 0 or idx.size == 0 or not applied.any():
        return
    cols = np.flatnonzero(applied)
    ratio = u[np.ix_(idx, cols)].astype(np.float32) / (thr[np.ix_(idx, cols)].astype(np.float32) + 0.5)
    kth = np.partition(ratio, needed - 1, axis=0)[needed - 1]
    forced = ratio <= kth[None, :]
    sub = acc[np.ix_(idx, cols)] | forced
    acc[np.ix_(idx, cols)] = sub
