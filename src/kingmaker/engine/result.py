"""The forecast as data: outcomes with errors, kingmakers, and the evidence behind each number."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Outcome(_Frozen):
    """One possible result: a named candidate, the field, or deadlock."""

    id: str = Field(description="Candidate id, 'field' or 'deadlock'.")
    name: str = Field(description="Display name.")
    kind: Literal["candidate", "field", "deadlock"]
    status: str | None = Field(default=None, description="Candidacy status on the as-of day.")
    probability: float = Field(ge=0, le=1)
    se: float = Field(ge=0, description="Monte Carlo standard error of the probability.")


class Kingmaker(_Frozen):
    """A member whose stance on the leader moves the outcome most."""

    member: str
    name: str
    swing: float = Field(description="Expected absolute move of the leader's chance if known.")
    p_accept: float = Field(description="P(member accepts the leader).")
    if_accepts: float = Field(description="Leader's chance given the member accepts.")
    if_blocks: float = Field(
        description="Leader's chance given the member holds firm against it (does not give way)."
    )
    stance: str = Field(description="Latest stance evidence on the leader, or 'none'.")
    unreviewed_used: int = Field(
        default=0, description="Of those, machine-extracted items nobody has reviewed yet."
    )
    evidence_ids: tuple[str, ...] = Field(default=(), description="Items behind that stance.")


class Contribution(_Frozen):
    """How much one statement moved one outcome's probability (with vs without it).

    A statement is every report of the same fact (e.g. all reports that Hungary backs
    Rutte), so that wire copies of one statement are weighed, and removed, together.
    """

    unreviewed_used: int = Field(
        default=0, description="Of those, machine-extracted items nobody has reviewed yet."
    )
    evidence_ids: tuple[str, ...] = Field(description="The reports of this statement.")
    first: dt.date = Field(description="Date of the first report.")
    last: dt.date = Field(description="Date of the latest report.")
    kind: str
    summary: str
    sources: tuple[str, ...] = Field(description="URL or file of each report.")
    quote: str | None = Field(default=None, description="A verbatim sentence, where one is kept.")
    delta: float = Field(description="Probability with the statement minus without it.")


class Forecast(_Frozen):
    """A forecast of one race as of one day, and everything needed to reproduce it."""

    race_id: str
    as_of: dt.date
    model: str
    seed: int
    samples: int
    params: dict[str, Any]
    params_name: str = Field(default="custom", description="Which parameter set was used.")
    rule: str
    members: int = Field(description="Members seated on the as-of day.")
    evidence_used: int = Field(description="Evidence items dated on or before the as-of day.")
    evidence_through: dt.date | None = Field(
        default=None, description="Date of the latest of those items (where the news stops)."
    )
    unreviewed_used: int = Field(
        default=0, description="Of those, machine-extracted items nobody has reviewed yet."
    )
    evidence_ids: tuple[str, ...] = Field(
        default=(), description="Ids of those items, so the run can be reproduced exactly."
    )
    decided: bool = Field(description="True when an appointment on record settles the race.")
    outcomes: tuple[Outcome, ...]
    kingmakers: tuple[Kingmaker, ...] = ()
    explanations: dict[str, tuple[Contribution, ...]] = Field(default_factory=dict)

    @property
    def leader(self) -> Outcome:
        """The most likely outcome that is a candidate or the field."""
        return max((o for o in self.outcomes if o.kind != "deadlock"), key=lambda o: o.probability)

    @property
    def front_runner(self) -> Outcome:
        """The most likely named candidate (the field if no one is named): the person
        whose kingmakers and evidence the forecast reports."""
        named = [o for o in self.outcomes if o.kind == "candidate"]
        return max(named, key=lambda o: o.probability) if named else self.leader

    def probability(self, outcome_id: str) -> float:
        """Probability of one outcome by id (0 if absent)."""
        return next((o.probability for o in self.outcomes if o.id == outcome_id), 0.0)
