"""The vectorised Monte Carlo core: sample acceptances, apply the rule, pick winners.

Pure maths over numpy arrays (candidates x members x samples); no I/O, no race files.
Each candidate draws from its own random stream keyed by the seed and the candidate's
id, so adding a candidate or a member leaves the other draws unchanged (common random
numbers make day-to-day and with/without-evidence differences low in noise).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from kingmaker.engine.ballots import sampled_votes
from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.constraints import CountConstraint
from kingmaker.engine.lean import sample_lean
from kingmaker.engine.params import Params
from kingmaker.rules import RuleBase, Tally
from kingmaker.rules.base import favourite_votes

_U16 = 65536


@dataclass(frozen=True)
class Simulation:
    """Raw samples of one forecast.

    Each candidate's samples are drawn sorted by the level of its common latent (so the
    thresholds need no per-sample gather) and then shuffled by its own permutation:
    sample s of candidate c is its column ``order[c, s]`` of ``accept[c]`` and ``stands[c]``.

    Attributes:
        winners: (S,) column index of the winning candidate in each sample, -1 for deadlock.
        accept: (C, M, S) bool acceptances (after count constraints), in candidate order.
        stands: (C, S) bool, whether each candidate stood, in candidate order.
        order: (C, S) column of each sample in each candidate's own order.
        relented: (S,) bool, samples settled by blockers giving way (``params.relent``);
            None when no sample was.
    """

    winners: np.ndarray
    accept: np.ndarray
    stands: np.ndarray
    order: np.ndarray
    relented: np.ndarray | None = None

    @property
    def samples(self) -> int:
        """Number of samples."""
        return int(self.winners.shape[0])

    def shares(self, n_columns: int) -> tuple[np.ndarray, float]:
        """Share of samples won by each column, and the deadlock share."""
        counts = np.bincount(self.winners + 1, minlength=n_columns + 1)
        return counts[1:] / self.samples, float(counts[0] / self.samples)

    def won(self, column: int) -> np.ndarray:
        """(S,) bool: the candidate won, in that candidate's own column order."""
        won = np.empty(self.samples, dtype=bool)
        won[self.order[column]] = self.winners == column
        return won

    def firm(self, column: int) -> np.ndarray:
        """(S,) bool: the sample was not settled by blockers giving way, in ``column``'s order."""
        firm = np.ones(self.samples, dtype=bool)
        if self.relented is not None:
            firm[self.order[column]] = ~self.relented
        return firm


def threshold_table(p: np.ndarray, params: Params, silent: np.ndarray | None = None) -> np.ndarray:
    """(M, K) uint16 acceptance thresholds per member and level of the common latent.

    A member accepts when its uniform draw is below the threshold. The common latent
    (shared by all members for one candidate in one sample) is stratified into K
    equiprobable levels; the copula correlation is ``params.correlation`` for members
    with a stance on the candidate and ``params.convergence`` for ``silent`` ones (they
    follow the body's lean).
    """
    k = params.levels
    eta = ndtri((np.arange(k) + 0.5) / k)
    rho = np.full(p.shape, params.correlation)
    if silent is not None:
        rho[silent] = params.convergence
    rho = rho[:, None]
    z = (ndtri(np.clip(p, 1e-9, 1 - 1e-9))[:, None] - np.sqrt(rho) * eta[None, :]) / np.sqrt(
        1 - rho
    )
    table: np.ndarray = np.clip(np.rint(ndtr(z) * _U16), 0, _U16 - 1).astype(np.uint16)
    return table


def _stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one candidate: fixed by the seed and the candidate's id."""
    seq = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode()),))
    return np.random.Generator(np.random.SFC64(seq))


@dataclass(frozen=True)
class Column:
    """One candidate's samples, in its own column order (see ``Simulation``).

    Attributes:
        accept: (M, S) bool acceptances, after the candidate's count constraints.
        stands: (S,) bool, whether the candidate stood (the field before it is made to
            stand where no named candidate does).
        order: (S,) column of each sample.
        score: (S,) float32 choice score: public backing, sampled support, momentum.
    """

    accept: np.ndarray
    stands: np.ndarray
    order: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class _ColumnDraws:
    """One candidate's random numbers in one run (its stream, in the order drawn)."""

    order: np.ndarray  # (S,) column of each sample
    momentum: np.ndarray  # (S,) float64 momentum term of the choice score
    stand_u: np.ndarray  # (S,) uniforms: stands where below P(stands)
    count_u: np.ndarray  # (S,) uniforms: a count constraint holds where below its weight
    u: np.ndarray  # (M, S) uint16 acceptance draws of the seated members


