"""Frozen domain records: post, body, members, candidates, evidence and the race itself.

These pydantic models are also the schema of the race files (``race.toml``) and the
evidence files (``evidence.jsonl``): unknown keys are rejected and every field says what
it means, so a validation error can name the field and what to do. The file format is
versioned (``FORMAT``): version 1 files load and mean what they always did.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from typing import Annotated, Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from kingmaker.errors import UnknownCandidateError, UnknownMemberError
from kingmaker.rules import RuleConfig
from kingmaker.validation import Checked

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=64,
        description="A short identifier: letters, digits, '_', '.', '-'.",
    ),
]

FORMAT = 2  # newest race file format this code reads; a file without `format` is 1

CandidacyStatus = Literal["mentioned", "interested", "declared", "withdrawn"]
# Ways out of a race (format 2); on load they become 'withdrawn' with this reason.
OutReason = Literal["eliminated", "not-proposed"]
Stance = Literal["support", "oppose", "neutral"]
Review = Literal["accepted", "pending", "rejected"]


# Unreviewed (pending) machine items at or above this confidence count in forecasts.
REVIEW_THRESHOLD = 0.5

# No electorate or tally comes near this; a larger number is a typo, and one that no
# float could hold would break every forecast that reads it.
MAX_TALLY = 10**12

# Race files nest about 5 levels deep and evidence rows 3; a JSON or TOML text deeper
# than this is no race, article or request body, and one deep enough would exhaust the
# parser's stack (RecursionError) or that of any code walking it.
MAX_DEPTH = 64


class TooDeepError(ValueError):
    """A JSON or TOML text nests arrays or objects deeper than ``MAX_DEPTH``."""

    def __init__(self) -> None:
        super().__init__(f"nested deeper than {MAX_DEPTH} levels; flatten it")


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether parsed JSON or TOML nests lists or dicts more than ``limit`` levels deep
    (walked without recursion, so any depth is safe to ask about)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list | tuple):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children)
    return False


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: str) -> dt.date:
    """A day written ``YYYY-MM-DD`` and nothing else (no time of day, no week dates).

    Raises:
        ValueError: any other text, or an impossible day.
    """
    text = value.strip()
    if not _DAY.fullmatch(text):
        raise ValueError(f"'{value}' is not a date as YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def load_json(text: str | bytes) -> Any:
    """``json.loads`` that refuses nesting deeper than ``MAX_DEPTH``.

    Raises:
        json.JSONDecodeError: the text is not JSON.
        TooDeepError: it nests too deep (never a RecursionError).
    """
    return _shallow(json.loads, text)


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads`` that refuses nesting deeper than ``MAX_DEPTH``.

    Raises:
        tomllib.TOMLDecodeError: the text is not TOML.
        TooDeepError: it nests too deep (never a RecursionError).
    """
    value: dict[str, Any] = _shallow(tomllib.loads, text)
    return value


def _shallow(parse: Any, text: Any) -> Any:
    """What ``parse`` reads from ``text``, refused when it nests too deep: the parsers
    recurse, so a deep enough text stops them with a RecursionError."""
    try:
        value = parse(text)
    except RecursionError:
        raise TooDeepError() from None
    if too_deep(value):
        raise TooDeepError()
    return value


class Record(Checked):
    """Base of every record: immutable, strict about unknown keys, numbers finite; built
    with bad values it raises ``InvalidRecordError`` (a ``ValidationError`` and a
    ``RaceFileError``)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class Leader(Record):
    """A person who speaks for a member during a period (head of government, minister)."""

    name: str = Field(min_length=1, description="Full name, e.g. 'Viktor Orbán'.")
    role: str = Field(default="", description="Office held, e.g. 'Prime Minister'.")
    aliases: tuple[str, ...] = Field(default=(), description="Other spellings or short names.")
    start: dt.date = Field(description="First day in office.")
    end: dt.date | None = Field(default=None, description="Last day in office; empty if serving.")

    def serving_on(self, day: dt.date) -> bool:
        """Whether this person held the office on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


