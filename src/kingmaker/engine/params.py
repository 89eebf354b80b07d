"""The forecast model's parameters: every number the engine uses, with where it comes from.

``Params`` is versioned with the model (``MODEL``); a stored forecast records the model
name and the resolved parameters, so any run can be reproduced. docs/model.md explains
each one; values marked *placeholder* are expert guesses until the backtest fits them.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kingmaker.errors import ForecastError
from kingmaker.validation import Checked, CheckedValidationError, InvalidParamsError

MODEL = "kingmaker-mc.v10"
# Models whose parameter values this one reads as its own: v6 is v5 drawn differently
# (16-bit draws, compiled loops); v7 is v6 with a member's stance moving it in the stance's
# direction in every sample; v8 is v7 with ``objector_relent`` (v7 is v8 with it at 1); v9 is
# v8 with a ballot's abstainers leaning to the standing candidates it left off, and members'
# groups read for the forecast day (no new parameter); v10 is v9 with
# ``vote_endorsement_pull`` (v9 is v10 with it at 0). The same parameters mean the same in all
# six.
SAME_PARAMETERS = frozenset(
    {"kingmaker-mc.v5", "kingmaker-mc.v6", "kingmaker-mc.v7", "kingmaker-mc.v8", "kingmaker-mc.v9"}
)
FITTED_UNDER = "kingmaker-mc.v6"
"""The model the shipped values were fitted under (``MODEL`` or one of SAME_PARAMETERS)."""
# Parameters added after v5, with the value at which the model is what it was before them:
# a parameter file that does not name one was written before it and is read with this.
BEFORE: dict[str, float] = {"objector_relent": 1.0, "vote_endorsement_pull": 0.0}


class Params(Checked):
    """Parameters of the kingmaker Monte Carlo model (docs/model.md says where each comes
    from). Bad values raise ``InvalidParamsError`` (a ``ForecastError``, and still a
    pydantic ``ValidationError``) naming the field."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    invalid: ClassVar[type[CheckedValidationError]] = InvalidParamsError

    stand_declared: float = Field(
        0.95, ge=0, le=1, description="P(stands) for a declared candidate."
    )
    stand_interested: float = Field(
        0.6, ge=0, le=1, description="P(stands) for one who only said they are interested."
    )
    stand_mentioned: float = Field(
        0.3, ge=0, le=1, description="P(stands) for one only named as possible."
    )
    stand_backing: float = Field(
        2.0,
        ge=0,
        le=20,
        description="How fast standing rises with backing: P(stands) closes this times the "
        "backed share of the members' weight of its gap to 1 (members back people who stand).",
    )
    prior_accept: float = Field(
        0.97, gt=0, lt=1, description="P(a member accepts a candidate) with no evidence."
    )
    home_accept: float = Field(
        0.995, gt=0, lt=1, description="P(the home member accepts its own national)."
    )
    group_affinity: float = Field(
        0.01, ge=0, le=0.2, description="Added to the prior per group shared with the home member."
    )
    group_affinity_cap: float = Field(
        0.03, ge=0, le=0.5, description="Most the group affinity can add in total."
    )
    outgroup_discount: float = Field(
        0.9,
        ge=0,
        le=1,
        description="Share of acceptance lost by members sharing none of a candidate's "
        "declared groups (a rival party).",
    )
    outgroup_discount_approval: float = Field(
        0.5,
        ge=0,
        le=1,
        description="The out-group discount in bodies that approve rather than vote "
        "(consensus, a veto council, the stages of a two-stage rule).",
    )
    target_support: float = Field(
        0.99, gt=0, lt=1, description="Acceptance a support stance points to."
    )
    target_oppose: float = Field(
        0.35,
        gt=0,
        lt=1,
        description="Acceptance an objection points to (objections are often lifted).",
    )
    target_neutral: float = Field(
        0.8, gt=0, lt=1, description="Acceptance a neutral stance points to."
    )
    target_lifted: float = Field(
        0.95,
        gt=0,
        lt=1,
        description="Acceptance after an objection is lifted (it can return until the vote).",
    )
    convergence: float = Field(
        0.95,
        ge=0,
        lt=1,
        description="Share of a silent member's acceptance latent common to the whole body "
        "(silent members follow the emerging consensus).",
    )
    relent: float = Field(
        0.5,
        ge=0,
        le=1,
        description="P(the blockers give way to the best-backed standing candidate) in a "
        "sample where no candidate is feasible; otherwise someone else (the field) is chosen.",
    )
    vote_endorsement_pull: float = Field(
        0.4,
        ge=0,
        le=1,
        description="In a body that votes (its rule draws votes), how far the endorsement "
        "share's weight moves from endorsement_weight toward 1: w + pull x (1 - w).",
    )
    objector_relent: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Of the blockers' chance to give way (``relent``), the share left where a "
        "member who can block alone has objected in public and blocks: a public objection is "
        "harder to drop than a silent doubt.",
    )
    deadlock_rate: float = Field(
        0.02,
        ge=0,
        lt=1,
        description="P(the body chooses no one by the deadline): a base rate from the "
        "race library, not from simulated blocks.",
    )
    endorsement_weight: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of each probability given by the members' public backing "
        "(endorsement share) rather than by the simulation.",
    )
    rival_discount: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of a member's acceptance of rivals lost when it backs a candidate.",
    )
    bandwagon: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Share of the gap to full acceptance each member closes, "
        "times the backers' share.",
    )
    choice_backing: float = Field(
        1.0,
        ge=0,
        description="Weight of one member's public backing, against one sampled acceptance, "
        "when the body picks among feasible candidates.",
    )
    half_life_days: float = Field(
        180.0, gt=0, description="Days after which a stance's pull on the prior halves."
    )
    correlation: float = Field(
        0.6, ge=0, lt=1, description="Share of a member's acceptance latent common to all members."
    )
    field_share: float = Field(
        0.35, ge=0, le=1, description="P(an unnamed candidate stands) when the race opens."
    )
    field_half_life_days: float = Field(
        120.0, gt=0, description="Days after which the field's chance to stand halves."
    )
    field_accept: float = Field(
        0.95, gt=0, lt=1, description="P(a member accepts the unnamed candidate)."
    )
    group_vote_pull: float = Field(
        3.0,
        ge=0,
        le=10,
        description="In bodies that vote in rounds, how strongly members vote within their "
        "groups (propensity times exp(pull x shared groups)).",
    )
    backing_vote_pull: float = Field(
        3.0,
        ge=0,
        le=10,
        description="In bodies that vote in rounds, how strongly members vote for whom they "
        "publicly back (propensity times exp(pull x backing)).",
    )
    lean_power: float = Field(
        1.0,
        ge=0,
        le=4,
        description="In bodies that vote, how strongly silent members follow the body's "
        "revealed lean (public backing read as a sample of the body; 0: not at all, "
        "1: as a Polya urn).",
    )
    ballot_blend: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of an unnamed member's vote propensity set by acceptance, not the "
        "latest ballot's shares.",
    )
    roll_call_stick: float = Field(
        0.9, ge=0, le=1, description="P(a member named in a roll call votes as it last did)."
    )
    rounds: int = Field(
        12,
        ge=1,
        le=200,
        description="Ballots simulated before a body that votes in rounds "
        "is counted as deadlocked.",
    )
    switch_rate: float = Field(
        0.25,
        ge=0,
        le=1,
        description="P(a member whose candidate trails switches after a failed ballot).",
    )
    switch_power: float = Field(
        2.0,
        ge=0,
        le=10,
        description="How strongly a switcher favours candidates with more "
        "votes (shares raised to this power).",
    )
    withdrawal_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Least confidence for a withdrawal to count (P(stands) 0); a less "
        "certain report only lowers P(stands) by its confidence.",
    )
    appointment_confidence: float = Field(
        0.8, ge=0, le=1, description="Least confidence for an appointment to settle the race."
    )
    levels: int = Field(
        32, ge=2, le=1024, description="Strata of the common latent (numerical, not a belief)."
    )

    def stand_for(self, status: str | None) -> float:
        """P(stands) for a candidacy status; 0 for withdrawn or never named."""
        return {
            "declared": self.stand_declared,
            "interested": self.stand_interested,
            "mentioned": self.stand_mentioned,
        }.get(status or "", 0.0)

    def target_for(self, stance: str, lifted: bool) -> float:
        """The acceptance a stance points to."""
        if lifted:
            return self.target_lifted
        return {
            "support": self.target_support,
            "oppose": self.target_oppose,
            "neutral": self.target_neutral,
        }[stance]


