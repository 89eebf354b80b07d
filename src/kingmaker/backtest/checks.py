"""Checks a race must pass before it is backtested: a resolution, and tallies that add up."""

from __future__ import annotations

from kingmaker.errors import BacktestError
from kingmaker.races.lint import race_warnings
from kingmaker.records import BallotEvidence, CountEvidence, PollEvidence, Race


def check_backtestable(race: Race) -> list[str]:
    """Raise BacktestError for what makes a backtest meaningless; return warnings.

    Errors: no resolution; a tally with more votes than the body has. Warnings: those of
    ``race_warnings`` (the race file), a ballot or poll dated after the decision (published
    later: the replay cannot use it); a withdrawn candidate who later receives votes.
    """
    if race.resolution is None:
        raise BacktestError(
            f"race {race.id} has no resolution; add [resolution] (winner, date, source) to its "
            "race.toml to backtest it"
        )
    decided = race.resolution.date
    total = {b.id: sum(m.weight for m in b.members) for b in race.bodies}
    first_body = race.bodies[0].id
    warnings = race_warnings(race)
    withdrawn: dict[str, str] = {}
    for e in sorted(race.evidence, key=lambda e: (e.date, e.id)):
        if isinstance(e, BallotEvidence | PollEvidence) and e.date > decided:
            warnings.append(
                f"race {race.id}, {e.date}, {e.kind} {e.id}: published after the decision "
                f"({decided}), so no replayed day can use it"
            )
        if isinstance(e, BallotEvidence):
            cast = sum(e.tallies.values()) + e.other + e.abstain + e.absent
            cap = total[e.body or first_body]
            if cast > cap + 1e-9:
                raise BacktestError(
                    f"race {race.id}, {e.date}, ballot {e.id}: {cast:g} votes but body "
                    f"'{e.body or first_body}' has only {cap:g}; fix the tallies"
                )
            for cid, n in e.tallies.items():
                if n > 0 and cid in withdrawn:
                    warnings.append(
                        f"race {race.id}, {e.date}, ballot {e.id}: {cid} received {n} votes "
                        f"after withdrawing on {withdrawn[cid]}"
                    )
        if isinstance(e, PollEvidence):
            cap = total[e.body or first_body]
            if e.encourage + e.discourage + e.no_opinion > cap:
                raise BacktestError(
                    f"race {race.id}, {e.date}, poll {e.id}: {e.encourage}+{e.discourage}+"
                    f"{e.no_opinion} answers but body has only {cap:g} members; fix the counts"
                )
        if isinstance(e, CountEvidence) and e.count is not None:
            cap = sum(
                m.weight
                for b in race.bodies
                for m in b.members
                if e.group is None or e.group in m.groups_on(e.date)
            )
            if e.count > cap + 1e-9:
                scope = f"group '{e.group}'" if e.group else "the race"
                raise BacktestError(
                    f"race {race.id}, {e.date}, count {e.id}: {e.count} backers but {scope} "
                    f"has only {cap:g} votes; fix the count"
                )
        if e.kind == "candidacy":
            if e.status == "withdrawn":
                withdrawn[e.candidate] = str(e.date)
            else:
                withdrawn.pop(e.candidate, None)
    return warnings
