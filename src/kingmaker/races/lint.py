"""Warnings about a race that loads but may not mean what its author meant.

Each is one line saying what was found and what to fix. ``kingmaker load`` and
``kingmaker backtest`` print them; ``race_warnings`` gives them to Python callers.
"""

from __future__ import annotations

from collections.abc import Iterator

from kingmaker.records import (
    BallotEvidence,
    CandidacyEvidence,
    MeetingEvidence,
    Member,
    ProposalEvidence,
    Race,
    StanceEvidence,
    candidates_named,
)
from kingmaker.rules.library import ThresholdVeto, TwoStage


def race_warnings(race: Race) -> list[str]:
    """Every warning for ``race``, each one line starting with the race id."""
    found = [
        *_mode(race),
        *_outside_membership(race),
        *_empty_groups(race),
        *_never_named(race),
        *_format(race),
        *_proposals(race),
    ]
    return [f"race {race.id}: {w}" for w in found]


def _mode(race: Race) -> Iterator[str]:
    """Rule settings that change how the model decides, where something written is then
    ignored: rounds of single votes drop vetoes; a veto group overrides ``veto = true``."""
    rule = race.rule
    holders = [m for b in race.bodies for m in b.members if m.veto]
    if rule.votes_in_rounds and holders:
        yield (
            f'of = "votes_cast" puts the race in the rounds mode (docs/model.md, 6c): members '
            f"cast one vote per round, so the veto of {_ids(holders)} is ignored; set "
            'of = "members" if each member\'s acceptance should decide, or remove veto = true'
        )
    stages = (rule.propose, rule.confirm) if isinstance(rule, TwoStage) else (rule,)
    for stage in stages:
        if isinstance(stage, ThresholdVeto) and stage.veto_group is not None:
            outside = [m for m in holders if stage.veto_group not in m.all_groups]
            if outside:
                yield (
                    f"veto = true on {_ids(outside)} is ignored: the rule's veto_group "
                    f"'{stage.veto_group}' decides who can block; add them to that group or "
                    "remove veto = true"
                )


def _ids(members: list[Member]) -> str:
    shown = ", ".join(m.id for m in members[:5])
    return shown + (f" and {len(members) - 5} more" if len(members) > 5 else "")


def _outside_membership(race: Race) -> Iterator[str]:
    """Stances and roll-call votes dated when their member was not seated."""
    members = {m.id: m for b in race.bodies for m in b.members}
    for e in race.evidence:
        named: list[str] = []
        if isinstance(e, StanceEvidence):
            named = [e.member]
        elif isinstance(e, BallotEvidence):
            named = list(e.votes)
        for mid in named:
            m = members.get(mid)
            if m is not None and not m.active_on(e.date):
                yield (
                    f"{e.date}, {e.kind} {e.id}: member {mid} is not seated that day "
                    f"({_seat(m)}), so the model never reads it; fix the date or the "
                    "member's joined/left"
                )


def _empty_groups(race: Race) -> Iterator[str]:
    """Counts and polls about a group that has no member seated on their date."""
    for e in race.evidence:
        group = getattr(e, "group", None)
        if group is None or isinstance(e, StanceEvidence):
            continue
        if not any(
            group in m.groups_on(e.date) for b in race.bodies for m in b.active_members(e.date)
        ):
            yield (
                f"{e.date}, {e.kind} {e.id}: no member seated that day is in group '{group}', "
                "so the model reads nothing from it; fix the date or the members' groups"
            )


def _seat(m: Member) -> str:
    parts = [f"joined {m.joined}" if m.joined else "", f"left {m.left}" if m.left else ""]
    return ", ".join(p for p in parts if p)


def _never_named(race: Race) -> Iterator[str]:
    """Candidates no evidence names: no forecast ever includes them."""
    named: set[str] = set()
    for e in race.evidence:
        named.update(candidates_named(e))
    for c in race.candidates:
        if c.id not in named:
            yield (
                f"candidate {c.id} is never named in the evidence, so no forecast includes "
                "them; add a candidacy row (e.g. status 'mentioned') or remove the candidate"
            )


def _format(race: Race) -> Iterator[str]:
    """Format 2 features in a file that does not declare ``format = 2``."""
    if race.format >= 2:
        return
    used: list[str] = []
    if any(m.group_spells for b in race.bodies for m in b.members):
        used.append("group_spells")
    for e in race.evidence:
        if isinstance(e, CandidacyEvidence) and e.reason is not None:
            used.append(f"status '{e.reason}'")
        elif isinstance(e, StanceEvidence) and e.group is not None:
            used.append("group stances")
        elif isinstance(e, MeetingEvidence | ProposalEvidence):
            used.append(f"kind '{e.kind}'")
        elif isinstance(e, BallotEvidence) and any(
            float(n) != int(n) for n in (*e.tallies.values(), e.other, e.abstain, e.absent)
        ):
            used.append("fractional tallies")
    if used:
        what = ", ".join(dict.fromkeys(used))
        yield f"uses {what} from format 2; add format = 2 at the top of race.toml"


def _proposals(race: Race) -> Iterator[str]:
    if isinstance(race.rule, TwoStage):
        return
    for e in race.evidence:
        if isinstance(e, ProposalEvidence):
            yield (
                f"{e.date}, proposal {e.id}: the rule ({race.rule.name}) has one stage, so the "
                "proposal only records backing; use a two-stage rule or a stance row"
            )
