"""Decision rules: named, versioned, composable objects that say which candidates can win."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kingmaker.rules.base import Electorate, RuleBase, Tally
from kingmaker.rules.library import (
    Consensus,
    DoubleMajority,
    Majority,
    Supermajority,
    ThresholdVeto,
    TwoStage,
)

RuleConfig = Annotated[
    Consensus | ThresholdVeto | Supermajority | Majority | DoubleMajority | TwoStage,
    Field(discriminator="kind"),
]

__all__ = [
    "Consensus",
    "DoubleMajority",
    "Electorate",
    "Majority",
    "RuleBase",
    "RuleConfig",
    "Supermajority",
    "Tally",
    "ThresholdVeto",
    "TwoStage",
]
