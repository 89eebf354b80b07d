"""Body presets and rule templates: the bodies that recur, as sourced data files, and the
rules that bodies decide by, for ``kingmaker new`` (``kingmaker.races.scaffold``).

A preset is ``kingmaker/data/presets/<name>.toml``: one deciding body with its members (the
Security Council of a year, NATO's allies, the EU's member states...), the sources of its
facts, the rule template the body usually decides by and that rule's settings. Members that
are UN member states name their ISO id (``state``) and take their name, demonyms, capitals
and long forms from ``un-member-states.toml``, so each state's aliases are written once.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from kingmaker.errors import RaceFileError
from kingmaker.records import Id, Record, load_toml

STATES = "un-member-states"
"""The data file of the UN member states that presets draw names and aliases from."""


class PresetMember(Record):
    """One member of a preset body: a UN member state by its ISO id, or a member of its own."""

    state: str | None = Field(
        default=None, description="ISO 3166-1 alpha-3 id of a UN member state (un-member-states)."
    )
    id: Id | None = Field(default=None, description="Member id, for a member that is no state.")
    name: str | None = Field(default=None, description="Name; a state's defaults to its own.")
    aliases: tuple[str, ...] = Field(default=(), description="Aliases besides a state's own.")
    weight: float = Field(default=1.0, gt=0, description="Votes or weight in the body.")
    veto: bool = Field(default=False, description="Whether this member alone can block.")
    groups: tuple[str, ...] = Field(default=(), description="Groups it belongs to.")
    joined: dt.date | None = Field(default=None, description="First day as a member.")
    left: dt.date | None = Field(default=None, description="Last day as a member.")
    source: str | None = Field(default=None, description="Where this member's facts come from.")
    note: str | None = Field(default=None, description="A fact about the member, as a comment.")

    @model_validator(mode="after")
    def _state_or_own(self) -> PresetMember:
        if (self.state is None) == (self.id is None and self.name is None):
            raise ValueError("a member needs either 'state' or its own 'id' and 'name'")
        if self.state is None and (self.id is None or self.name is None):
            raise ValueError("a member that is no state needs both 'id' and 'name'")
        return self


class PresetBody(Record):
    """The body a preset describes."""

    id: Id = Field(description="Body id in the race written from the preset.")
    name: str = Field(min_length=1, description="Full name of the body.")
    members: tuple[PresetMember, ...] = Field(default=(), description="Its members.")
    members_from: Literal["un-member-states"] | None = Field(
        default=None, description="Take every UN member state as a member, one vote each."
    )

    @model_validator(mode="after")
    def _has_members(self) -> PresetBody:
        if not self.members and self.members_from is None:
            raise ValueError("the body needs 'members' or 'members_from'")
        return self


class RuleSettings(Record):
    """What a rule template needs to know about a body beyond its members."""

    threshold: float | None = Field(default=None, gt=0, description="Votes needed (veto council).")
    veto_group: str | None = Field(default=None, description="Group whose members hold a veto.")


class Preset(Record):
    """A body that recurs, with its sources, usual rule and rule settings."""

    id: Id = Field(description="Preset name, the file's name without '.toml'.")
    name: str = Field(min_length=1, description="Human title.")
    description: str = Field(default="", description="What the body is and how it decides.")
    rule: str = Field(description="The rule template the body usually decides by.")
    weights: str | None = Field(default=None, description="What the members' weights are.")
    regional_groups: bool = Field(
        default=False, description="Put each state in its UN regional group."
    )
    sources: tuple[str, ...] = Field(min_length=1, description="Where the facts come from.")
    settings: RuleSettings = Field(default_factory=RuleSettings, description="Rule settings.")
    body: PresetBody = Field(description="The body.")


def presets_dir() -> Path:
    """The folder of the bundled presets."""
    return Path(str(resources.files("kingmaker") / "data" / "presets"))


def preset_names() -> list[str]:
    """Names of the bundled body presets, sorted (the UN member-state list is data, no body)."""
    return sorted(p.stem for p in presets_dir().glob("*.toml") if p.stem != STATES)


@cache
def states() -> dict[str, dict[str, Any]]:
    """The UN member states by ISO id: name, aliases and regional group."""
    with (presets_dir() / f"{STATES}.toml").open("rb") as f:
        return {s["id"]: s for s in tomllib.load(f)["states"]}


def load_preset(name: str) -> Preset:
    """A bundled preset by name.

    Raises:
        RaceFileError: for an unknown name (naming the known ones), or a preset file that
            does not validate.
    """
    names = preset_names()
    if name not in names:
        raise RaceFileError(f"no preset '{name}'; presets: {', '.join(names)}")
    path = presets_dir() / f"{name}.toml"
    try:
        preset = Preset.model_validate(load_toml(path.read_text(encoding="utf-8")))
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise RaceFileError(f"preset {path.name} is malformed ({exc})") from None
    unknown = [m.state for m in preset.body.members if m.state and m.state not in states()]
    if unknown:
        raise RaceFileError(f"preset {path.name}: '{unknown[0]}' is not a UN member state id")
    return preset


def body_members(preset: Preset, *, suffix: str = "") -> list[dict[str, Any]]:
    """The preset body's members as race-file member tables (``note`` and ``source`` kept as
    keys starting with ``_`` for comments); ``suffix`` is appended to every id."""
    if preset.body.members_from is not None:
        rows = [PresetMember(state=sid) for sid in sorted(states(), key=_state_name)]
    else:
        rows = list(preset.body.members)
    return [_member(preset, m, suffix) for m in rows]


def _state_name(sid: str) -> str:
    return str(states()[sid]["name"])


def _member(preset: Preset, m: PresetMember, suffix: str) -> dict[str, Any]:
    state = states()[m.state] if m.state else {}
    groups = list(m.groups)
    if preset.regional_groups and state.get("un_group") and state["un_group"] not in groups:
        groups.append(state["un_group"])
    row: dict[str, Any] = {
        "id": f"{m.id or m.state}{suffix}",
        "name": m.name or state["name"],
        "aliases": list(dict.fromkeys((*state.get("aliases", ()), *m.aliases))),
        "weight": m.weight if m.weight != 1.0 else None,
        "veto": m.veto,
        "groups": groups,
        "joined": m.joined,
        "left": m.left,
        "_note": m.note,
        "_source": m.source,
    }
    # Keys left at their default are not written (a weight of 1, no veto, no groups).
    return {k: v for k, v in row.items() if v is not None and v != [] and v is not False}


@dataclass(frozen=True)
class RuleTemplate:
    """A named way for a body to decide, and how to write it for a preset's body."""

    name: str
    summary: str
    build: Callable[[Preset], dict[str, Any]]


