"""The vectorised Monte Carlo core: sample acceptances, apply the rule, pick winners.

Pure maths over numpy arrays (candidates x members x samples); no I/O, no race files.
Each candidate draws from its own random stream keyed by the seed and the candidate's
id, so adding a candidate or a member leaves the other draws unchanged (common random
numbers make day-to-day and with/without-evidence differences low in noise). Every draw
is a 16-bit integer, taken from the stream's raw 64-bit words four at a time: the
simulation costs little more than drawing those words (``benchmarks/engine.py``).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from kingmaker.engine import threads
from kingmaker.engine.ballots import sampled_votes
from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.constraints import CountConstraint
from kingmaker.engine.lean import sample_lean
from kingmaker.engine.params import Params
from kingmaker.engine.stances import objects
from kingmaker.rules import RuleBase, Tally
from kingmaker.rules.base import favourite_votes

_U16 = 65536


@dataclass(frozen=True)
class Simulation:
    """Raw samples of one forecast.

    Each candidate's samples are laid out in its own column order, sorted by the level of
    its common latent (so the thresholds need no per-sample gather): column j of
    candidate c is sample ``sample_of[c, j]``. ``accept`` and ``stands`` are in that
    column order, ``winners`` in sample order.

    Attributes:
        winners: (S,) index of the winning candidate in each sample, -1 for deadlock.
        accept: (C, M, S) bool acceptances (after count constraints), in column order;
            None where the rule judged each column from how many members accept it
            (``RuleBase.counts_suffice``): then ``redraw`` gives one column's again.
        stands: (C, S) bool, whether each candidate stood, in column order.
        sample_of: (C, S) the sample of each column of each candidate.
        relented: (S,) bool, samples settled by blockers giving way (``params.relent``);
            None when no sample was.
        redraw: a column's (M, S) acceptances drawn again from its stream (the same
            numbers), where ``accept`` is None.
    """

    winners: np.ndarray
    accept: np.ndarray | None
    stands: np.ndarray
    sample_of: np.ndarray
    relented: np.ndarray | None = None
    redraw: Callable[[int], np.ndarray] | None = None

    def acceptances(self, column: int) -> np.ndarray:
        """(M, S) bool: each member's acceptance of ``column``, in its column order."""
        if self.accept is not None:
            out: np.ndarray = self.accept[column]
            return out
        assert self.redraw is not None, "a simulation keeps its acceptances or redraws them"
        return self.redraw(column)

    @property
    def samples(self) -> int:
        """Number of samples."""
        return int(self.winners.shape[0])

    def shares(self, n_columns: int) -> tuple[np.ndarray, float]:
        """Share of samples won by each candidate, and the deadlock share."""
        counts = np.bincount(self.winners + 1, minlength=n_columns + 1)
        return counts[1:] / self.samples, float(counts[0] / self.samples)

    def won(self, column: int) -> np.ndarray:
        """(S,) bool: the candidate won, in that candidate's own column order."""
        out: np.ndarray = (self.winners == column).take(self.sample_of[column])
        return out

    def firm(self, column: int) -> np.ndarray:
        """(S,) bool: the sample was not settled by blockers giving way, in ``column``'s order."""
        if self.relented is None:
            return np.ones(self.samples, dtype=bool)
        out: np.ndarray = np.logical_not(self.relented).take(self.sample_of[column])
        return out


