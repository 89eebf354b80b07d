"""The race gazetteer: every name the extractor can recognise, built from a Race alone.

Members (names, demonyms, capitals), people (candidates and members' leaders, merged by
name, with their offices and dates), the post, the incumbent, members' groups ("the
Baltic states") and candidates' nationalities (a candidate's `nationality` attribute,
"Ghanaian", for a council the country does not sit on; "the Dutchman" for the Dutch).
Nothing here is specific to one race: all names come from the race file, and only generic
English words (role titles, group nouns, nouns for a person of a nationality) are built in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from kingmaker.records import Member, Race

SEAT = "seat"
RefKind = Literal["member", "person", "post", "incumbent", "group", "nationality"]
GROUP_NOUNS = ("states", "countries", "nations", "members", "allies", "governments")
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "pm": ("prime minister", "pm", "premier", "chancellor", "head of government"),
    "president": ("president", "head of state"),
    "foreign": (
        "foreign minister",
        "foreign secretary",
        "minister of foreign affairs",
        "foreign affairs minister",
        "secretary of state",
    ),
}


def fold(text: str) -> str:
    """Lower case without accents: ``'Kariņš'`` -> ``'karins'``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def role_key(role: str) -> str:
    """The generic office of a leader's role title: ``pm``, ``president``, ``foreign``."""
    r = fold(role)
    if "foreign" in r or "secretary of state" in r:
        return "foreign"
    if "prime minister" in r or "chancellor" in r or "premier" in r:
        return "pm"
    if "president" in r:
        return "president"
    return r.strip()


