"""The decision rules kingmaker knows: consensus, threshold with vetoes, supermajority,
majority, double majority, and two-stage selection (one body proposes, another confirms).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import Field

from kingmaker.rules.base import BoolArray, Electorate, RuleBase, Tally, favourite_votes

if TYPE_CHECKING:
    from kingmaker.records import Body

Basis = Literal["members", "votes_cast"]


class Consensus(RuleBase):
    """Every seated member must accept: any single member's block is decisive."""

    kind: Literal["consensus"] = Field(default="consensus", description="Rule kind.")

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        if tally.accepting is not None and self.counts_suffice(electorate):  # counted as drawn
            everyone = len(electorate.member_ids)
            ok: BoolArray = (tally.accepting == everyone) & tally.stands
            return ok
        ok = tally.accept[:, electorate.body_index(self.body), :].all(axis=1) & tally.stands
        return ok

    @property
    def separable(self) -> bool:
        return True

    def counts_suffice(self, electorate: Electorate) -> bool:
        """The whole electorate must accept: how many do is enough."""
        return isinstance(electorate.body_index(self.body), slice)

    @property
    def few_can_block(self) -> bool:
        return True

    def can_block(self, electorate: Electorate) -> np.ndarray:
        out: np.ndarray = electorate.body_mask(self.body).copy()
        return out

    def describe(self) -> str:
        return "consensus: every member must accept; any one can block"


class ThresholdVeto(RuleBase):
    """At least ``threshold`` weighted votes in favour and no veto holder against."""

    kind: Literal["threshold-veto"] = Field(default="threshold-veto", description="Rule kind.")
    threshold: float = Field(gt=0, description="Weighted votes in favour needed, e.g. 9.")
    veto_group: str | None = Field(
        default=None,
        description="Group whose members each hold a veto (e.g. 'P5'); "
        "empty: the members with veto = true.",
    )

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        mask = electorate.body_index(self.body)
        acc = tally.accept[:, mask, :]
        w = electorate.weights[mask]
        votes = np.einsum("cms,m->cs", acc, w, dtype=np.float64)
        holders = self._veto_mask(electorate)[mask]
        vetoed = (~acc[:, holders, :]).any(axis=1)
        ok: BoolArray = (votes >= self.threshold - 1e-9) & ~vetoed & tally.stands
        return ok

    @property
    def separable(self) -> bool:
        return True

    @property
    def few_can_block(self) -> bool:
        return True

    def can_block(self, electorate: Electorate) -> np.ndarray:
        out: np.ndarray = self._veto_mask(electorate) & electorate.body_mask(self.body)
        return out

    def _veto_mask(self, electorate: Electorate) -> np.ndarray:
        if self.veto_group is None:
            return electorate.veto
        return electorate.groups.get(self.veto_group, np.zeros_like(electorate.veto))

    def check(self, bodies: Sequence[Body]) -> None:
        body = self._body(bodies)
        total = sum(m.weight for m in body.members)
        if self.threshold > total + 1e-9:
            raise ValueError(
                f"rule threshold {self.threshold:g} exceeds the {total:g} votes of body "
                f"'{body.id}'; lower 'threshold' or add members"
            )
        if self.veto_group is not None and not any(
            self.veto_group in m.groups for m in body.members
        ):
            raise ValueError(
                f"rule veto_group '{self.veto_group}' matches no member of body '{body.id}'; "
                "add the group to those members' 'groups'"
            )

    def describe(self) -> str:
        who = f"any member of {self.veto_group}" if self.veto_group else "any veto holder"
        return f"at least {self.threshold:g} votes in favour, and {who} can block"


def _voted(tally: Tally, mask: slice | np.ndarray) -> BoolArray:
    """(C, M', S) bool: the members of ``mask`` who cast their vote for each candidate."""
    cands = np.arange(tally.accept.shape[0], dtype=np.int16)[:, None, None]
    voted: BoolArray = tally.vote[None, mask, :] == cands
    return voted


def _share(tally: Tally, electorate: Electorate, body: str | None, basis: Basis) -> np.ndarray:
    """(C, S) weighted share in favour, of all members or of votes cast."""
    mask = electorate.body_index(body)
    w = electorate.weights[mask]
    if basis == "members":
        # One vote each where votes were drawn; else every candidate a member accepts.
        chosen = tally.accept[:, mask, :] if tally.vote.size == 0 else _voted(tally, mask)
        votes = np.einsum("cms,m->cs", chosen, w, dtype=np.float64)
        share_of_members: np.ndarray = votes / float(w.sum())
        return share_of_members
    per_cand, cast = tally.votes_for(mask, electorate.weights)
    share: np.ndarray = per_cand / np.maximum(cast, 1e-12)[None, :]
    return share