class ColumnCache:
    """Columns already simulated, by everything that fixes them, for runs that share the
    seed, sample count, parameters and seated members (an explanation's with/without runs).

    A candidate's column depends only on its own stream (seed and id) and its own numbers
    (standing, acceptances, silence, count constraints, backing), so a run that changes
    one candidate's numbers re-simulates that column alone, with identical results; its
    random numbers are drawn once and kept. Only the first run's columns are kept (the
    reference: an explanation's run with every statement, which the others mostly share);
    a later run's changed columns are rarely met again and would grow with the evidence.
    """

    def __init__(self) -> None:
        self._context: tuple[object, ...] | None = None
        self._columns: dict[tuple[object, ...], Column] = {}
        self._draws: dict[str, _ColumnDraws] = {}
        self._extra: dict[str, np.ndarray] = {}
        self._keeping = True

    def lookup(self, context: tuple[object, ...], key: tuple[object, ...]) -> Column | None:
        """The column simulated under ``context`` with inputs ``key``, if any."""
        if context != self._context:
            self._context = context
            self._columns = {}
            self._draws = {}
            self._extra = {}
            self._keeping = True
        return self._columns.get(key)

    @property
    def keeping(self) -> bool:
        """Whether columns are still kept (the first run under the context)."""
        return self._keeping

    def store(self, key: tuple[object, ...], column: Column) -> None:
        """Keep ``column`` (simulated under the last context looked up) for ``key``."""
        if self._keeping:
            self._columns[key] = column

    def end_run(self) -> None:
        """A run is over: keep no more columns."""
        self._keeping = False

    def relent_draws(self, seed: int, samples: int) -> np.ndarray:
        """``relent_draws(seed, samples)``, drawn once."""
        return self.uniforms(seed, "relent", samples)

    def uniforms(self, seed: int, name: str, samples: int) -> np.ndarray:
        """``stream_uniforms(seed, name, samples)``, drawn once."""
        if name not in self._extra:
            self._extra[name] = stream_uniforms(seed, name, samples)
        return self._extra[name]

    def draws(self, cid: str, draw: Callable[[], _ColumnDraws]) -> _ColumnDraws:
        """Candidate ``cid``'s random numbers under the last context (``draw`` them once)."""
        if cid not in self._draws:
            self._draws[cid] = draw()
        return self._draws[cid]


@dataclass(frozen=True)
class _Draws:
    """What every candidate's column shares in one run."""

    samples: int
    seed: int
    params: Params
    bounds: np.ndarray  # samples [bounds[i], bounds[i+1]) sit at level i
    level: np.ndarray  # (S,) level of each column
    member_slots: np.ndarray
    n_slots: int
    n_words: int
    weights: np.ndarray
    uniform_weights: bool


