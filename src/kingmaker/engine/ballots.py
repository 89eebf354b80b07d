"""Formal ballots: roll calls become stances, and the latest votes set each member's
propensity to vote for each candidate in the next round (for bodies that vote in rounds).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from kingmaker.engine.params import Params
from kingmaker.records import BallotEvidence, StanceEvidence


def roll_call_stances(ballot: BallotEvidence) -> list[StanceEvidence]:
    """A named vote for a candidate is a public act of support, dated and sourced."""
    return [
        StanceEvidence(
            id=f"{ballot.id}.{mid}",
            kind="stance",
            date=ballot.date,
            source=ballot.source,
            producer=ballot.producer,
            confidence=ballot.confidence,
            review=ballot.review,
            note=f"voted for {cid} on ballot {ballot.round}",
            member=mid,
            candidate=cid,
            stance="support",
        )
        for mid, cid in ballot.votes.items()
        if cid is not None
    ]


def vote_propensity(
    accept: np.ndarray,
    backing: np.ndarray,
    shared: np.ndarray,
    candidate_ids: Sequence[str],
    members: Sequence[str],
    ballots: Sequence[BallotEvidence],
    params: Params,
    standing: Sequence[bool],
) -> np.ndarray:
    """(C, M) how likely each member is to vote for each candidate in the next round.

    Without ballots it follows acceptance, times ``exp(group_vote_pull * shared groups +
    backing_vote_pull * backing)``: members vote within their party or region first, and
    for whom they (or an anonymous count of their group) publicly back. A member named in
    a roll call keeps its last vote with ``roll_call_stick`` while that candidate stands,
    the rest spread by acceptance. Members never named vote in the shares of the latest
    ballot's totals (votes for people outside the race go to the field), blended with
    acceptance by ``ballot_blend`` so that new entrants can draw votes. A ballot that left
    standing candidates off (a lone candidate put to the vote, a run-off, a summit before
    a new candidate entered) says of those who abstained only that they wanted none on
    it: their share goes to the ``standing`` candidates it left off, by each member's
    lean, rather than vanishing (a lone candidate's 33 votes of 53 is no majority of all).
    """
    lean = accept * np.exp(params.group_vote_pull * shared + params.backing_vote_pull * backing)
    base: np.ndarray = lean / lean.sum(axis=0, keepdims=True)
    if not ballots:
        return base
    col = {c: i for i, c in enumerate(candidate_ids)}
    last_vote: dict[str, str | None] = {}
    for b in sorted(ballots, key=lambda b: (b.date, b.round)):
        last_vote.update(b.votes)
    latest = max(ballots, key=lambda b: (b.date, b.round))
    shares = np.zeros(len(candidate_ids))
    for named, n in latest.tallies.items():
        if named in col:
            shares[col[named]] += n
    shares[-1] += latest.other  # the last column is the field
    left_off = np.array(
        [standing[i] and c not in latest.tallies for i, c in enumerate(candidate_ids)]
    )
    left_off[-1] = False
    out = base.copy()
    abstained = float(latest.abstain) if left_off.any() else 0.0
    total = shares.sum() + abstained
    if total > 0:
        blend = params.ballot_blend
        anon = np.array([m not in last_vote for m in members])
        lean_off = np.where(left_off[:, None], base[:, anon], 0.0)
        lean_off /= np.maximum(lean_off.sum(axis=0, keepdims=True), 1e-12)
        ballot = (shares[:, None] + abstained * lean_off) / total
        out[:, anon] = (1 - blend) * ballot + blend * base[:, anon]
    for mi, mid in enumerate(members):
        voted = last_vote.get(mid)
        if voted is None or voted not in col:
            continue
        ci = col[voted]
        rest = accept[:, mi] * np.exp(params.group_vote_pull * shared[:, mi])
        rest[ci] = 0.0
        total = rest.sum()
        out[:, mi] = (1 - params.roll_call_stick) * (rest / total if total > 0 else rest)
        out[ci, mi] = params.roll_call_stick
    return out


def choose(g: np.random.Generator, weight: np.ndarray) -> np.ndarray:
    """Index along axis 0 drawn in proportion to ``weight`` (0 never), independently for
    every other position: the smallest exponential draw over weight (a Gumbel-max draw
    without logarithms)."""
    return choose_factored(g, weight.shape[0], lambda c: weight[c])


def choose_factored(
    g: np.random.Generator, n: int, weight_of: Callable[[int], np.ndarray]
) -> np.ndarray:
    """``choose`` over ``n`` options whose weights are made one option at a time
    (``weight_of(c)``), so that no array of every option's weights or draws is held: the
    draws are the same, in the same order, as ``choose`` on the stacked weights."""
    first = weight_of(0)
    out = np.zeros(first.shape, dtype=np.int16)
    # weight / e is largest where e / weight is smallest; a zero weight never wins.
    with np.errstate(divide="ignore", invalid="ignore"):
        best = first / g.standard_exponential(first.shape, dtype=np.float32)
        for c in range(1, n):
            w = weight_of(c)
            score = w / g.standard_exponential(w.shape, dtype=np.float32)
            better = score > best
            out[better] = c
            np.maximum(best, score, out=best)
    return out


def sampled_votes(
    accept: np.ndarray,
    stands: np.ndarray,
    propensity: np.ndarray,
    lean: np.ndarray | None,
    g: np.random.Generator,
) -> np.ndarray:
    """(M, S) each member's single vote: drawn among the standing candidates it accepts, in
    proportion to its vote propensity (times the body's sampled lean); -1 (abstain) where
    it accepts none."""
    prop = np.maximum(propensity, 1e-12).astype(np.float32)
    open_to = accept & stands[:, None, :]

    def weight_of(c: int) -> np.ndarray:
        w: np.ndarray = prop[c][:, None] * open_to[c]
        return w if lean is None else w * lean[c][None, :]

    vote = choose_factored(g, accept.shape[0], weight_of)
    vote[~open_to.any(axis=0)] = -1
    return vote