@dataclass(frozen=True, slots=True)
class Office:
    """A person speaking for a member during a period."""

    member: str
    role: str
    start: dt.date
    end: dt.date | None

    def serving_on(self, day: dt.date) -> bool:
        """Whether the office was held on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    """A named person: a candidate, a member's leader, or both."""

    key: str
    name: str
    candidate: str | None
    gender: str | None
    offices: tuple[Office, ...]

    @property
    def seated(self) -> bool:
        """Whether the person holds a seat in the body themself (a committee member)."""
        return any(o.role == SEAT for o in self.offices)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a surface form refers to: ``member`` HUN, ``person`` <key>, ``group`` Baltic..."""

    kind: RefKind
    key: str


@dataclass
class Gazetteer:
    """All recognisable names of one race, and the lookups the rules need."""

    race_id: str
    surfaces: dict[str, Ref] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    member_names: dict[str, str] = field(default_factory=dict)
    member_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    member_dates: dict[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    candidate_names: dict[str, str] = field(default_factory=dict)
    candidate_homes: dict[str, str | None] = field(default_factory=dict)
    incumbent: str | None = None
    vacancy_date: dt.date | None = None
    fuzzy_names: dict[str, str] = field(default_factory=dict)
    window: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max)
    _fuzzy: tuple[tuple[str, str], ...] = ()

    def fingerprint(self) -> str:
        """A short hash of everything the pipeline is built from (cache key)."""
        blob = json.dumps(
            {
                "s": sorted((k, v.kind, v.key) for k, v in self.surfaces.items()),
                "f": sorted(self.fuzzy_names.items()),
            },
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def members_for(
        self, person: Person, day: dt.date | None, role: str | None = None
    ) -> tuple[str, ...]:
        """Members ``person`` speaks for on ``day`` (any day in the race when unknown)."""
        out: list[str] = []
        for o in person.offices:
            if role is not None and role_key(o.role) != role:
                continue
            if day is None:
                lo, hi = self.window
                ok = o.start <= hi and (o.end is None or o.end >= lo)
            else:
                ok = o.serving_on(day)
            if ok and o.member not in out:
                out.append(o.member)
        return tuple(out)

    def holder_of(
        self, member: str, role: str, day: dt.date | None, *, former: bool
    ) -> Person | None:
        """Who held ``role`` for ``member`` on ``day`` (or before it, when ``former``)."""
        best: tuple[int, dt.date, Person] | None = None
        for p in self.people.values():
            for o in p.offices:
                if o.member != member or role_key(o.role) != role:
                    continue
                if former:
                    ok = day is None or (o.end is not None and o.end <= day)
                else:
                    ok = day is None or o.serving_on(day)
                if not ok:
                    continue
                rank = (1 if p.candidate else 0, o.start, p)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        return best[2] if best else None

    def group_members(self, group: str, day: dt.date | None) -> tuple[str, ...]:
        """Members in ``group`` seated on ``day``."""
        out = []
        for mid, groups in self.member_groups.items():
            joined, left = self.member_dates[mid]
            seated = day is None or (
                (joined is None or joined <= day) and (left is None or day <= left)
            )
            if group in groups and seated:
                out.append(mid)
        return tuple(out)

    def fuzzy(self, word: str) -> str | None:
        """The person key a capitalised word misspells (small edit distance), if any."""
        if len(self._fuzzy) != len(self.fuzzy_names):
            self._fuzzy = tuple(sorted(self.fuzzy_names.items()))
        return _fuzzy_lookup(fold(word), self._fuzzy)


@lru_cache(maxsize=65536)
def _fuzzy_lookup(word: str, names: tuple[tuple[str, str], ...]) -> str | None:
    if len(word) < 5:
        return None
    found: str | None = None
    for name, key in names:
        if name[0] != word[0] or abs(len(name) - len(word)) > 2:
            continue
        limit = 1 if len(name) < 8 else 2
        if edit_distance(word, name, limit) <= limit:
            if found is not None and found != key:
                return None
            found = key
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it must exceed ``limit``."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@dataclass
class _Draft:
    name: str
    candidate: str | None = None
    gender: str | None = None
    offices: list[Office] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


_PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "le",
        "la",
        "al",
        "el",
        "bin",
        "ibn",
        "ter",
        "zu",
    ]
)


def _particle_surname(name: str) -> str | None:
    """The surname with its particles ('Ursula von der Leyen' -> 'von der Leyen')."""
    parts = name.split()
    for i, w in enumerate(parts[1:-1], start=1):
        if w in _PARTICLES:
            return " ".join(parts[i:])
    return None


def _short_names(m: Member) -> set[str]:
    """What the press calls a parliamentary group for short: its name without 'group'
    ('EPP group' -> 'EPP'), the part before a slash ('Greens/EFA' -> 'Greens'), the
    plural noun opening a longer name ('Socialists and Democrats' -> 'Socialists',
    'Patriots for Europe' -> 'Patriots'); only acronyms and plural nouns, never an
    adjective ('Green', 'socialist')."""
    out: set[str] = set()
    for name in (m.name, *m.aliases):
        base = re.sub(r"\s+group$", "", name, flags=re.I)
        if base != name:
            out.add(base)
        if "/" in base and " " not in base.split("/")[0]:
            out.add(base.split("/")[0])
        words = base.split()
        if len(words) >= 3 and words[1] in ("and", "for", "of") and _plural_noun(words[0]):
            out.add(words[0])
    known = (m.name, *m.aliases)
    return {x for x in out if (x.isupper() or _plural_noun(x)) and x not in known}


_SAINT = re.compile(r"\b(?:Saint|St\.?)(?= )")


def _spellings(name: str, aliases: Sequence[str]) -> set[str]:
    """The usual spellings of a name's 'Saint': 'Saint Lucia', 'St Lucia', 'St. Lucia'
    (a race file need list only one)."""
    out: set[str] = set()
    for s in (name, *aliases):
        if _SAINT.search(s):
            out.update(_SAINT.sub(w, s) for w in ("Saint", "St", "St."))
    return out - {name, *aliases}


def _plural_noun(w: str) -> bool:
    return len(w) >= 5 and w[0].isupper() and w.endswith("s") and not w.endswith("ss")


def build_gazetteer(race: Race) -> Gazetteer:
    """Collect every name of ``race`` into a Gazetteer."""
    end = race.resolution.date if race.resolution else dt.date.max
    g = Gazetteer(race_id=race.id, window=(race.opened, end))
    people: dict[str, _Draft] = {}

    def person(name: str) -> _Draft:
        return people.setdefault(fold(name), _Draft(name))

    for body in race.bodies:
        for m in body.members:
            g.member_names[m.id] = m.name
            g.member_groups[m.id] = m.groups
            g.member_dates[m.id] = (m.joined, m.left)
            for s in (m.name, *m.aliases):
                g.surfaces[s] = Ref("member", m.id)
            for s in _spellings(m.name, m.aliases):
                g.surfaces.setdefault(s, Ref("member", m.id))
            for group in m.groups:
                for noun in GROUP_NOUNS:
                    g.surfaces[f"{group} {noun}"] = Ref("group", group)
            for ld in m.leaders:
                d = person(ld.name)
                d.offices.append(Office(m.id, ld.role, ld.start, ld.end))
                d.aliases.update((ld.name, *ld.aliases))
    short = Counter(x for body in race.bodies for m in body.members for x in _short_names(m))
    for body in race.bodies:
        for m in body.members:
            for x in _short_names(m):
                if short[x] == 1:
                    g.surfaces.setdefault(x, Ref("member", m.id))
    for c in race.candidates:
        d = person(c.name)
        d.candidate = c.id
        gender = c.attributes.get("gender")
        d.gender = str(gender).lower() if gender is not None else None
        d.aliases.update((c.name, *c.aliases))
        g.candidate_names[c.id] = c.name
        g.candidate_homes[c.id] = c.home
    for body in race.bodies:
        for m in body.members:
            seat = people.get(fold(m.name))
            if seat is not None:  # a member who is a person (a committee), maybe a candidate too
                seat.offices.append(Office(m.id, SEAT, m.joined or dt.date.min, m.left))
                seat.aliases.update((m.name, *m.aliases))
    surnames = Counter(d.name.split()[-1] for d in people.values())
    for key, d in people.items():
        surname = d.name.split()[-1]
        unique = surnames[surname] == 1 and surname not in g.surfaces
        if len(surname) >= 4 and surname[0].isupper() and unique:
            d.aliases.add(surname)  # "candidates by full name and surname", even if not listed
        particle = _particle_surname(d.name)
        if particle and particle not in g.surfaces:
            d.aliases.add(particle)  # 'von der Leyen', 'de Gaulle', 'bin Salman'
        g.people[key] = Person(key, d.name, d.candidate, d.gender, tuple(d.offices))
        for s in sorted(d.aliases):
            prior = g.surfaces.get(s)
            if prior is None or prior.kind != "person" or d.candidate:
                g.surfaces[s] = Ref("person", key)
        if d.candidate:
            for s in sorted(d.aliases):
                for tok in s.split():
                    if len(tok) >= 5 and tok[0].isupper():
                        g.fuzzy_names.setdefault(fold(tok), key)
    for s in (race.post.name, *race.post.aliases):
        g.surfaces.setdefault(s, Ref("post", "post"))
    g.vacancy_date = race.post.vacancy_date
    if race.post.incumbent:
        g.incumbent = race.post.incumbent
        for name in (race.post.incumbent, *race.post.incumbent_aliases):
            for s in (name, name.split()[-1]):
                g.surfaces.setdefault(s, Ref("incumbent", race.post.incumbent))
    from kingmaker.extract.statenames import state_names  # it folds names as we do

    for mid, names in state_names(race).items():
        for s in names:  # after the race's own names: a state's other names where still free
            g.surfaces.setdefault(s, Ref("member", mid))
    for word, cid in _nationalities(race).items():
        g.surfaces.setdefault(word, Ref("nationality", cid))  # last: any other name wins
    _add_person_nouns(g)
    return g


# A compass word before a one-word member name makes another place of it: 'Latin America'
# is not the United States, 'Northern Ireland' not Ireland, 'New Mexico' not Mexico.
REGION_WORDS = frozenset(
    ("Latin", "South", "North", "Central", "East", "West", "Southeast", "Southwest",
     "Northeast", "Northwest", "Southern", "Northern", "Eastern", "Western", "New")
)  # fmt: skip

# English nouns for a person of a nationality where they are not the adjective itself
# ('the German', 'the Nigerian' are): 'the Dutchman', 'the Spaniard', 'the Dane'.
PERSON_NOUNS: dict[str, tuple[str, ...]] = {
    "Dutch": ("Dutchman", "Dutchwoman"),
    "French": ("Frenchman", "Frenchwoman"),
    "English": ("Englishman", "Englishwoman"),
    "Irish": ("Irishman", "Irishwoman"),
    "Welsh": ("Welshman", "Welshwoman"),
    "Scottish": ("Scot", "Scotsman", "Scotswoman"),
    "British": ("Briton",),
    "Spanish": ("Spaniard",),
    "Swedish": ("Swede",),
    "Danish": ("Dane",),
    "Finnish": ("Finn",),
    "Polish": ("Pole",),
    "Turkish": ("Turk",),
    "Icelandic": ("Icelander",),
    "Luxembourgish": ("Luxembourger",),
    "Croatian": ("Croat",),
    "Serbian": ("Serb",),
    "New Zealand": ("New Zealander",),
}
PERSON_NOUN_WORDS = frozenset(n for nouns in PERSON_NOUNS.values() for n in nouns)


def _add_person_nouns(g: Gazetteer) -> None:
    """'the Dutchman' for a member whose name or demonym is 'Dutch' or 'Netherlands' ...
    (its surfaces), and for a candidate whose nationality is: the noun names a person, so
    it is read like the member's demonym where a race has one candidate from there."""
    for surface, ref in list(g.surfaces.items()):
        if ref.kind in ("member", "nationality"):
            for noun in PERSON_NOUNS.get(surface, ()):
                g.surfaces.setdefault(noun, ref)


_CAPITALISED = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")  # 'Ghanaian', 'Costa Rican'


def _nationalities(race: Race) -> dict[str, str]:
    """Demonym -> the one candidate whose ``nationality`` attribute gives it ('Ghanaian',
    'Iranian-born (French, Swiss)'): "the Ghanaian" can then name Annan in a council
    Ghana does not sit on. Only words the UN states list gives a state count (not a
    source's name in a note), and a demonym two candidates share names neither."""
    known = _state_aliases()
    owners: dict[str, set[str]] = {}
    for c in race.candidates:
        nat = c.attributes.get("nationality")
        if isinstance(nat, str):
            for word in _CAPITALISED.findall(nat):
                if word in known:
                    owners.setdefault(word, set()).add(c.id)
    return {w: next(iter(ids)) for w, ids in owners.items() if len(ids) == 1}


@lru_cache(maxsize=1)
def _state_aliases() -> frozenset[str]:
    """Every alias (demonym, capital, long form) of the UN states list."""
    from kingmaker.races.presets import states

    return frozenset(a for s in states().values() for a in s.get("aliases", ()))