def _needs(preset: Preset, template: str, what: str) -> RaceFileError:
    return RaceFileError(
        f"rule template '{template}' needs {what}, which preset '{preset.id}' does not give; "
        f"pick another rule template (its usual one is '{preset.rule}')"
    )


def _veto_council(preset: Preset) -> dict[str, Any]:
    s = preset.settings
    if s.threshold is None:
        raise _needs(preset, "veto-council", "a vote threshold")
    if s.veto_group is None and not any(m.veto for m in preset.body.members):
        raise _needs(preset, "veto-council", "members with a veto")
    rule: dict[str, Any] = {"kind": "threshold-veto", "threshold": s.threshold}
    if s.veto_group:
        rule["veto_group"] = s.veto_group
    return rule


def _weighted(template: str, member_share: float) -> Callable[[Preset], dict[str, Any]]:
    def build(preset: Preset) -> dict[str, Any]:
        if preset.weights is None:
            raise _needs(preset, template, "member weights (a population)")
        return {"kind": "double-majority", "member_share": member_share, "weight_share": 0.65}

    return build


TEMPLATES: dict[str, RuleTemplate] = {
    t.name: t
    for t in (
        RuleTemplate(
            "consensus",
            "every member must accept; any one can block (NATO, WTO)",
            lambda p: {"kind": "consensus"},
        ),
        RuleTemplate(
            "veto-council",
            "a vote threshold, and a veto for some members (UN Security Council: 9, no P5 veto)",
            _veto_council,
        ),
        RuleTemplate(
            "majority",
            "more than half of all members' weight (a Parliament's groups by seats)",
            lambda p: {"kind": "majority", "of": "members"},
        ),
        RuleTemplate(
            "majority-rounds",
            "more than half of the votes cast, in rounds of voting (UN General Assembly)",
            lambda p: {"kind": "majority", "of": "votes_cast"},
        ),
        RuleTemplate(
            "two-thirds",
            "two thirds of the votes cast, in rounds of voting",
            lambda p: {"kind": "supermajority", "fraction": 0.6667, "of": "votes_cast"},
        ),
        RuleTemplate(
            "qualified-majority",
            "55% of members holding 65% of the weight (the EU Council on a Commission proposal)",
            _weighted("qualified-majority", 0.55),
        ),
        RuleTemplate(
            "reinforced-qualified-majority",
            "72% of members holding 65% of the weight (the European Council proposing)",
            _weighted("reinforced-qualified-majority", 0.72),
        ),
        RuleTemplate(
            "two-stage",
            "the first preset's body proposes and the second's confirms, each by its usual rule "
            "(UN Secretary-General: Council, then Assembly)",
            lambda p: {},  # built from two presets by stage_rule
        ),
    )
}


def template_rule(name: str, presets: Sequence[Preset]) -> dict[str, Any]:
    """The ``[rule]`` table of a template for the presets' bodies (one; two for two-stage).

    Raises:
        RaceFileError: an unknown template, the wrong number of presets for it, or a
            template the body cannot decide by (a veto council without vetoes).
    """
    if name not in TEMPLATES:
        raise RaceFileError(f"no rule template '{name}'; templates: {', '.join(TEMPLATES)}")
    if name == "two-stage":
        if len(presets) != 2:
            raise RaceFileError(
                "rule template 'two-stage' needs two presets, the proposing body's and then "
                "the confirming body's"
            )
        return {
            "kind": "two-stage",
            "propose": stage_rule(presets[0].rule, presets[0]),
            "confirm": stage_rule(presets[1].rule, presets[1]),
        }
    if len(presets) != 1:
        raise RaceFileError(
            f"rule template '{name}' decides in one body; give one preset, or two with the "
            "template two-stage",
            param="preset",
        )
    return stage_rule(name, presets[0])


def stage_rule(name: str, preset: Preset) -> dict[str, Any]:
    """One body's rule from a single-stage template, naming the body."""
    if name not in TEMPLATES or name == "two-stage":
        raise RaceFileError(f"preset '{preset.id}' names an unknown usual rule '{name}'")
    return {"kind": "", "body": preset.body.id} | TEMPLATES[name].build(preset)