class _ByVote(RuleBase):
    """A rule that counts each member's single vote, as a share of the members' weight or
    of the votes cast."""

    of: Basis = Field(
        default="members",
        description="Count 'members' (share of all members' weight) or 'votes_cast' (each "
        "member votes once; the share of the votes cast).",
    )

    @property
    def needs_votes(self) -> bool:
        return True  # each member has one vote, whatever the count is taken of

    @property
    def votes_in_rounds(self) -> bool:
        return self.of == "votes_cast"


class Supermajority(_ByVote):
    """At least ``fraction`` of the members' weight, or of the votes cast, in favour."""

    kind: Literal["supermajority"] = Field(default="supermajority", description="Rule kind.")
    fraction: float = Field(gt=0.5, le=1, description="Share needed, e.g. 0.6667 for two thirds.")

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        ok: BoolArray = (_share(tally, electorate, self.body, self.of) >= self.fraction - 1e-9) & (
            tally.stands
        )
        return ok

    def describe(self) -> str:
        return f"at least {self.fraction:.4g} of {self.of.replace('_', ' ')} in favour"


class Majority(_ByVote):
    """More than half of the members' weight, or of the votes cast, in favour."""

    kind: Literal["majority"] = Field(default="majority", description="Rule kind.")

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        ok: BoolArray = (_share(tally, electorate, self.body, self.of) > 0.5) & tally.stands
        return ok

    def describe(self) -> str:
        return f"more than half of {self.of.replace('_', ' ')} in favour"


class DoubleMajority(RuleBase):
    """A share of the members *and* a share of their weight (population) in favour."""

    kind: Literal["double-majority"] = Field(default="double-majority", description="Rule kind.")
    member_share: float = Field(gt=0, le=1, description="Share of members needed, e.g. 0.55.")
    weight_share: float = Field(gt=0, le=1, description="Share of weight needed, e.g. 0.65.")

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        mask = electorate.body_index(self.body)
        acc = tally.accept[:, mask, :]
        n = acc.mean(axis=1)
        w = electorate.weights[mask]
        ws = np.einsum("cms,m->cs", acc, w, dtype=np.float64) / w.sum()
        ok: BoolArray = (
            (n >= self.member_share - 1e-9) & (ws >= self.weight_share - 1e-9) & tally.stands
        )
        return ok

    @property
    def separable(self) -> bool:
        return True

    def describe(self) -> str:
        return (
            f"at least {self.member_share:.0%} of members holding "
            f"{self.weight_share:.0%} of the weight in favour"
        )


SingleStage = Annotated[
    Consensus | ThresholdVeto | Supermajority | Majority | DoubleMajority,
    Field(discriminator="kind"),
]


class TwoStage(RuleBase):
    """One body proposes, another confirms: feasible only if both stages would pass it.

    The confirming body sees only the proposed candidates: where it counts votes cast,
    each member's single vote goes to its favourite among them. Both stages are simulated
    from acceptances (never as rounds of ballots), so a veto in the first always binds.
    """

    kind: Literal["two-stage"] = Field(default="two-stage", description="Rule kind.")
    propose: SingleStage = Field(description="Rule of the proposing body.")
    confirm: SingleStage = Field(description="Rule of the confirming body.")

    def feasible(self, tally: Tally, electorate: Electorate) -> BoolArray:
        # A stage counting the members approves from acceptances (no single votes: counting
        # favourites there let one member's objection to a candidate help it); a stage
        # counting votes cast gives each member's vote to its favourite.
        approve = dataclasses.replace(tally, vote=tally.vote[:0])
        proposed = self.propose.feasible(
            tally if self.propose.votes_in_rounds else approve, electorate
        )
        stands = tally.stands & proposed
        vote = approve.vote
        if self.confirm.votes_in_rounds and tally.pref is not None:
            vote = favourite_votes(tally.accept, stands, tally.pref)
        confirm = dataclasses.replace(tally, stands=stands, vote=vote)
        ok: BoolArray = proposed & self.confirm.feasible(confirm, electorate)
        return ok

    @property
    def needs_votes(self) -> bool:
        return self.propose.needs_votes or self.confirm.needs_votes

    @property
    def few_can_block(self) -> bool:
        return self.propose.few_can_block or self.confirm.few_can_block

    def can_block(self, electorate: Electorate) -> np.ndarray:
        out: np.ndarray = self.propose.can_block(electorate) | self.confirm.can_block(electorate)
        return out

    @property
    def draws_votes(self) -> bool:
        return False  # both stages decide from acceptances (see the class docstring)

    @property
    def separable(self) -> bool:
        return self.propose.separable and self.confirm.separable

    def check(self, bodies: Sequence[Body]) -> None:
        self.propose.check(bodies)
        self.confirm.check(bodies)

    def describe(self) -> str:
        return f"proposed by {self.propose.describe()}, then confirmed by {self.confirm.describe()}"
