"""The names the news gives a member that is a state, beyond those its race file lists.

A race file written in a hurry names its states and nothing else ("Turkey", "Netherlands"),
while the news says "Ankara", "the Dutch government", "Türkiye", "the UK". Where a body's
members are UN member states given by name alone, the extractor also knows each by the
names, demonyms, capitals and long forms of ``data/presets/un-member-states.toml``: the
same list the body presets copy into race files. The race file's own names always come
first (the gazetteer adds these only where a surface is still free), and no name is added
that the race gives to anyone else.
"""

from __future__ import annotations

from collections import defaultdict

from kingmaker.extract.gazetteer import fold
from kingmaker.records import Race

MIN_STATES = 2
"""A race gets the list's names only when at least this many of its members are states:
one member that happens to be called like a state (a person, a party) is no body of states."""


def state_names(race: Race) -> dict[str, tuple[str, ...]]:
    """Member id -> the UN list's names of the state it is, for races whose members are states.

    Only members given by name alone are filled in: a member is a state when its name is,
    letter for letter, a state's name or alias in the list. A member the race file gives
    aliases keeps exactly those, its author having chosen them (a capital left out may be
    the seat of the organisation: NATO's file leaves out Brussels). A state seated in two
    bodies gets them once, for the member of the last body (as the gazetteer resolves the
    race's own names). Names the race uses for another member, a candidate or a leader are
    left out.
    """
    from kingmaker.races.presets import states

    names_of = {iso: (s["name"], *s.get("aliases", ())) for iso, s in states().items()}
    by_surface = {name: iso for iso, names in names_of.items() for name in names}
    found: dict[str, str] = {}
    for body in race.bodies:
        for m in body.members:
            if m.aliases or m.name not in by_surface:
                continue  # names chosen by the race's author are kept as they are
            found.setdefault(m.id, by_surface[m.name])
    if len(set(found.values())) < MIN_STATES:
        return {}
    taken: defaultdict[str, set[str]] = defaultdict(set)  # folded surface -> who uses it
    for body in race.bodies:
        for m in body.members:
            for n in (m.name, *m.aliases):
                taken[fold(n)].add(f"member:{m.id}")
            for ld in m.leaders:
                for n in (ld.name, *ld.aliases, ld.name.split()[-1]):
                    taken[fold(n)].add("person")
    for c in race.candidates:
        for n in (c.name, *c.aliases, c.name.split()[-1]):
            taken[fold(n)].add("person")
    # a state seated in two bodies: the last body's member, as the gazetteer resolves the
    # race's own names
    owner = {n: mid for mid, iso in found.items() for n in names_of[iso]}
    seats: defaultdict[str, set[str]] = defaultdict(set)  # state -> its members, as in `taken`
    for mid, iso in found.items():
        seats[iso].add(f"member:{mid}")
    out: defaultdict[str, list[str]] = defaultdict(list)
    for n, mid in owner.items():
        if taken.get(fold(n), set()) <= seats[found[mid]]:
            out[mid].append(n)
    return {mid: tuple(sorted(names)) for mid, names in out.items()}
