"""What every decision rule sees and promises: the electorate, the tally, the rule contract.

A rule turns a tally of sampled acceptances (samples x members x candidates) into the
candidates each sample makes *feasible*. Rules are pydantic models (so race files can
configure them) with a ``name`` and a ``version``; a change of behaviour is a new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from kingmaker.records import Body

BoolArray = np.ndarray


@dataclass(frozen=True)
class Electorate:
    """The members seated on the forecast day, as arrays the rules index.

    Attributes:
        member_ids: ids in column order.
        weights: (M,) votes of each member.
        veto: (M,) whether each member holds a veto on its own.
        bodies: body id -> (M,) mask of the members of that body.
        groups: group name -> (M,) mask of the members in that group.
    """

    member_ids: tuple[str, ...]
    weights: np.ndarray
    veto: np.ndarray
    bodies: dict[str, np.ndarray]
    groups: dict[str, np.ndarray]

    def body_mask(self, body: str | None) -> np.ndarray:
        """Mask of a body's members; ``None`` means the first body."""
        if body is None:
            return next(iter(self.bodies.values()))
        return self.bodies[body]

    def body_index(self, body: str | None) -> slice | np.ndarray:
        """Index of a body's members: a plain slice (a view, no copy) when it is everyone."""
        mask = self.body_mask(body)
        return slice(None) if bool(mask.all()) else mask


@dataclass(frozen=True)
class Tally:
    """One batch of sampled decisions.

    Attributes:
        accept: (C, M, S) bool, member m would accept candidate c in sample s.
        vote: (M, S) int, the one candidate m votes for in sample s, -1 to abstain
            (filled only when the rule's ``needs_votes`` is true; else empty).
        stands: (C, S) bool, candidate c is in the running in sample s.
        pref: (C, M) how much each member prefers each candidate (its acceptance
            probability), to recount single votes among fewer candidates; None if unknown.
        accepting: (C, S) how many members (of every body) accept each candidate in each
            sample, where the engine has counted them as it drew; None if not counted.

    Samples are the last axis so that each candidate's slice is contiguous.
    """

    accept: np.ndarray
    vote: np.ndarray
    stands: np.ndarray
    pref: np.ndarray | None = None
    accepting: np.ndarray | None = None

    @property
    def n_candidates(self) -> int:
        """Number of candidate columns."""
        return int(self.accept.shape[0])

    def votes_for(
        self, mask: slice | np.ndarray, weights: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Weighted votes per candidate (C, S) and weighted votes cast (S,) among ``mask``."""
        vote = self.vote[mask, :]
        w = weights[mask].astype(np.float64)
        per_cand = np.stack([w @ (vote == c) for c in range(self.n_candidates)], axis=0)
        cast = w @ (vote >= 0)
        return per_cand, cast


def favourite_votes(accept: np.ndarray, stands: np.ndarray, pref: np.ndarray) -> np.ndarray:
    """(M, S) each member's single vote: the standing candidate it accepts with the highest
    ``pref``; -1 (abstain) where it accepts none."""
    n_c, n_m, s = accept.shape
    vote = np.full((n_m, s), -1, dtype=np.int16)
    best = np.full((n_m, s), -1.0)
    for ci in range(n_c):
        p = np.where(accept[ci] & stands[ci][None, :], pref[ci][:, None], -1.0)
        better = p > best
        best[better] = p[better]
        vote[better] = ci
    return vote


class RuleBase(BaseModel):
    """Contract of a decision rule.

    ``feasible`` returns a (C, S) bool array: which candidates the body would choose or
    accept in each sample (before the engine picks one among several by support).
    ``check`` raises ValueError when the rule cites an unknown body or group, or when no
    set of members could ever satisfy it. ``describe`` says the rule in one sentence.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: ClassVar[int] = 1

    kind: str = Field(
        description="Which rule: consensus, threshold-veto, supermajority, majority, "
        "double-majority or two-stage."
    )
    body: str | None = Field(default=None, description="Body id the rule applies to; empty: first.")

    @property
    def needs_votes(self) -> bool:
        """Whether the rule reads ``Tally.vote`` (each member's single vote)."""
        return False

    @property
    def draws_votes(self) -> bool:
        """Whether the engine draws each member's single vote from its propensity (a body
        that elects by votes); else votes, where needed, go to members' favourites."""
        return self.needs_votes

    @property
    def separable(self) -> bool:
        """Whether a candidate's feasibility in a sample depends only on its own
        acceptances, and on its standing only as ``... & stands``: then the engine can
        apply the rule to each candidate's column alone, as it simulates it."""
        return False

    def counts_suffice(self, electorate: Electorate) -> bool:
        """Whether a separable rule judges a column from ``Tally.accepting`` alone (how many
        members accept, not who): then the engine need not keep who accepts."""
        return False

    @property
    def few_can_block(self) -> bool:
        """Whether a few members can block a candidate the rest accept (consensus, a
        veto): such holdouts face the pressure of the rest (see the engine's
        ``press_holdouts``). Where a candidate fails for want of votes, nobody blocked it."""
        return False

    def can_block(self, electorate: Electorate) -> np.ndarray:
        """(M,) bool: the members who can block a candidate on their own (every member of
        a consensus body, a veto holder). No one by default: where a candidate fails for
        want of votes, no one member blocked it."""
        return np.zeros(len(electorate.member_ids), dtype=bool)

    @property
    def votes_in_rounds(self) -> bool:
        """Whether the body votes in successive ballots (one vote each, of votes cast):
        then the engine simulates rounds of voting instead of acceptances."""
        return False

    @property
    def name(self) -> str:
        """Versioned name, e.g. 'consensus.v1'."""
        return f"{self.kind}.v{self.version}"

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        """Candidates feasible in each sample, (C, S) bool."""
        raise NotImplementedError

    def check(self, bodies: Sequence[Body]) -> None:
        """Raise ValueError if the rule is misconfigured or can never be satisfied."""
        self._body(bodies)

    def describe(self) -> str:
        """One sentence for people."""
        raise NotImplementedError

    def _body(self, bodies: Sequence[Body]) -> Body:
        if self.body is None:
            return bodies[0]
        for b in bodies:
            if b.id == self.body:
                return b
        known = ", ".join(b.id for b in bodies)
        raise ValueError(f"rule names body '{self.body}', but the race has only: {known}")