def simulate(
    beliefs: Beliefs,
    rule: RuleBase,
    *,
    samples: int,
    seed: int,
    params: Params,
    member_slots: np.ndarray,
    n_slots: int,
    cache: ColumnCache | None = None,
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
        cache: columns of earlier runs with the same seed, samples, parameters and
            members, reused where a candidate's numbers are unchanged (same results).

    Returns:
        The winners, acceptances and standing of every sample.
    """
    s, k = samples, params.levels
    cands = beliefs.candidate_ids
    n_c, n_m = len(cands), len(beliefs.member_ids)
    bounds = (np.arange(k + 1) * s) // k
    weights = beliefs.electorate.weights
    draws = _Draws(
        samples=s,
        seed=seed,
        params=params,
        bounds=bounds,
        level=np.repeat(np.arange(k), np.diff(bounds)),
        member_slots=member_slots,
        n_slots=n_slots,
        n_words=-(-s // 4),
        weights=weights,
        uniform_weights=n_m == 0 or bool(np.all(weights == weights[0])),
    )
    counts: dict[int, list[CountConstraint]] = {}
    for cons in beliefs.counts:
        counts.setdefault(cons.column, []).append(cons)
    preference = params.choice_backing * (beliefs.backing @ weights)  # (C,) public backing
    context: tuple[object, ...] = ()
    if cache is not None:
        context = (
            s,
            seed,
            params.model_dump_json(),
            member_slots.tobytes(),
            n_slots,
            weights.tobytes(),
        )
    accept = np.empty((n_c, n_m, s), dtype=bool)
    stands = np.empty((n_c, s), dtype=bool)
    order = np.empty((n_c, s), dtype=np.intp)
    score = np.empty((n_c, s), dtype=np.float32)  # > 0 everywhere: see the momentum term
    for ci, cid in enumerate(cands):
        silent = None if beliefs.silent is None else beliefs.silent[ci]
        mine = counts.get(ci, [])
        inputs = (beliefs.accept[ci], silent, beliefs.stand[ci], mine, preference[ci])
        if cache is None:
            rnd = _draw(cid, draws, n_m)
            _column(rnd, *inputs, draws, accept[ci], stands[ci], score[ci])
            order[ci] = rnd.order
            continue
        key = (
            cid,
            float(beliefs.stand[ci]),
            float(preference[ci]),
            beliefs.accept[ci].tobytes(),
            None if silent is None else silent.tobytes(),
            tuple(c.key()[1:] for c in mine),
        )
        col = cache.lookup(context, key)
        if col is None:
            rnd = cache.draws(cid, functools.partial(_draw, cid, draws, n_m))
            _column(rnd, *inputs, draws, accept[ci], stands[ci], score[ci])
            order[ci] = rnd.order
            if cache.keeping:
                cache.store(
                    key,
                    Column(
                        accept=accept[ci].copy(),
                        stands=stands[ci].copy(),
                        order=rnd.order,
                        score=score[ci].copy(),
                    ),
                )
        else:
            accept[ci], stands[ci], score[ci] = col.accept, col.stands, col.score
            order[ci] = col.order
    if cache is not None:
        cache.end_run()
    if cache is None:
        return _decide(beliefs, rule, seed, params, accept, stands, order, score)
    extra = {"pressure": cache.uniforms(seed, "pressure", s)} if rule.few_can_block else None
    relent_u = cache.relent_draws(seed, s)
    return _decide(beliefs, rule, seed, params, accept, stands, order, score, relent_u, extra)


def _draw(cid: str, draws: _Draws, n_m: int) -> _ColumnDraws:
    """Candidate ``cid``'s random numbers: its own stream, always drawn in this order."""
    s, k = draws.samples, draws.params.levels
    g = _stream(draws.seed, cid)
    order = g.permutation(s)
    jitter = g.random(s)
    stand_u = g.random(s)
    count_u = g.random(s)
    raw = g.bit_generator.random_raw(draws.n_slots * draws.n_words).view(np.uint16)
    u = raw.reshape(draws.n_slots, 4 * draws.n_words)[:, :s]
    if n_m != draws.n_slots:
        u = u[draws.member_slots]
    # Among feasible candidates the body picks by public backing, then by sampled
    # acceptance, then by momentum (a lower common latent: a body leaning toward c).
    momentum = np.add(draws.level, jitter, out=jitter)
    momentum /= k
    np.subtract(1, momentum, out=momentum)
    momentum *= 0.5
    return _ColumnDraws(order=order, momentum=momentum, stand_u=stand_u, count_u=count_u, u=u)


def _column(
    rnd: _ColumnDraws,
    p_accept: np.ndarray,
    silent: np.ndarray | None,
    p_stand: float,
    counts: Sequence[CountConstraint],
    preference: float,
    draws: _Draws,
    acc: np.ndarray,
    stands: np.ndarray,
    score: np.ndarray,
) -> None:
    """One candidate's column from its random numbers, into ``acc``, ``stands``, ``score``."""
    bounds, u = draws.bounds, rnd.u
    np.less(rnd.stand_u, p_stand, out=stands)
    table = threshold_table(p_accept, draws.params, silent)
    # Each member's threshold at each column's level (levels come in blocks): one compare.
    np.less(u, np.repeat(table, np.diff(bounds), axis=1), out=acc)
    for cons in counts:
        _apply_count(acc, u, table, draws.level, cons, rnd.count_u < cons.weight)
    n_m = acc.shape[0]
    if draws.uniform_weights:
        # Summing the bytes as small unsigned ints is ~10x faster than a float sum.
        tot = np.uint8 if n_m < 256 else np.uint32
        support = acc.view(np.uint8).sum(axis=0, dtype=tot) * (draws.weights[0] if n_m else 1.0)
    else:
        support = draws.weights @ acc
    total = np.add(support, preference)
    total += rnd.momentum
    score[:] = total


def _decide(
    beliefs: Beliefs,
    rule: RuleBase,
    seed: int,
    params: Params,
    accept: np.ndarray,
    stands: np.ndarray,
    order: np.ndarray,
    score: np.ndarray,
    relent_u: np.ndarray | None = None,
    draws: dict[str, np.ndarray] | None = None,
) -> Simulation:
    """Apply the rule to the candidates' columns and pick each sample's winner
    (``draws``: other streams' uniforms already drawn, by stream name)."""
    n_c, s = stands.shape
    stood = _field_stands_when_no_one_named_does(stands, order)
    if rule.needs_votes:
        accept, score = (_aligned(x, order) for x in (accept, score))
        stands = stood
        order = np.broadcast_to(np.arange(s), (n_c, s))
        if beliefs.votes is None:
            vote = favourite_votes(accept, stands, beliefs.accept)
        else:  # one vote each, drawn by propensity among the candidates a member accepts
            lean = None if beliefs.lean is None else sample_lean(beliefs.lean, s, seed, params)
            vote = sampled_votes(accept, stands, beliefs.votes, lean, _stream(seed, "votes"))
    else:
        vote = np.empty((0, s), dtype=np.int16)
    tally = Tally(accept=accept, vote=vote, stands=stands, pref=beliefs.accept)
    feasible = rule.feasible(tally, beliefs.electorate)
    aligned = np.stack([score[ci].take(order[ci]) for ci in range(n_c)])
    feasible_aligned = np.stack([feasible[ci].take(order[ci]) for ci in range(n_c)])
    winners = _argmax0(aligned * feasible_aligned)
    blocked = np.logical_not(feasible_aligned.any(axis=0))
    backed = backed_share(beliefs)
    standing = aligned * stood
    best = _argmax0(standing)
    heir, gave_way = heir_of_blocked(
        standing,
        blocked,
        seed,
        params,
        backed,
        beliefs.time_left,
        relent_u,
        best=best,
    )
    winners[blocked] = heir[blocked]
    if rule.few_can_block:
        pressed = press_holdouts(
            standing,
            winners,
            blocked,
            seed,
            params,
            backed,
            beliefs.time_left,
            best=best,
            pressure_u=None if draws is None else draws.get("pressure"),
        )
        gave_way = gave_way | pressed
        blocked = blocked | pressed
    return Simulation(
        winners=winners, accept=accept, stands=stands, order=order, relented=blocked & gave_way
    )


def _argmax0(x: np.ndarray) -> np.ndarray:
    """(S,) int16 ``np.argmax(x, axis=0)`` of a (C, S) array without NaNs (the first of
    equal maxima), one row at a time: much faster than numpy's argmax along axis 0."""
    out = np.zeros(x.shape[1], dtype=np.int16)
    if x.shape[0] == 0:
        return out
    best = x[0].copy()
    for ci in range(1, x.shape[0]):
        better = x[ci] > best
        out[better] = ci
        np.maximum(best, x[ci], out=best)
    return out


def heir_of_blocked(
    score: np.ndarray,
    blocked: np.ndarray,
    seed: int,
    params: Params,
    backed: np.ndarray | None = None,
    time_left: float = 1.0,
    relent_u: np.ndarray | None = None,
    *,
    best: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(S,) who is chosen where no candidate is feasible: bodies nearly always fill the post.

    The blockers give way to the standing candidate with the best score (the best-backed)
    with probability ``relent ** (t x (1 - b) ** 2)``, b the share of the members' weight
    publicly backing that candidate (``backed``, (C,)) and t the time left to find someone
    new (``Beliefs.time_left``, 1 early toward 0 at the deadline): early on, a block of a
    candidate nobody has backed in public gives way at the base rate ``relent``; a lone
    holdout against one most of the body has backed, or a block as the deadline nears,
    nearly always does. The unbacked share counts twice (squared): it bounds both how many
    members can still hold out and how many could rally with them behind someone else.
    Otherwise someone else is found (the field, the last column).
    Deadlock is not decided here: it is a base rate (``deadlock_rate``) set aside later.

    ``relent_u`` are the uniforms of the seed's "relent" stream when already drawn, and
    ``best`` the best-scored column of each sample when already known.

    Returns:
        The chosen column per sample, and (S,) bool: the blockers gave way there.
    """
    u = relent_draws(seed, blocked.shape[0]) if relent_u is None else relent_u
    out = np.full(blocked.shape[0], score.shape[0] - 1, dtype=np.int16)
    best = _argmax0(score) if best is None else best
    share = np.zeros(score.shape[0]) if backed is None else np.clip(backed, 0.0, 1.0)
    take = _give_way(u, share[best], params, time_left) & (score.max(axis=0) > 0)
    out[take] = best[take]
    return out, take


def _give_way(u: np.ndarray, gap: np.ndarray, params: Params, time_left: float) -> np.ndarray:
    """(S,) whether blockers give way: ``u < relent ** (t x (1 - gap) ** 2)``, gap the
    public backing of the blocked candidate beyond that of the alternative (t and the
    square as in ``heir_of_blocked``)."""
    t = min(max(time_left, 0.0), 1.0)
    out: np.ndarray = u < params.relent ** (t * (1.0 - np.clip(gap, 0.0, 1.0)) ** 2)
    return out


def press_holdouts(
    score: np.ndarray,
    winners: np.ndarray,
    blocked: np.ndarray,
    seed: int,
    params: Params,
    backed: np.ndarray,
    time_left: float,
    *,
    best: np.ndarray | None = None,
    pressure_u: np.ndarray | None = None,
) -> np.ndarray:
    """(S,) bool: samples where the holdouts against the best-backed candidate give way;
    there ``winners`` becomes that candidate (in place).

    Where a few members can block (consensus, a veto: ``RuleBase.few_can_block``) and
    block the standing candidate with the best score while another is feasible, the body
    does not simply turn to the other: the rest press the holdouts. They give way as in
    ``heir_of_blocked``, with the gap in public backing (``backed``, (C,) shares of
    weight) between the blocked candidate and the feasible one in place of the blocked
    candidate's whole backing: a few holdouts against one most of the body backs in
    public, for a rival few back, nearly always give way; against a rival as broadly
    backed, the body turns to the rival. ``score`` is (C, S), zero where a candidate
    does not stand.
    """
    best = _argmax0(score) if best is None else best
    gap = backed[best] - backed[winners]
    pressed = ~blocked & (best != winners) & (gap > 0)
    u = (
        stream_uniforms(seed, "pressure", int(blocked.shape[0]))
        if pressure_u is None
        else pressure_u
    )
    flip: np.ndarray = pressed & _give_way(u, gap, params, time_left)
    winners[flip] = best[flip]
    return flip


def relent_draws(seed: int, samples: int) -> np.ndarray:
    """(S,) the uniforms that decide whether blockers give way (``heir_of_blocked``)."""
    return stream_uniforms(seed, "relent", samples)


def stream_uniforms(seed: int, name: str, samples: int) -> np.ndarray:
    """(S,) the first uniforms of the seed's stream ``name``."""
    out: np.ndarray = _stream(seed, name).random(samples)
    return out


def backed_share(beliefs: Beliefs) -> np.ndarray:
    """(C,) each candidate's share of the members' weight backing it in public."""
    weights = beliefs.electorate.weights
    total = float(weights.sum())
    out: np.ndarray = (
        beliefs.backing @ weights / total if total > 0 else np.zeros(beliefs.backing.shape[0])
    )
    return out


def _field_stands_when_no_one_named_does(stands: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Someone is always in the running: where no named candidate stands, the field does.

    ``stands`` is in each candidate's own column order (changed in place); the field is
    the last row. Returns (C, S) who stands in each sample, in sample order.
    """
    if stands.shape[0] < 2:
        stands[-1] = True
        return np.ones(stands.shape, dtype=bool)
    stood = np.stack([stands[ci].take(order[ci]) for ci in range(stands.shape[0])])
    named = stood[:-1].any(axis=0)
    stands[-1][order[-1]] |= ~named
    stood[-1] |= ~named
    return stood


def _aligned(x: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Put each candidate's columns back in sample order (last axis)."""
    out = np.empty_like(x)
    for ci in range(x.shape[0]):
        out[ci] = x[ci][..., order[ci]]
    return out


def _apply_count(
    acc: np.ndarray,
    u: np.ndarray,
    table: np.ndarray,
    level: np.ndarray,
    cons: CountConstraint,
    applied: np.ndarray,
) -> None:
    """Make at least ``cons.needed`` members of its pool accept (or reject), where applied.

    The members made to accept are those closest to accepting on their own (smallest
    draw-to-threshold ratio), and those made to reject the furthest from it, so the
    constraint bends each sample as little as it can.
    """
    idx = np.flatnonzero(cons.pool)
    n = cons.needed
    if n <= 0 or idx.size == 0 or not applied.any():
        return
    cols = np.flatnonzero(applied)
    thr = table[idx].take(level[cols], axis=1).astype(np.float32)
    thr += 0.5
    ratio = u[idx].take(cols, axis=1).astype(np.float32)
    ratio /= thr
    rows = acc[idx]
    block = rows[:, cols]
    if cons.reject:
        kth = np.partition(ratio, idx.size - n, axis=0)[idx.size - n]
        block &= ratio < kth[None, :]
    else:
        kth = np.partition(ratio, n - 1, axis=0)[n - 1]
        block |= ratio <= kth[None, :]
    rows[:, cols] = block
    acc[idx] = rows