class ParamsFile(BaseModel):
    """A versioned set of parameter values: fitted ones, with where they came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(description="Model the values are for, e.g. 'kingmaker-mc.v1'.")
    name: str = Field(description="Name forecasts record, e.g. 'fit-2026-11-28'.")
    created: dt.date = Field(description="Day the values were fitted.")
    fitted_on: tuple[str, ...] = Field(default=(), description="Races used for fitting.")
    method: str = Field(default="", description="How they were fitted.")
    in_sample_log_score: float | None = Field(
        default=None, description="Mean log score in sample, for fits that maximised it."
    )
    objective: str = Field(
        default="log", description="What the fit optimised: 'log' score or 'brier' score."
    )
    in_sample_objective: float | None = Field(
        default=None,
        description="The objective in sample (mean log score, or minus the mean Brier score).",
    )
    leave_one_out: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Race -> mean daily scores (method.metric) under values fitted without it.",
    )
    values: Params = Field(description="The parameter values.")


PLACEHOLDER = "placeholder-v1"


def load_params_file(path: Path | str) -> ParamsFile:
    """Read a parameter file.

    Raises:
        ForecastError: unreadable, invalid, or for another model.
    """
    try:
        raw = json.loads(Path(path).read_text())
        pf = ParamsFile.model_validate(raw)
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ForecastError(f"{path}: not a valid parameter file ({first})") from None
    if pf.model != MODEL and pf.model not in SAME_PARAMETERS:
        raise ForecastError(f"{path}: values are for model {pf.model}, this kingmaker runs {MODEL}")
    values = raw.get("values") if isinstance(raw, dict) else None
    if isinstance(values, dict):
        # Values written before a parameter existed keep the behaviour they were fitted
        # with: the value at which the newer model is the older one.
        missing = {k: v for k, v in BEFORE.items() if k not in values}
        if missing:
            pf = pf.model_copy(update={"values": pf.values.model_copy(update=missing)})
    return pf


def bundled_params_path() -> Path:
    """Where the package keeps its fitted parameter file."""
    return Path(str(resources.files("kingmaker") / "data" / "params" / f"{FITTED_UNDER}.json"))


def default_params() -> tuple[str, Params]:
    """The fitted values shipped with the package, else the placeholders."""
    path = bundled_params_path()
    if path.is_file():
        pf = load_params_file(path)
        return pf.name, pf.values
    return PLACEHOLDER, Params()
