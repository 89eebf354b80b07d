"""Forecast one race as of one day: probabilities, kingmakers and explanations.

``forecast`` is the one entry point front ends call; it builds beliefs from the evidence
known on the day, runs the simulation, and explains each probability by ablation (the
forecast with and without each evidence item, on the same random numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from kingmaker.engine.beliefs import FIELD_ID, FIELD_NAME, Beliefs, build_beliefs
from kingmaker.engine.explain import Ablations
from kingmaker.engine.params import MODEL, Params, default_params
from kingmaker.engine.result import Contribution, Forecast, Kingmaker, Outcome
from kingmaker.engine.rounds import simulate_rounds
from kingmaker.engine.simulate import ColumnCache, Simulation, simulate
from kingmaker.errors import ForecastError
from kingmaker.records import REVIEW_THRESHOLD, Race

MAX_SAMPLES = 5_000_000
DEADLOCK_ID = "deadlock"


def forecast(
    race: Race,
    as_of: dt.date,
    *,
    samples: int = 20_000,
    seed: int = 0,
    params: Params | None = None,
    explain: bool = True,
    explain_samples: int = 10_000,
    top: int = 5,
    today: dt.date | None = None,
    review_threshold: float = REVIEW_THRESHOLD,
) -> Forecast:
    """Forecast ``race`` using only evidence dated on or before ``as_of`` that counts
    (``records.counts``: accepted, or unreviewed with confidence from ``review_threshold``).

    Args:
        race: the race with its evidence.
        as_of: the forecast day (not after today, not before the race opened).
        samples: Monte Carlo samples (1 to 5,000,000).
        seed: seed of every random stream; same seed, same numbers.
        params: model parameters (default: ``Params()``).
        explain: whether to measure each evidence item's effect (slower).
        explain_samples: samples for each with/without comparison.
        top: how many kingmakers and evidence items per outcome to keep.
        today: the real today (for tests); evidence cannot come from after it.
        review_threshold: the confidence from which unreviewed items count (the
            service's, 0.5, by default).

    Returns:
        The forecast, with probabilities summing to 1.

    Raises:
        ForecastError: for an impossible sample count or as-of date.
    """
    params_name = "custom"
    if params is None:
        params_name, params = default_params()
    check_request(race, as_of, samples, today, seed)
    _check_size(race, samples)
    race = race.usable(review_threshold)
    beliefs = build_beliefs(race, as_of, params)
    base = {**_base(race, as_of, samples, seed, params, beliefs), "params_name": params_name}
    if beliefs.decided is not None:
        return _decided(base, race, beliefs)
    sim = run(race, beliefs, samples, seed, params)
    outcomes = _outcomes(race, beliefs, sim, params)
    fc = Forecast(**base, outcomes=outcomes, decided=False)
    kms = _kingmakers(race, beliefs, sim, fc.front_runner.id, top, params)
    expl = _explain(race, as_of, seed, params, beliefs, explain_samples, top) if explain else {}
    return fc.model_copy(update={"kingmakers": kms, "explanations": expl})


def check_request(
    race: Race, as_of: dt.date, samples: int, today: dt.date | None = None, seed: int = 0
) -> None:
    """Raise ForecastError unless ``samples`` and ``as_of`` make sense for ``race``."""
    if seed < 0:
        raise ForecastError(f"seed must be 0 or more, got {seed}", param="seed")
    if not 1 <= samples <= MAX_SAMPLES:
        raise ForecastError(f"samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
    limit = today or dt.date.today()
    if as_of > limit:
        raise ForecastError(
            f"as-of date {as_of} is in the future (today is {limit}); pick a past day"
        )
    if as_of < race.opened:
        raise ForecastError(
            f"as-of date {as_of} is before race {race.id} opened ({race.opened}); pick a later day"
        )


MAX_CELLS = 2_000_000_000  # samples x members x candidates: about 2 GB of acceptances


def _check_size(race: Race, samples: int) -> None:
    members = sum(len(b.members) for b in race.bodies)
    cells = samples * members * (len(race.candidates) + 1)
    if cells > MAX_CELLS:
        most = MAX_CELLS // (members * (len(race.candidates) + 1))
        raise ForecastError(
            f"{samples:,} samples would need about {cells / 1e9:.1f} GB for race {race.id}; "
            f"use at most {most:,}"
        )


def run(
    race: Race,
    beliefs: Beliefs,
    samples: int,
    seed: int,
    params: Params,
    cache: ColumnCache | None = None,
) -> Simulation:
    """Simulate ``beliefs`` under the race's rule (members keep their random streams),
    reusing the unchanged candidates' columns of earlier runs in ``cache``."""
    all_ids = [m.id for b in race.bodies for m in b.members]
    slot = {m: i for i, m in enumerate(all_ids)}
    slots = np.array([slot[m] for m in beliefs.member_ids], dtype=np.intp)
    if race.rule.votes_in_rounds:
        return simulate_rounds(beliefs, race.rule, samples=samples, seed=seed, params=params)
    return simulate(
        beliefs,
        race.rule,
        samples=samples,
        seed=seed,
        params=params,
        member_slots=slots,
        n_slots=len(all_ids),
        cache=cache,
    )


def _base(
    race: Race, as_of: dt.date, samples: int, seed: int, params: Params, beliefs: Beliefs
) -> dict[str, Any]:
    return {
        "race_id": race.id,
        "as_of": as_of,
        "model": MODEL,
        "seed": seed,
        "samples": samples,
        "params": params.model_dump(),
        "rule": race.rule.name,
        "members": len(beliefs.member_ids),
        "evidence_used": len(beliefs.used),
        "evidence_through": _latest(race, beliefs.used),
        "evidence_ids": beliefs.used,
        "unreviewed_used": _unreviewed(race, beliefs.used),
    }


def _latest(race: Race, used: Sequence[str]) -> dt.date | None:
    ids = set(used)
    return max((e.date for e in race.evidence if e.id in ids), default=None)


def _unreviewed(race: Race, used: Sequence[str]) -> int:
    ids = set(used)
    return sum(1 for e in race.evidence if e.id in ids and e.review == "pending")


def mix(beliefs: Beliefs, params: Params) -> tuple[float, np.ndarray, float]:
    """How reported probabilities follow from simulated shares: ``scale * share + offset``
    for each column, and the deadlock probability.

    From the whole, the deadlock base rate is set aside; of the rest, a share
    ``endorsement_weight`` follows the endorsement share (in a body that votes, moved
    toward 1 by ``vote_endorsement_pull``); of the remainder, the field's prior share is
    set aside before the simulation's shares are counted."""
    dead = params.deadlock_rate
    w = params.endorsement_weight if beliefs.endorse is not None else 0.0
    if beliefs.votes is not None:  # a body that votes: the public count weighs more
        w += params.vote_endorsement_pull * (1 - w)
    scale = (1 - dead) * (1 - w) * (1 - beliefs.field_prior)
    offset = np.zeros(len(beliefs.candidate_ids))
    if beliefs.endorse is not None:
        offset += (1 - dead) * w * beliefs.endorse
    offset[-1] += (1 - dead) * (1 - w) * beliefs.field_prior
    return scale, offset, dead


def mixed_shares(
    beliefs: Beliefs, sim: Simulation, params: Params
) -> tuple[np.ndarray, float, float]:
    """Each column's reported probability, the deadlock probability, and the scale of the
    simulated part (see ``mix``)."""
    shares, blocked = sim.shares(len(beliefs.candidate_ids))
    scale, offset, dead = mix(beliefs, params)
    return shares * scale + offset, dead + blocked * scale, scale


def _outcomes(race: Race, beliefs: Beliefs, sim: Simulation, params: Params) -> tuple[Outcome, ...]:
    shares, dead, keep = mixed_shares(beliefs, sim, params)
    _, offset, _ = mix(beliefs, params)
    n = sim.samples
    out: list[Outcome] = []
    for ci, cid in enumerate(beliefs.candidate_ids):
        p = float(shares[ci])
        raw = (p - offset[ci]) / keep if keep > 0 else 0.0
        se = keep * float(np.sqrt(max(raw * (1 - raw), 0.0) / n))
        if cid == FIELD_ID:
            out.append(Outcome(id=cid, name=FIELD_NAME, kind="field", probability=p, se=se))
        else:
            out.append(
                Outcome(
                    id=cid,
                    name=race.candidate(cid).name,
                    kind="candidate",
                    status=beliefs.status[ci],
                    probability=p,
                    se=se,
                )
            )
    out.sort(key=lambda o: (o.kind == "field", -o.probability))
    out.append(
        Outcome(
            id=DEADLOCK_ID,
            name="deadlock (no one chosen)",
            kind="deadlock",
            probability=dead,
            se=0.0,  # a base rate, not sampled
        )
    )
    return tuple(out)


def _decided(base: dict[str, Any], race: Race, beliefs: Beliefs) -> Forecast:
    appt = beliefs.decided
    assert appt is not None
    outcomes = [
        Outcome(
            id=cid,
            name=race.candidate(cid).name if cid != FIELD_ID else FIELD_NAME,
            kind="candidate" if cid != FIELD_ID else "field",
            status=beliefs.status[ci],
            probability=1.0 if cid == appt.candidate else 0.0,
            se=0.0,
        )
        for ci, cid in enumerate(beliefs.candidate_ids)
    ]
    if appt.candidate not in beliefs.candidate_ids:
        outcomes.insert(
            0,
            Outcome(
                id=appt.candidate,
                name=race.candidate(appt.candidate).name,
                kind="candidate",
                status="declared",
                probability=1.0,
                se=0.0,
            ),
        )
    outcomes.sort(key=lambda o: (o.kind == "field", -o.probability))
    outcomes.append(
        Outcome(
            id=DEADLOCK_ID,
            name="deadlock (no one chosen)",
            kind="deadlock",
            probability=0.0,
            se=0.0,
        )
    )
    contrib = contribution(race, [appt], 1.0)
    return Forecast(
        **base, decided=True, outcomes=tuple(outcomes), explanations={appt.candidate: (contrib,)}
    )


def _kingmakers(
    race: Race, beliefs: Beliefs, sim: Simulation, leader: str, top: int, params: Params
) -> tuple[Kingmaker, ...]:
    ci = beliefs.candidate_ids.index(leader)
    acc = sim.acceptances(ci)  # (M, S), in the leader's own column order
    win = sim.won(ci)
    p_lead = float(win.mean())
    n_acc = acc.sum(axis=1).astype(np.float64)
    n_acc_win = (acc & win[None, :]).sum(axis=1).astype(np.float64)
    n = sim.samples
    p_acc = n_acc / n
    # "If it blocks" means holding firm: samples where the blockers gave way (``relent``)
    # say what happens when a member yields, not what its block is worth.
    rej_firm = ~acc & sim.firm(ci)[None, :]
    n_rej = rej_firm.sum(axis=1).astype(np.float64)
    n_rej_win = (rej_firm & win[None, :]).sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if_acc = np.where(n_acc > 0, n_acc_win / n_acc, p_lead)
        if_rej = np.where(n_rej > 0, n_rej_win / n_rej, p_lead)
    # Back on the scale of the reported probabilities (see ``mix``).
    keep, offset, _ = mix(beliefs, params)
    extra = float(offset[ci])
    p_lead = keep * p_lead + extra
    if_acc = keep * if_acc + extra
    if_rej = keep * if_rej + extra
    swing = p_acc * np.abs(if_acc - p_lead) + (1 - p_acc) * np.abs(if_rej - p_lead)
    order = np.argsort(-swing, kind="stable")
    order = order[_stands_out(beliefs, leader, swing)[order]][:top]
    out = []
    for mi in order:
        mid = beliefs.member_ids[mi]
        eps = beliefs.episodes.get((mid, leader), ())
        out.append(
            Kingmaker(
                member=mid,
                name=race.member(mid).name,
                swing=float(swing[mi]),
                p_accept=float(p_acc[mi]),
                if_accepts=float(if_acc[mi]),
                if_blocks=float(if_rej[mi]),
                stance=eps[-1].key if eps else "none",
                evidence_ids=tuple(i for ep in eps for i in ep.evidence_ids),
            )
        )
    return tuple(out)


def _stands_out(beliefs: Beliefs, leader: str, swing: np.ndarray) -> np.ndarray:
    """(M,) bool: members worth naming as kingmakers. A member with a stance on record on
    the leader always is; a silent one only if its swing stands out from the typical
    silent member's (a quarter larger, well above the sampling noise: more weight, a veto,
    a faction), so that a race with little evidence does not name interchangeable members."""
    on_record = np.array(
        [bool(beliefs.episodes.get((mid, leader))) for mid in beliefs.member_ids], dtype=bool
    )
    if on_record.all():
        return on_record
    typical = float(np.median(swing[~on_record]))
    out: np.ndarray = on_record | (swing > 1.25 * typical + 1e-12)
    return out


def statement_key(item: Any) -> tuple[Any, ...]:
    """Reports with the same key state the same fact (kind, who, about whom, what)."""
    k = item.kind
    if k == "stance":
        accepts = item.lifted or item.stance == "support"
        return (k, item.member, item.candidate, "accepts" if accepts else item.stance)
    if k == "candidacy":
        return (k, item.candidate, item.status)
    if k == "count":
        return (k, item.candidate, item.count, item.fraction, item.date)
    if k == "appointment":
        return (k, item.candidate)
    return (k, item.id)


def statements(items: Sequence[Any]) -> list[list[Any]]:
    """Group evidence items into statements, in order of first report."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for e in items:
        groups.setdefault(statement_key(e), []).append(e)
    return list(groups.values())


EXPLAIN_CELLS = 4_000_000  # members x outcomes x samples per with/without run
MIN_EXPLAIN_SAMPLES = 1_000


def explain_sample_count(samples: int, members: int, outcomes: int) -> int:
    """Samples for each with/without run: ``samples``, fewer for large bodies.

    One run per statement makes explanations cost statements x members x samples; in a
    body of hundreds that vote in rounds that is minutes. The work of each run is kept
    near that of a 32-member, 10-candidate body at 10,000 samples, never below 1,000.
    """
    budget = EXPLAIN_CELLS // max(1, members * outcomes)
    return min(samples, max(MIN_EXPLAIN_SAMPLES, budget))


def _explain(
    race: Race,
    as_of: dt.date,
    seed: int,
    params: Params,
    beliefs: Beliefs,
    samples: int,
    top: int,
) -> dict[str, tuple[Contribution, ...]]:
    """Each outcome's top statements by |P(with) - P(without)|, on the same random numbers
    (each without-run rebuilds and re-simulates only what its statement changes)."""
    samples = explain_sample_count(samples, len(beliefs.member_ids), len(beliefs.candidate_ids))
    items = race.evidence_until(as_of)
    ablations, cache = Ablations(race, as_of, params, items), ColumnCache()
    full_shares, full_dead, _ = mixed_shares(
        beliefs, run(race, beliefs, samples, seed, params, cache), params
    )
    full = {**dict(zip(beliefs.candidate_ids, full_shares, strict=True)), DEADLOCK_ID: full_dead}
    deltas: dict[str, list[tuple[float, list[Any]]]] = {k: [] for k in full}
    for group in statements(items):
        alt = ablations.without(group)
        if alt.same_numbers(beliefs):
            continue
        shares, dead, _ = mixed_shares(alt, run(race, alt, samples, seed, params, cache), params)
        without = {**dict(zip(alt.candidate_ids, shares, strict=True)), DEADLOCK_ID: dead}
        for k, p in full.items():
            d = float(p - without.get(k, 0.0))
            if d != 0:
                deltas[k].append((d, group))
    return {
        k: tuple(contribution(race, g, d) for d, g in sorted(v, key=lambda t: -abs(t[0]))[:top])
        for k, v in deltas.items()
        if v
    }


def contribution(race: Race, group: Sequence[Any], delta: float) -> Contribution:
    """A statement (its reports) and how much it moved one probability."""
    first = group[0]
    quoted = next((e for e in group if e.quote), None)
    # The quoted report's source comes first, so the sentence shown is from that source.
    lead = [quoted.source.label] if quoted is not None else []
    return Contribution(
        evidence_ids=tuple(e.id for e in group),
        first=first.date,
        last=group[-1].date,
        kind=first.kind,
        summary=summarize(first, race),
        sources=tuple(dict.fromkeys([*lead, *(e.source.label for e in group)])),
        quote=quoted.quote if quoted is not None else None,
        delta=delta,
    )


def summarize(item: Any, race: Race | None = None) -> str:
    """A short line saying what an evidence item states (each kind describes itself:
    ``describe`` in records.py), with names where the race is given."""
    return str(item.describe(race))