def threshold_table(
    p: np.ndarray,
    params: Params,
    silent: np.ndarray | None = None,
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """(M, K) uint16 acceptance thresholds per member and level of the common latent.

    A member accepts when its uniform draw is below the threshold. The common latent
    (shared by all members for one candidate in one sample) is stratified into K
    equiprobable levels; the copula correlation is ``params.correlation`` for members
    with a stance on the candidate and ``params.convergence`` for ``silent`` ones (they
    follow the body's lean).

    A member's stance moves it from where it would be silent (``reference``, its
    acceptance had it said nothing) in the stance's direction at every level: below the
    reference, its threshold is at most its silent threshold, above it at least. The
    looser correlation of a member on record would otherwise let an objection make it
    accept where, silent, it would have followed a cooling body into rejecting.
    """
    k = params.levels
    eta = ndtri((np.arange(k) + 0.5) / k)
    rho = np.full(p.shape, params.correlation)
    if silent is not None:
        rho[silent] = params.convergence
    table = _thresholds(p, rho, eta)
    if silent is None or reference is None or silent.all():
        return table
    on = ~silent
    own, ref = table[on], reference[on]
    at_rest = _thresholds(ref, np.full(ref.shape, params.convergence), eta)
    lower, higher = (p[on] < ref)[:, None], (p[on] > ref)[:, None]
    table[on] = np.where(
        lower, np.minimum(own, at_rest), np.where(higher, np.maximum(own, at_rest), own)
    )
    return table


def _thresholds(p: np.ndarray, rho: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """(M, K) uint16 thresholds of acceptance ``p`` with copula correlation ``rho`` at the
    common latent's level middles ``eta``."""
    r = rho[:, None]
    z = (ndtri(np.clip(p, 1e-9, 1 - 1e-9))[:, None] - np.sqrt(r) * eta[None, :]) / np.sqrt(1 - r)
    table: np.ndarray = np.clip(np.rint(ndtr(z) * _U16), 0, _U16 - 1).astype(np.uint16)
    return table


def _stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one candidate: fixed by the seed and the candidate's id."""
    seq = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode()),))
    return np.random.Generator(np.random.SFC64(seq))


@dataclass(frozen=True)
class Column:
    """One candidate's samples (see ``Simulation``).

    Attributes:
        accept: (M, S) bool acceptances, after the candidate's count constraints, in
            column order; or only the rows of the members the run kept (see ``simulate``).
        stands: (S,) bool, whether the candidate stood (the field before it is made to
            stand where no named candidate does), in column order.
        stood: (S,) ``stands`` in sample order.
        sample_of: (S,) the sample of each column.
        score: (S,) float32 choice score in sample order: public backing, sampled
            support, momentum.
        ok: (S,) a separable rule's verdict on the column, standing aside, in sample
            order (``RuleBase.separable``); None for other rules.
    """

    accept: np.ndarray
    stands: np.ndarray
    stood: np.ndarray
    sample_of: np.ndarray
    score: np.ndarray
    ok: np.ndarray | None = None