class GroupSpell(Record):
    """A member's time in a group that it joined or left during the race (format 2)."""

    group: str = Field(min_length=1, description="Group name, e.g. 'EPP' or 'EU'.")
    start: dt.date | None = Field(
        default=None, description="First day in the group; empty: always."
    )
    end: dt.date | None = Field(default=None, description="Last day in the group; empty: still in.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> GroupSpell:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"group '{self.group}': 'end' ({self.end}) is before 'start'")
        return self

    def active_on(self, day: dt.date) -> bool:
        """Whether the member is in the group on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Member(Record):
    """One member of a deciding body: a state, a cardinal, a representative."""

    id: Id = Field(description="Unique id across the race, e.g. ISO code 'HUN'.")
    name: str = Field(min_length=1, description="Short English name, e.g. 'Hungary'.")
    aliases: tuple[str, ...] = Field(
        default=(), description="Demonyms, capitals used as metonyms ('Ankara'), abbreviations."
    )
    weight: float = Field(default=1.0, gt=0, description="Votes or weight in the body (> 0).")
    veto: bool = Field(default=False, description="Whether this member alone can block.")
    groups: tuple[str, ...] = Field(
        default=(), description="Groups held throughout the race, e.g. 'P5', 'EU', 'Nordic'."
    )
    group_spells: tuple[GroupSpell, ...] = Field(
        default=(),
        description="Groups joined or left during the race, with dates (format 2), e.g. a "
        "deputy who changes party.",
    )
    joined: dt.date | None = Field(
        default=None, description="First day as a member; empty: always."
    )
    left: dt.date | None = Field(
        default=None, description="Last day as a member; empty: still one."
    )
    leaders: tuple[Leader, ...] = Field(default=(), description="Who spoke for it, with dates.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Member:
        if self.joined and self.left and self.left < self.joined:
            raise ValueError(f"member {self.id}: 'left' ({self.left}) is before 'joined'")
        return self

    def active_on(self, day: dt.date) -> bool:
        """Whether the member belongs to the body on ``day``."""
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day <= self.left
        )

    def groups_on(self, day: dt.date) -> tuple[str, ...]:
        """Groups the member is in on ``day``: the lasting ones, then dated spells."""
        dated = (s.group for s in self.group_spells if s.active_on(day))
        return tuple(dict.fromkeys((*self.groups, *dated)))

    @property
    def all_groups(self) -> tuple[str, ...]:
        """Every group the member is ever in during the race."""
        return tuple(dict.fromkeys((*self.groups, *(s.group for s in self.group_spells))))


class Body(Record):
    """A deciding body: its members and their weights, veto powers and groups."""

    id: Id = Field(description="Body id referenced by the rule, e.g. 'nac'.")
    name: str = Field(min_length=1, description="Full name, e.g. 'North Atlantic Council'.")
    members: tuple[Member, ...] = Field(min_length=1, description="Every member ever seated.")

    def active_members(self, day: dt.date) -> tuple[Member, ...]:
        """Members seated on ``day``, in file order."""
        return tuple(m for m in self.members if m.active_on(day))


class Post(Record):
    """The office that falls vacant."""

    name: str = Field(min_length=1, description="Official title.")
    aliases: tuple[str, ...] = Field(default=(), description="How the news names it.")
    incumbent: str | None = Field(default=None, description="Holder when the race opened.")
    incumbent_aliases: tuple[str, ...] = Field(
        default=(),
        description="Other spellings of the incumbent's name in the news (format 2), e.g. "
        "transliterations: 'Nabil al-Arabi' beside 'Nabil Elaraby'.",
    )
    vacancy_date: dt.date | None = Field(default=None, description="Day the seat falls vacant.")
    on_deadlock: str = Field(
        default="incumbent extended or acting head",
        description="What happens when the body cannot agree by the vacancy date.",
    )
    duties: tuple[str, ...] = Field(default=(), description="What the holder does, as facts.")
    sources: tuple[str, ...] = Field(default=(), description="URLs or files for the facts above.")

    @model_validator(mode="after")
    def _no_blank_incumbent_alias(self) -> Post:
        if any(not a.strip() for a in self.incumbent_aliases):
            raise ValueError("'incumbent_aliases' holds a blank name; remove it or spell it out")
        return self


class Candidate(Record):
    """A person who may be chosen; their status over time comes from candidacy evidence."""

    id: Id = Field(description="Candidate id used by evidence rows, e.g. 'rutte'.")
    name: str = Field(min_length=1, description="Full name, e.g. 'Mark Rutte'.")
    aliases: tuple[str, ...] = Field(default=(), description="Surnames, misspellings, nicknames.")
    home: str | None = Field(default=None, description="Member id of the candidate's home member.")
    groups: tuple[str, ...] = Field(
        default=(),
        description="Member groups the candidate belongs with (a party, a region): members "
        "of the same groups lean toward them.",
    )
    attributes: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Free facts: role, party, gender, region..."
    )


class Resolution(Record):
    """How the race ended, once known."""

    winner: str | None = Field(
        default=None, description="Candidate id chosen; leave it out for a deadlock."
    )
    date: dt.date = Field(description="Day of the decision.")
    source: str = Field(min_length=1, description="URL or file that reports the decision.")

    @model_validator(mode="before")
    @classmethod
    def _empty_is_deadlock(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("winner") == "":
            return {**data, "winner": None}
        return data


class Source(Record):
    """Where an evidence item comes from."""

    url: str | None = Field(default=None, description="Web address of the article or record.")
    file: str | None = Field(default=None, description="Local file, when there is no URL.")
    title: str | None = Field(default=None, description="Headline or document title.")
    publisher: str | None = Field(default=None, description="Outlet or institution.")
    content_hash: str | None = Field(default=None, description="sha256 of the article text.")

    @model_validator(mode="after")
    def _has_location(self) -> Source:
        if not (self.url or self.file):
            raise ValueError("source needs a 'url' or a 'file'")
        return self

    @property
    def label(self) -> str:
        """The URL, or the file when there is no URL."""
        return self.url or self.file or ""


class EvidenceBase(Record):
    """Fields every evidence item carries: when, where from, what produced it, how sure."""

    id: Id = Field(description="Unique id within the race, e.g. 'e012'.")
    date: dt.date = Field(description="Day the fact became public (YYYY-MM-DD).")
    source: Source = Field(description="Where it was published.")
    quote: str | None = Field(default=None, description="The sentence that states it, verbatim.")
    span: tuple[int, int] | None = Field(
        default=None, description="Character offsets of the quote in the article text."
    )
    producer: str = Field(
        min_length=1,
        description="Who or what made the item: 'curated:<name>' or '<extractor>@<version>'.",
    )
    confidence: float = Field(default=1.0, ge=0, le=1, description="Reliability, 0 to 1.")
    review: Review = Field(default="accepted", description="accepted, pending or rejected.")
    note: str | None = Field(default=None, description="What the source says, in our own words.")
    derived_from: str | None = Field(
        default=None,
        description="Set by the loader on items it derived from another row (a group stance, "
        "a proposal): that row's id. Empty for rows written as they are.",
    )

    @model_validator(mode="after")
    def _span_ordered(self) -> EvidenceBase:
        if self.span is not None and not (0 <= self.span[0] <= self.span[1]):
            raise ValueError(f"span {list(self.span)} must be [start, end] with 0 <= start <= end")
        return self

    def describe(self, race: Race | None = None) -> str:
        """A short line saying what the item states: whom it is about and its numbers,
        with names where the race is given (the source is shown beside it)."""
        raise NotImplementedError(f"{type(self).__name__} does not describe itself")

    @property
    def cited_ids(self) -> Cited:
        """The member and candidate ids the item names."""
        return Cited()


class Cited(NamedTuple):
    """Ids an evidence item names: members, then candidates (each once, in order)."""

    members: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()


def _candidate(race: Race | None, cid: str) -> str:
    try:
        return race.candidate(cid).name if race else cid
    except KeyError:  # an item shown against another race
        return cid


def _member(race: Race | None, mid: str) -> str:
    try:
        return race.member(mid).name if race else mid
    except KeyError:
        return mid


def _body(race: Race | None, body_id: str | None) -> str:
    if race is None or not race.bodies:
        return body_id or "the body"
    body = next((b for b in race.bodies if b.id == body_id), race.bodies[0])
    return body.name


def _votes(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,.3g}"


class CandidacyEvidence(EvidenceBase):
    """A candidate's status changes: mentioned, interested, declared or withdrawn.

    Format 2 adds two ways out, written as the status: 'eliminated' (dropped after a round)
    and 'not-proposed' (passed over by a proposing body). Both are read as 'withdrawn' (out
    of the race from that day) with the way out kept in ``reason``.
    """

    kind: Literal["candidacy"] = Field(description="Evidence kind.")
    candidate: Id = Field(description="Candidate id.")
    status: CandidacyStatus = Field(
        description="mentioned, interested, declared or withdrawn; in a file also "
        "'eliminated' or 'not-proposed' (read as withdrawn, with that reason)."
    )
    reason: OutReason | None = Field(
        default=None,
        description="How a withdrawn candidate left: 'eliminated' (in a round) or "
        "'not-proposed'; empty: withdrew.",
    )
    round: int | None = Field(default=None, ge=1, description="Round of an elimination.")

    @model_validator(mode="before")
    @classmethod
    def _way_out_is_withdrawal(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("status") in ("eliminated", "not-proposed"):
            return {**data, "status": "withdrawn", "reason": data["status"]}
        return data

    @model_validator(mode="after")
    def _reason_only_when_out(self) -> CandidacyEvidence:
        if self.reason is not None and self.status != "withdrawn":
            raise ValueError(f"candidacy {self.id}: 'reason' is only for a withdrawn candidate")
        return self

    def describe(self, race: Race | None = None) -> str:
        return f"{_candidate(race, self.candidate)}: {self.reason or self.status}" + (
            f" in round {self.round}" if self.round else ""
        )

    @property
    def cited_ids(self) -> Cited:
        return Cited(candidates=(self.candidate,))


class StanceEvidence(EvidenceBase):
    """A member's stance toward a candidate; ``lifted`` marks a dropped objection."""

    kind: Literal["stance"] = Field(description="Evidence kind.")
    member: Id = Field(description="Member id.")
    candidate: Id = Field(description="Candidate id.")
    stance: Stance = Field(description="support, oppose or neutral.")
    lifted: bool = Field(default=False, description="True where an earlier objection was dropped.")
    group: str | None = Field(
        default=None,
        description="Set on rows expanded from one group row ('EU members back X', format 2): "
        "the group the statement was about.",
    )

    def describe(self, race: Race | None = None) -> str:
        verb = (
            "lifts its objection to"
            if self.lifted
            else {"support": "backs", "oppose": "opposes", "neutral": "is undecided on"}[
                self.stance
            ]
        )
        return f"{_member(race, self.member)} {verb} {_candidate(race, self.candidate)}"

    @property
    def cited_ids(self) -> Cited:
        return Cited((self.member,), (self.candidate,))


class CountEvidence(EvidenceBase):
    """An anonymous count: 'count of of_ members back the candidate'."""

    kind: Literal["count"] = Field(description="Evidence kind.")
    candidate: Id = Field(description="Candidate id.")
    count: int | None = Field(
        default=None, ge=0, le=MAX_TALLY, description="Members said to back; may be empty."
    )
    of: int | None = Field(default=None, gt=0, le=MAX_TALLY, description="Out of how many members.")
    fraction: float | None = Field(
        default=None, ge=0, le=1, description="Share said to back, where no count is given."
    )
    qualifier: str | None = Field(default=None, description="'at least', 'about', 'nearly'...")
    group: str | None = Field(
        default=None,
        description="Count only among the members of this group (e.g. a party conference).",
    )

    @model_validator(mode="after")
    def _count_or_fraction(self) -> CountEvidence:
        if self.count is None and self.fraction is None:
            raise ValueError("a count needs 'count' or 'fraction'")
        if self.count is not None and self.of is not None and self.count > self.of:
            raise ValueError(f"count {self.count} is more than 'of' {self.of}")
        return self

    def describe(self, race: Race | None = None) -> str:
        n = f"{self.count}" if self.count is not None else f"{self.fraction:.0%}"
        of = f" of {self.of}" if self.of else ""
        q = f"{self.qualifier} " if self.qualifier else ""
        among = f" ({self.group})" if self.group else ""
        return f"{q}{n}{of} members{among} back {_candidate(race, self.candidate)}"

    @property
    def cited_ids(self) -> Cited:
        return Cited(candidates=(self.candidate,))


class VacancyEvidence(EvidenceBase):
    """The seat will fall vacant: who holds it and when they leave."""

    kind: Literal["vacancy"] = Field(description="Evidence kind.")
    incumbent: str = Field(min_length=1, description="Name of the outgoing holder.")
    ends: dt.date | None = Field(default=None, description="Last day in office, if stated.")

    def describe(self, race: Race | None = None) -> str:
        return f"{self.incumbent} leaves" + (f" on {self.ends}" if self.ends else "")


class AppointmentEvidence(EvidenceBase):
    """The body has chosen: the race is decided."""

    kind: Literal["appointment"] = Field(description="Evidence kind.")
    candidate: Id = Field(description="Candidate id of the person appointed.")
    takes_office: dt.date | None = Field(default=None, description="First day in office.")

    def describe(self, race: Race | None = None) -> str:
        return f"{_candidate(race, self.candidate)} appointed"

    @property
    def cited_ids(self) -> Cited:
        return Cited(candidates=(self.candidate,))


class BallotEvidence(EvidenceBase):
    """A formal ballot: vote totals, and where known who voted for whom (a roll call)."""

    kind: Literal["ballot"] = Field(description="Evidence kind.")
    round: int = Field(ge=1, description="Ballot number within the race (1, 2, ...).")
    body: Id | None = Field(default=None, description="Body that voted; empty: the first body.")
    tallies: dict[Id, int | float] = Field(
        min_length=1,
        description="Votes per candidate id; weighted votes where members weigh, which may "
        "be fractions (format 2), e.g. population-weighted shares.",
    )
    other: int | float = Field(
        default=0, ge=0, le=MAX_TALLY, description="Votes for people not in the file."
    )
    abstain: int | float = Field(
        default=0, ge=0, le=MAX_TALLY, description="Present, blank or abstaining."
    )
    absent: int | float = Field(default=0, ge=0, le=MAX_TALLY, description="Members not voting.")
    votes: dict[Id, Id | None] = Field(
        default_factory=dict,
        description="Roll call: member id -> candidate id voted for (null: other or none).",
    )
    decisive: bool = Field(default=False, description="True if this ballot chose the winner.")

    @model_validator(mode="after")
    def _non_negative(self) -> BallotEvidence:
        bad = {c: n for c, n in self.tallies.items() if n < 0}
        if bad:
            raise ValueError(f"ballot {self.id}: negative votes {bad}")
        huge = {c: n for c, n in self.tallies.items() if n > MAX_TALLY}
        if huge:
            raise ValueError(f"ballot {self.id}: votes above {MAX_TALLY:,} {huge}")
        return self

    def describe(self, race: Race | None = None) -> str:
        ranked = sorted(self.tallies.items(), key=lambda kv: (-kv[1], kv[0]))
        counts = [f"{_candidate(race, c)} {_votes(n)}" for c, n in ranked]
        counts += [
            f"{label} {_votes(n)}"
            for label, n in (
                ("other", self.other),
                ("abstain", self.abstain),
                ("absent", self.absent),
            )
            if n
        ]
        roll = f"; roll call of {len(self.votes)} members" if self.votes else ""
        won = " (decisive)" if self.decisive else ""
        return f"ballot {self.round} of {_body(race, self.body)}{won}: {', '.join(counts)}{roll}"

    @property
    def cited_ids(self) -> Cited:
        voted = (c for c in self.votes.values() if c is not None)
        return Cited(tuple(self.votes), tuple(dict.fromkeys([*self.tallies, *voted])))


class PollEvidence(EvidenceBase):
    """A straw poll on one candidate: encourage / discourage / no opinion counts."""

    kind: Literal["poll"] = Field(description="Evidence kind.")
    round: int = Field(ge=1, description="Poll number within the race.")
    body: Id | None = Field(default=None, description="Body polled; empty: the first body.")
    candidate: Id = Field(description="Candidate id.")
    encourage: int = Field(ge=0, le=MAX_TALLY, description="Members encouraging the candidate.")
    discourage: int = Field(ge=0, le=MAX_TALLY, description="Members discouraging the candidate.")
    no_opinion: int = Field(
        default=0, ge=0, le=MAX_TALLY, description="Members expressing no opinion."
    )
    group: str | None = Field(
        default=None, description="Group with separate counts (e.g. 'P5' in colour-coded polls)."
    )
    group_discourage: int | None = Field(
        default=None,
        ge=0,
        le=MAX_TALLY,
        description="Members of that group discouraging the candidate.",
    )

    def describe(self, race: Race | None = None) -> str:
        group = (
            f" ({self.group_discourage} of {self.group} discourage)"
            if self.group and self.group_discourage is not None
            else ""
        )
        return (
            f"straw poll {self.round} of {_body(race, self.body)} on "
            f"{_candidate(race, self.candidate)}: {self.encourage} encourage, "
            f"{self.discourage} discourage, {self.no_opinion} no opinion{group}"
        )

    @property
    def cited_ids(self) -> Cited:
        return Cited(candidates=(self.candidate,))


MeetingOutcome = Literal["no-decision", "postponed"]


class MeetingEvidence(EvidenceBase):
    """A meeting or vote that ended without a choice (format 2): a failed summit, a
    postponement, a new deadline. Stored and shown; the model does not use it yet."""

    kind: Literal["meeting"] = Field(description="Evidence kind.")
    outcome: MeetingOutcome = Field(
        description="'no-decision' (met and did not agree) or 'postponed' (put off)."
    )
    body: Id | None = Field(default=None, description="Body that met; empty: the first body.")
    next: dt.date | None = Field(
        default=None, description="The new date or deadline, if one was set."
    )

    def describe(self, race: Race | None = None) -> str:
        what = "met without a decision" if self.outcome == "no-decision" else "postponed"
        return f"{_body(race, self.body)} {what}" + (f"; next {self.next}" if self.next else "")


class ProposalEvidence(EvidenceBase):
    """The proposing body of a two-stage rule has made its proposal (format 2): the first
    stage is over and the confirming body alone decides. On load, every other candidate
    named so far becomes 'not-proposed' and each seated member of the proposing body not
    listed in ``against`` is recorded as backing the proposed candidate."""

    kind: Literal["proposal"] = Field(description="Evidence kind.")
    candidate: Id = Field(description="Candidate id of the person proposed.")
    body: Id | None = Field(
        default=None, description="Proposing body; empty: the rule's proposing body."
    )
    against: tuple[Id, ...] = Field(
        default=(), description="Members of the proposing body who voted against or abstained."
    )

    def describe(self, race: Race | None = None) -> str:
        who = _body(race, self.body) if self.body else "the proposing body"
        against = ", ".join(_member(race, m) for m in self.against)
        return f"{who} proposes {_candidate(race, self.candidate)}" + (
            f" ({len(self.against)} against or abstaining: {against})" if self.against else ""
        )

    @property
    def cited_ids(self) -> Cited:
        return Cited(self.against, (self.candidate,))


Evidence = Annotated[
    CandidacyEvidence
    | StanceEvidence
    | CountEvidence
    | VacancyEvidence
    | AppointmentEvidence
    | BallotEvidence
    | PollEvidence
    | MeetingEvidence
    | ProposalEvidence,
    Field(discriminator="kind"),
]


class Article(Record):
    """One news article as ingested: normalised text, its date and where it came from."""

    id: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the normalised text (hex).")
    text: str = Field(min_length=1, description="Normalised text (Unicode NFC, tidy whitespace).")
    date: dt.date | None = Field(default=None, description="Publication day, if known.")
    date_basis: str = Field(default="", description="Where the date came from.")
    url: str | None = Field(default=None, description="Web address, if any.")
    file: str | None = Field(default=None, description="Local file it was read from, if any.")
    title: str | None = Field(default=None, description="Headline, if any.")
    publisher: str | None = Field(default=None, description="Outlet, if known.")
    duplicate_of: str | None = Field(
        default=None, description="Id of an earlier article this is a near-copy of."
    )

    @property
    def source(self) -> Source:
        """The article as an evidence source."""
        return Source(
            url=self.url,
            file=None if self.url else (self.file or f"article:{self.id[:12]}"),
            title=self.title,
            publisher=self.publisher,
            content_hash=self.id,
        )


class Race(Record):
    """A post, its deciding bodies and rule, the candidates, the evidence and the resolution."""

    id: Id = Field(description="Race id used on the command line, e.g. 'nato-sg-2024'.")
    format: int = Field(
        default=1,
        ge=1,
        le=FORMAT,
        description=f"Race file format version, 1 to {FORMAT}; absent means 1.",
    )
    name: str = Field(min_length=1, description="Human title.")
    description: str = Field(default="", description="One paragraph on what is decided.")
    opened: dt.date = Field(description="First day the race is tracked.")
    post: Post = Field(description="The office.")
    bodies: tuple[Body, ...] = Field(min_length=1, description="Deciding bodies; usually one.")
    rule: RuleConfig = Field(description="How the bodies decide.")
    candidates: tuple[Candidate, ...] = Field(min_length=1, description="Named candidates.")
    evidence: tuple[Evidence, ...] = Field(default=(), description="Dated, sourced observations.")
    resolution: Resolution | None = Field(default=None, description="The outcome, once known.")
    sources: tuple[str, ...] = Field(default=(), description="General sources for the race file.")

    @model_validator(mode="after")
    def _references_resolve(self) -> Race:
        members = [m.id for b in self.bodies for m in b.members]
        _no_duplicates("member", members)
        _no_duplicates("body", [b.id for b in self.bodies])
        cands = [c.id for c in self.candidates]
        _no_duplicates("candidate", cands)
        _no_duplicates("evidence", [e.id for e in self.evidence])
        known_m, known_c = set(members), set(cands)
        for c in self.candidates:
            if c.home is not None and c.home not in known_m:
                raise ValueError(f"candidate {c.id}: home '{c.home}' is not a member id")
        bodies = {b.id for b in self.bodies}
        groups = {g for b in self.bodies for m in b.members for g in m.all_groups}
        for e in self.evidence:
            check_evidence_refs(e, known_m, known_c)
            check_body_refs(e, bodies, groups)
        self.rule.check(self.bodies)
        if self.resolution and self.resolution.winner and self.resolution.winner not in known_c:
            raise ValueError(f"resolution winner '{self.resolution.winner}' is not a candidate id")
        return self

    def member(self, member_id: str) -> Member:
        """The member with this id (``UnknownMemberError``, a ``KeyError``, if unknown)."""
        for b in self.bodies:
            for m in b.members:
                if m.id == member_id:
                    return m
        raise UnknownMemberError(
            f"no member '{member_id}' in race {self.id}; see its bodies' members", param="member"
        )

    def candidate(self, candidate_id: str) -> Candidate:
        """The candidate with this id (``UnknownCandidateError``, a ``KeyError``, if unknown)."""
        for c in self.candidates:
            if c.id == candidate_id:
                return c
        raise UnknownCandidateError(
            f"no candidate '{candidate_id}' in race {self.id}; see its candidates",
            param="candidate",
        )

    def usable(self, threshold: float = REVIEW_THRESHOLD) -> Race:
        """The race with only the evidence forecasts use (see ``counts``). Its items are
        some of this race's, checked already, so the race is not validated again."""
        keep = tuple(e for e in self.evidence if counts(e, threshold))
        return (
            self if len(keep) == len(self.evidence) else self.model_copy(update={"evidence": keep})
        )

    def evidence_until(self, day: dt.date) -> tuple[Any, ...]:
        """Evidence dated on or before ``day``, oldest first, rejected items left out."""
        kept = [e for e in self.evidence if e.date <= day and e.review != "rejected"]
        return tuple(sorted(kept, key=lambda e: (e.date, e.id)))

    def with_evidence(self, evidence: tuple[Any, ...]) -> Race:
        """A copy of this race with ``evidence`` in place of its own (validated)."""
        data = self.model_dump()
        data["evidence"] = [e.model_dump() for e in evidence]
        return Race.model_validate(data)


def counts(e: EvidenceBase, threshold: float = REVIEW_THRESHOLD) -> bool:
    """The evidence rule: an item counts in forecasts when a person accepted it, or when
    nobody reviewed it yet (pending) and its confidence reaches ``threshold``."""
    return e.review == "accepted" or (e.review == "pending" and e.confidence >= threshold)


def check_evidence_refs(e: Any, members: set[str], candidates: set[str]) -> None:
    """Raise ValueError naming the field when an evidence item cites an unknown id."""
    if isinstance(e, BallotEvidence):
        for cid in e.tallies:
            if cid not in candidates:
                raise ValueError(f"evidence {e.id}: tallies name '{cid}', not a candidate id")
        for mid, choice in e.votes.items():
            if mid not in members:
                raise ValueError(f"evidence {e.id}: votes name member '{mid}', not in any body")
            if choice is not None and choice not in candidates:
                raise ValueError(f"evidence {e.id}: member {mid} voted for unknown '{choice}'")
    cand = getattr(e, "candidate", None)
    if cand is not None and cand not in candidates:
        raise ValueError(
            f"evidence {e.id}: candidate '{cand}' is not in the race; add it to [[candidates]]"
        )
    mem = getattr(e, "member", None)
    if mem is not None and mem not in members:
        raise ValueError(f"evidence {e.id}: member '{mem}' is not in any body of the race")
    for mid in getattr(e, "against", ()):
        if mid not in members:
            raise ValueError(f"evidence {e.id}: against names '{mid}', not in any body")


def candidates_named(e: EvidenceBase) -> tuple[str, ...]:
    """Candidate ids an evidence item names: its candidate, a ballot's tallies and votes."""
    return e.cited_ids.candidates


def check_body_refs(e: Any, bodies: set[str], groups: set[str]) -> None:
    """Raise ValueError when a ballot or poll names an unknown body or group."""
    body = getattr(e, "body", None)
    if body is not None and body not in bodies:
        raise ValueError(f"evidence {e.id}: body '{body}' is not a body of the race")
    group = getattr(e, "group", None)  # polls and counts
    if group is not None and group not in groups:
        raise ValueError(
            f"evidence {e.id}: group '{group}' is not in any member's groups; add it there"
        )


def _no_duplicates(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} id '{i}' appears twice")
        seen.add(i)


def quoted_date(model: type[BaseModel], data: Any, where: str = "") -> str | None:
    """Where (e.g. ``bodies[council].members[HUN].joined``) ``data`` read from TOML gives a
    date field of ``model`` as a quoted string instead of a TOML date, or None.

    The race file's dates are TOML dates (docs/race-format.md): quoted is text.
    """
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            continue
        at = f"{where}.{key}" if where else key
        kinds = _types_in(field.annotation)
        if dt.date in kinds and isinstance(value, str):
            return at
        models = [t for t in kinds if isinstance(t, type) and issubclass(t, BaseModel)]
        rows = value if isinstance(value, list) else [value]
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            label = f"{at}[{row.get('id', n)}]" if isinstance(value, list) else at
            for m in _matching(models, row):
                found = quoted_date(m, row, label)
                if found:
                    return found
    return None


def _types_in(annotation: Any) -> set[Any]:
    """The plain types inside an annotation (through unions, tuples, Annotated)."""
    args = get_args(annotation)
    if not args:
        return {annotation}
    out: set[Any] = set()
    for a in args:
        out |= _types_in(a)
    return out


def _matching(models: list[type[BaseModel]], row: dict[str, Any]) -> list[type[BaseModel]]:
    """The models of a tagged union that a row's ``kind`` selects (all when untagged)."""
    tagged = [m for m in models if "kind" in m.model_fields]
    if not tagged or "kind" not in row:
        return models
    return [m for m in tagged if row["kind"] in _types_in(m.model_fields["kind"].annotation)]


_EVIDENCE_ADAPTER: TypeAdapter[Any] | None = None


def changes_nothing(item: Any, changes: dict[str, Any]) -> bool:
    """Whether an edit's ``changes`` leave every field of evidence ``item`` as it is
    (``{"stance": "support"}`` on a supporting stance): a correction that would store an
    identical copy. Changes that are not valid are not 'nothing': the edit says why; nor
    is an edit of a rejected item, whose accepted copy would count where it did not."""
    if item.review == "rejected":
        return False
    global _EVIDENCE_ADAPTER
    if _EVIDENCE_ADAPTER is None:
        _EVIDENCE_ADAPTER = TypeAdapter(Evidence)
    before = item.model_dump(mode="json")
    try:
        after = _EVIDENCE_ADAPTER.validate_python({**before, **changes}).model_dump(mode="json")
    except (ValidationError, ValueError, TypeError):
        return False
    return bool(after == before)