class _ColumnDraws:
    """One candidate's random numbers in one run: 16-bit draws of its own stream.

    The members' rows come last in the stream; they are kept (``rows``) only when asked
    for (a cache reuses them, a count constraint reads them), else drawn and compared
    as they come (``kernels.accept_drawn``), the same numbers either way.
    """

    def __init__(self, cid: str, draws: _Draws, sample_of: np.ndarray | None = None) -> None:
        from kingmaker.engine import kernels

        s, k = draws.samples, draws.params.levels
        self._g = _stream(draws.seed, cid)
        self.words = -(-s // 4)
        head = self._g.bit_generator.random_raw(3 * self.words).view(np.uint16)
        head = head.reshape(3, 4 * self.words)[:, :s]
        # (S,) the sample of each column (into the run's row ``sample_of`` when given)
        self.sample_of = np.empty(s, dtype=np.intp) if sample_of is None else sample_of
        self.bounds = np.empty(k + 1, dtype=np.intp)  # columns [bounds[i], bounds[i+1]): level i
        # Among feasible candidates the body picks by public backing, then by sampled
        # acceptance, then by momentum (a lower common latent: a body leaning toward c).
        self.latent = head[0]  # (S,) sample order: the common latent, momentum's source
        kernels.sort_by_level(self.latent, k, self.sample_of, self.bounds)
        self.stand_u = head[1]  # (S,) column order: stands where below P(stands)
        self.count_u = head[2]  # (S,) column order: a count constraint holds where below
        self.slots = draws.n_slots
        self.row_of = draws.member_slots  # (M,) the row of each seated member
        self._rows: np.ndarray | None = None
        self._spent = False

    def level(self) -> np.ndarray:
        """(S,) the level of each column."""
        out: np.ndarray = np.repeat(np.arange(self.bounds.size - 1), np.diff(self.bounds))
        return out

    def rows(self) -> np.ndarray:
        """(slots, >= S) uint16 every member slot's draws, column order (drawn once)."""
        if self._rows is None:
            assert not self._spent, "the members' draws were already consumed"
            raw = self._g.bit_generator.random_raw(self.slots * self.words).view(np.uint16)
            self._rows = raw.reshape(self.slots, 4 * self.words)
        return self._rows

    def u(self) -> np.ndarray:
        """(M, S) the seated members' acceptance draws, column order."""
        out: np.ndarray = self.rows()[self.row_of, : self.sample_of.size]
        return out

    def accept(self, table: np.ndarray, acc: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """The seated members' acceptances below their thresholds ``table`` (M, K), column
        order, those of member m into ``acc[keep[m]]`` (-1: not kept): from the kept rows
        if any, else as they are drawn. Returns (S,) how many members accept each column."""
        from kingmaker.engine import kernels

        n_m, n_s = self.row_of.size, self.sample_of.size
        count = np.empty(n_s, dtype=np.uint16 if n_m < _U16 else np.uint32)
        if self._rows is not None:
            kernels.accept_column(self.rows(), self.row_of, table, self.bounds, acc, keep, count)
            return count
        member_of_slot = np.full(self.slots, -1, dtype=np.intp)
        member_of_slot[self.row_of] = np.arange(n_m)
        bits = self._g.bit_generator
        state = kernels.stream_state(bits)
        kernels.accept_drawn(
            state, member_of_slot, self.words, table, self.bounds, acc, keep, count
        )
        kernels.put_state(bits, state)
        self._spent = True
        return count


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


# One candidate's numbers: acceptances, silence, silent reference, P(stands), count
# constraints, public backing.
_Inputs = tuple[
    np.ndarray, np.ndarray | None, np.ndarray | None, float, list[CountConstraint], float
]


@dataclass(frozen=True)
class _Draws:
    """What every candidate's column shares in one run."""

    samples: int
    seed: int
    params: Params
    member_slots: np.ndarray
    n_slots: int
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

    Where the rule judges each column from how many members accept it, the members
    weigh the same (``RuleBase.counts_suffice``) and keeping who accepts would take more
    than ``_LEAN_BYTES``, a lean run keeps only the acceptances of the public objectors
    that ``objector_blocks`` reads: it writes no (C, M, S) array, and
    ``Simulation.redraw`` gives one column's acceptances again (a forecast's kingmakers
    read the leader's). Below that size, writing them costs less than a redraw.

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
    s = samples
    cands = beliefs.candidate_ids
    n_c, n_m = len(cands), len(beliefs.member_ids)
    weights = beliefs.electorate.weights
    draws = _Draws(
        samples=s,
        seed=seed,
        params=params,
        member_slots=member_slots,
        n_slots=n_slots,
        weights=weights,
        uniform_weights=n_m == 0 or bool(np.all(weights == weights[0])),
    )
    counts: dict[int, list[CountConstraint]] = {}
    for cons in beliefs.counts:
        counts.setdefault(cons.column, []).append(cons)
    preference = params.choice_backing * (beliefs.backing @ weights)  # (C,) public backing
    lean = (
        n_c * n_m * s > _LEAN_BYTES
        and rule.separable
        and not rule.needs_votes
        and draws.uniform_weights
        and rule.counts_suffice(beliefs.electorate)
    )
    watched = objectors(beliefs, rule) if params.objector_relent < 1 else {}
    context: tuple[object, ...] = ()
    if cache is not None:
        context = (
            s,
            seed,
            params.model_dump_json(),
            rule.model_dump_json(),
            member_slots.tobytes(),
            n_slots,
            weights.tobytes(),
        )
    # Who accepts: every member's row (C, M, S), or in a lean run the watched members'.
    accept = None if lean else _acceptance_array((n_c, n_m, s))
    kept: list[np.ndarray] = [
        np.empty((len(watched.get(ci, ())) if lean else 0, s), dtype=bool) for ci in range(n_c)
    ]
    stands = np.empty((n_c, s), dtype=bool)
    stood = np.empty((n_c, s), dtype=bool)
    sample_of = np.empty((n_c, s), dtype=np.intp)
    score = np.empty((n_c, s), dtype=np.float32)  # > 0 everywhere: see the momentum term
    ok = np.empty((n_c, s), dtype=bool) if rule.separable else None  # sample order
    todo: list[tuple[int, tuple[object, ...] | None]] = []  # columns to simulate, cache keys
    inputs: dict[int, _Inputs] = {}
    for ci, cid in enumerate(cands):
        silent = None if beliefs.silent is None else beliefs.silent[ci]
        ref = None if beliefs.reference is None else beliefs.reference[ci]
        mine = counts.get(ci, [])
        inputs[ci] = (
            beliefs.accept[ci],
            silent,
            ref,
            float(beliefs.stand[ci]),
            mine,
            float(preference[ci]),
        )
        if cache is None:
            todo.append((ci, None))
            continue
        key = (
            cid,
            float(beliefs.stand[ci]),
            float(preference[ci]),
            beliefs.accept[ci].tobytes(),
            None if silent is None else silent.tobytes(),
            None if ref is None else ref.tobytes(),
            tuple(c.key()[1:] for c in mine),
            tuple(watched.get(ci, ())) if lean else None,
        )
        col = cache.lookup(context, key)
        if col is None:
            todo.append((ci, key))
        else:
            if accept is None:
                kept[ci] = col.accept
            else:
                accept[ci] = col.accept
            stands[ci], stood[ci] = col.stands, col.stood
            score[ci] = col.score
            sample_of[ci] = col.sample_of
            if ok is not None and col.ok is not None:
                ok[ci] = col.ok

    from kingmaker.engine import kernels

    def column_draws(ci: int, sample_of_ci: np.ndarray | None) -> _ColumnDraws:
        """Candidate ``ci``'s random numbers (kept by the cache, if any)."""
        cid = cands[ci]
        if cache is None:  # sorted straight into ``sample_of_ci`` when given
            return _ColumnDraws(cid, draws, sample_of_ci)
        return cache.draws(cid, functools.partial(_kept_draws, cid, draws))

    def fill(ci: int) -> None:
        """Simulate candidate ``ci``'s column into its rows of the arrays."""
        rnd = column_draws(ci, sample_of[ci])
        if cache is not None:
            sample_of[ci] = layout[ci] = rnd.sample_of
        if accept is None:
            acc, keep = kept[ci], _keep(n_m, watched.get(ci, ()))
        else:
            acc, keep = accept[ci], np.arange(n_m)
        count = _column(rnd, *inputs[ci], draws, acc, keep, stands[ci], stood[ci], score[ci])
        if ok is not None:  # the rule on this column alone, standing aside (see _decide)
            one = Tally(
                accept=acc[None] if accept is not None else np.empty((1, 0, s), dtype=bool),
                vote=np.empty((0, s), dtype=np.int16),
                stands=np.ones((1, s), dtype=bool),
                accepting=count[None],
            )
            kernels.scatter_rows(
                rule.feasible(one, beliefs.electorate), rnd.sample_of[None], ok[ci][None]
            )

    def redraw(ci: int) -> np.ndarray:
        """Column ``ci``'s (M, S) acceptances, drawn again (``Simulation.redraw``)."""
        acc = np.empty((n_m, s), dtype=bool)
        spare = (np.empty(s, dtype=bool), np.empty(s, dtype=bool), np.empty(s, np.float32))
        _column(column_draws(ci, None), *inputs[ci], draws, acc, np.arange(n_m), *spare)
        return acc

    layout: dict[int, np.ndarray] = {}
    columns = [ci for ci, _ in todo]
    threads.each(fill, columns, work=len(columns) * max(n_m, 1) * s)
    for ci, stored in todo:
        if cache is not None and stored is not None and cache.keeping:
            cache.store(
                stored,
                Column(
                    accept=(kept[ci] if accept is None else accept[ci]).copy(),
                    stands=stands[ci].copy(),
                    stood=stood[ci].copy(),
                    sample_of=layout[ci],
                    score=score[ci].copy(),
                    ok=None if ok is None else ok[ci].copy(),
                ),
            )
    held = {
        ci: kept[ci] if accept is None else accept[ci, members] for ci, members in watched.items()
    }
    relent_u, extra = None, None
    if cache is not None:
        cache.end_run()
        extra = {"pressure": cache.uniforms(seed, "pressure", s)} if rule.few_can_block else None
        relent_u = cache.relent_draws(seed, s)
    sim = _decide(
        beliefs,
        rule,
        seed,
        params,
        accept,
        stands,
        stood,
        sample_of,
        score,
        held,
        relent_u,
        extra,
        ok,
    )
    if accept is None:
        return dataclasses.replace(sim, redraw=redraw)
    return sim


def _keep(n_members: int, members: Sequence[int]) -> np.ndarray:
    """(M,) each member's row among the kept acceptances, -1 for one not kept."""
    keep = np.full(n_members, -1, dtype=np.intp)
    keep[list(members)] = np.arange(len(members))
    return keep


_REUSE_BYTES = 4 << 20  # below this, fresh memory costs little
_LEAN_BYTES = 8 << 20  # above this, a run that can keeps few acceptances (``simulate``)
_spare: list[np.ndarray] = []  # the process's last large acceptance array (at most one)
_spare_lock = threading.Lock()


def _acceptance_array(shape: tuple[int, int, int]) -> np.ndarray:
    """An uninitialised (C, M, S) bool array for a run's acceptances: the process's last
    large one when it has the same shape and nothing holds it any more, else a new one.

    Every cell is overwritten by the run. Fresh memory of this size costs page faults
    (about 10% of a 100,000-sample run, more on threads, whose faults queue on the same
    mapping); reusing it is safe because a Simulation, a column or a view of it holds a
    reference to the array, which ``sys.getrefcount`` sees. One array is kept per
    process, whatever the number of threads (a server's), so the memory held is bounded.
    """
    with _spare_lock:
        kept = _spare[0] if _spare else None
        # References to ``kept``: the list, the local name, getrefcount's argument.
        if kept is not None and kept.shape == shape and sys.getrefcount(kept) <= 3:
            return kept
        out = np.empty(shape, dtype=bool)
        if out.nbytes >= _REUSE_BYTES:
            _spare[:] = [out]
        return out


def _kept_draws(cid: str, draws: _Draws) -> _ColumnDraws:
    """Candidate ``cid``'s draws with the members' rows kept, for a cache to reuse."""
    rnd = _ColumnDraws(cid, draws)
    rnd.rows()
    return rnd


def _below(p: float) -> int:
    """The 16-bit draws below which an event of probability ``p`` happens."""
    return min(max(round(p * _U16), 0), _U16)


def _column(
    rnd: _ColumnDraws,
    p_accept: np.ndarray,
    silent: np.ndarray | None,
    reference: np.ndarray | None,
    p_stand: float,
    counts: Sequence[CountConstraint],
    preference: float,
    draws: _Draws,
    acc: np.ndarray,
    keep: np.ndarray,
    stands: np.ndarray,
    stood: np.ndarray,
    score: np.ndarray,
) -> np.ndarray:
    """One candidate's column from its random numbers, into ``acc`` (member m's row
    ``keep[m]``, none where -1), ``stands`` (column order), ``stood`` and ``score``
    (sample order); returns (S,) how many members accept each column."""
    from kingmaker.engine import kernels

    table = threshold_table(p_accept, draws.params, silent, reference)
    n_m = keep.size
    whole = acc.shape[0] == n_m and bool(np.all(keep == np.arange(n_m)))
    if not counts:
        count = rnd.accept(table, acc, keep)
    else:  # the constraints read the draws and every member's acceptance
        rnd.rows()
        full = acc if whole else np.empty((n_m, acc.shape[1]), dtype=bool)
        count = rnd.accept(table, full, np.arange(n_m))
        level, u = rnd.level(), rnd.u()
        for cons in counts:
            _apply_count(full, u, table, level, cons, rnd.count_u < _below(cons.weight))
        count = full.view(np.uint8).sum(axis=0, dtype=count.dtype)
        if not whole:
            members = np.flatnonzero(keep >= 0)
            acc[keep[members]] = full[members]
    if draws.uniform_weights:  # the count of members accepting, times the common weight
        support: np.ndarray = count
        scale = np.float32(draws.weights[0] if n_m else 1.0)
    else:  # weighted support needs every member's acceptance (never a lean run's)
        assert whole, "weighted support reads every member's acceptance"
        support, scale = (draws.weights @ acc).astype(np.float32), np.float32(1.0)
    kernels.to_sample_order(
        support,
        scale,
        np.float32(preference),
        rnd.latent,
        rnd.stand_u,
        _below(p_stand),
        rnd.sample_of,
        score,
        stands,
        stood,
    )
    return count


def _decide(
    beliefs: Beliefs,
    rule: RuleBase,
    seed: int,
    params: Params,
    accept: np.ndarray | None,
    stands: np.ndarray,
    stood: np.ndarray,
    sample_of: np.ndarray,
    score: np.ndarray,
    held: dict[int, np.ndarray],
    relent_u: np.ndarray | None = None,
    draws: dict[str, np.ndarray] | None = None,
    ok: np.ndarray | None = None,
) -> Simulation:
    """Apply the rule to the candidates' columns and pick each sample's winner
    (``accept`` and ``stands`` in column order, ``stood`` and ``score`` in sample order;
    ``held``: the public objectors' acceptances of each column, see ``objector_blocks``;
    ``accept`` None where the columns were judged as they were simulated (``ok``);
    ``draws``: other streams' uniforms already drawn, by stream name; ``ok``: a separable
    rule's verdict on each column alone, standing aside, in sample order, when the
    columns were judged as they were simulated)."""
    n_c, s = stands.shape
    _field_stands_when_no_one_named_does(stands, stood, sample_of)
    if accept is None:  # a lean run: the rule judged each column as it was drawn
        assert ok is not None and not rule.needs_votes, "a lean run needs a separable rule"
    elif rule.needs_votes:
        accept = _in_sample_order(accept, sample_of)
        stands = stood
        sample_of = np.broadcast_to(np.arange(s), (n_c, s))
        if beliefs.votes is None:
            vote = favourite_votes(accept, stands, beliefs.accept)
        else:  # one vote each, drawn by propensity among the candidates a member accepts
            lean = None if beliefs.lean is None else sample_lean(beliefs.lean, s, seed, params)
            vote = sampled_votes(accept, stands, beliefs.votes, lean, _stream(seed, "votes"))
    else:
        vote = np.empty((0, s), dtype=np.int16)
    if ok is not None:
        feasible = ok & stood
    else:
        assert accept is not None
        tally = Tally(accept=accept, vote=vote, stands=stands, pref=beliefs.accept)
        feasible = rule.feasible(tally, beliefs.electorate)
        if not rule.needs_votes:  # the rule saw each candidate's own column order
            feasible = _in_sample_order(feasible, sample_of)
    from kingmaker.engine import kernels

    winners = np.empty(s, dtype=np.int16)
    best = np.empty(s, dtype=np.int16)
    blocked = np.empty(s, dtype=bool)
    kernels.pick(score, feasible, stood, winners, best, blocked)
    backed = backed_share(beliefs)
    standing = score * stood
    firm = objector_blocks(held, n_c, sample_of) if params.objector_relent < 1 else None
    heir, gave_way = heir_of_blocked(
        standing,
        blocked,
        seed,
        params,
        backed,
        beliefs.time_left,
        relent_u,
        best=best,
        firm=firm,
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
            firm=firm,
        )
        gave_way = gave_way | pressed
        blocked = blocked | pressed
    return Simulation(
        winners=winners,
        accept=accept,
        stands=stands,
        sample_of=sample_of,
        relented=blocked & gave_way,
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
    firm: np.ndarray | None = None,
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
    ``best`` the best-scored column of each sample when already known. Where ``firm``
    ((C, S), sample order; see ``objector_blocks``) says a member who objected in public
    is among the column's blockers, the chance is ``objector_relent`` times as large.

    Returns:
        The chosen column per sample, and (S,) bool: the blockers gave way there.
    """
    from kingmaker.engine import kernels

    u = relent_draws(seed, blocked.shape[0]) if relent_u is None else relent_u
    out = np.full(blocked.shape[0], score.shape[0] - 1, dtype=np.int16)
    take = np.zeros(blocked.shape[0], dtype=bool)
    share = np.zeros(score.shape[0]) if backed is None else np.clip(backed, 0.0, 1.0)
    top = np.empty(0, dtype=np.int16) if best is None else best
    chance = _give_way_chance(share, params, time_left)
    kernels.heir(score, blocked, top, u, chance, out, take)
    if firm is not None:
        at = np.flatnonzero(take)
        undone = _objectors_hold(firm, at, out[at], u, chance[out[at]], params)
        out[undone] = score.shape[0] - 1
        take[undone] = False
    return out, take


def _give_way_chance(gap: np.ndarray, params: Params, time_left: float) -> np.ndarray:
    """The chance that blockers give way, ``relent ** (t x (1 - gap) ** 2)``, gap the
    public backing of the blocked candidate beyond that of the alternative (t and the
    square as in ``heir_of_blocked``); elementwise over ``gap``."""
    t = min(max(time_left, 0.0), 1.0)
    out: np.ndarray = params.relent ** (t * (1.0 - np.clip(gap, 0.0, 1.0)) ** 2)
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
    firm: np.ndarray | None = None,
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
    does not stand. ``firm`` as in ``heir_of_blocked``: holdouts who objected in public
    give way ``objector_relent`` times as often.
    """
    from kingmaker.engine import kernels

    best = _argmax0(score) if best is None else best
    u = (
        stream_uniforms(seed, "pressure", int(blocked.shape[0]))
        if pressure_u is None
        else pressure_u
    )
    gap = backed[:, None] - backed[None, :]  # (C, C): best's backing beyond the winner's
    flip = np.empty(blocked.shape[0], dtype=bool)
    chance = _give_way_chance(gap, params, time_left)
    before = winners.copy() if firm is not None else winners
    kernels.press(best, winners, blocked, backed, u, chance, flip)
    if firm is not None:
        at = np.flatnonzero(flip)
        b = best[at]
        undone = _objectors_hold(firm, at, b, u, chance[b, before[at]], params)
        winners[undone] = before[undone]
        flip[undone] = False
    return flip


def _objectors_hold(
    firm: np.ndarray,
    at: np.ndarray,
    cols: np.ndarray,
    u: np.ndarray,
    chance: np.ndarray,
    params: Params,
) -> np.ndarray:
    """Of the samples ``at`` where blockers gave way to the columns ``cols`` (each with its
    chance of giving way, ``chance``, and its draw in ``u``), those where a public objector
    among the blockers (``firm``, see ``objector_blocks``) holds: there the chance is
    ``objector_relent`` times as large."""
    held: np.ndarray = at[firm[cols, at] & ~(u[at] < chance * params.objector_relent)]
    return held


def objectors(beliefs: Beliefs, rule: RuleBase) -> dict[int, list[int]]:
    """Per candidate column, the members who can block alone (``rule.can_block``) and whose
    latest stance on the candidate is a public objection; columns with none left out."""
    can = rule.can_block(beliefs.electorate)
    if not can.any():
        return {}
    m_index = {m: i for i, m in enumerate(beliefs.member_ids)}
    c_index = {c: i for i, c in enumerate(beliefs.candidate_ids)}
    who: dict[int, list[int]] = {}
    for (mid, cid), eps in beliefs.episodes.items():
        mi, ci = m_index.get(mid), c_index.get(cid)
        if mi is not None and ci is not None and can[mi] and objects(eps):
            who.setdefault(ci, []).append(mi)
    return who


def objector_blocks(
    held: dict[int, np.ndarray], n_columns: int, sample_of: np.ndarray
) -> np.ndarray | None:
    """(C, S) bool in sample order: a public objector (``objectors``) rejects the column in
    the sample; None where no one objects to anyone. ``held[c]`` are the objectors'
    (R, S) acceptances of column c in its column order, ``sample_of`` (C, S) each
    column's sample."""
    if not held:
        return None
    out = np.zeros((n_columns, sample_of.shape[1]), dtype=bool)
    for ci, rows in held.items():
        out[ci, sample_of[ci]] = ~rows.all(axis=0)
    return out


def relent_draws(seed: int, samples: int) -> np.ndarray:
    """(S,) the uniforms that decide whether blockers give way (``heir_of_blocked``)."""
    return stream_uniforms(seed, "relent", samples)


def stream_uniforms(seed: int, name: str, samples: int) -> np.ndarray:
    """(S,) the first uniforms of the seed's stream ``name``."""
    raw = _stream(seed, name).bit_generator.random_raw(-(-samples // 4)).view(np.uint16)
    out: np.ndarray = (raw[:samples] + 0.5) / _U16
    return out


def backed_share(beliefs: Beliefs) -> np.ndarray:
    """(C,) each candidate's share of the members' weight backing it in public."""
    weights = beliefs.electorate.weights
    total = float(weights.sum())
    out: np.ndarray = (
        beliefs.backing @ weights / total if total > 0 else np.zeros(beliefs.backing.shape[0])
    )
    return out


def _field_stands_when_no_one_named_does(
    stands: np.ndarray, stood: np.ndarray, sample_of: np.ndarray
) -> None:
    """Someone is always in the running: where no named candidate stands, the field does.

    ``stands`` (column order) and ``stood`` (sample order) are changed in place; the
    field is the last row.
    """
    if stands.shape[0] < 2:
        stands[-1] = True
        stood[-1] = True
        return
    no_one = np.logical_not(stood[:-1].any(axis=0))
    stands[-1] |= no_one.take(sample_of[-1])
    stood[-1] |= no_one


def _in_sample_order(x: np.ndarray, sample_of: np.ndarray) -> np.ndarray:
    """Put each candidate's columns (last axis) back in sample order."""
    out = np.empty_like(x)
    if x.ndim == 2:
        from kingmaker.engine import kernels

        kernels.scatter_rows(x, sample_of, out)
        return out
    for ci in range(x.shape[0]):
        out[ci][..., sample_of[ci]] = x[ci]
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
