"""Mentions in a sentence, resolved for the article's date.

An entity from the ruler becomes a Mention that says which members it speaks for on
that day (a member, a group of members, a leader in office) and which candidate it
names. Role phrases without a name ("the Dutch prime minister", "Romania's president")
resolve to whoever held that office for that member on the article's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kingmaker.extract.gazetteer import PERSON_NOUN_WORDS, REGION_WORDS, ROLE_WORDS, Gazetteer
from kingmaker.extract.lexicon import DEMONYM_ENDS

_ROLE_PREFIX = {
    "outgoing",
    "caretaker",
    "acting",
    "interim",
    "former",
    "current",
    "incumbent",
    "then",
    "new",
}
_ROLES: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(w.split()), key) for key, words in ROLE_WORDS.items() for w in words),
    key=lambda x: -len(x[0]),
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A resolved name in a sentence (token offsets are doc indices)."""

    start: int
    end: int
    kind: str
    members: tuple[str, ...] = ()
    candidate: str | None = None
    person: str | None = None
    gender: str | None = None
    seated: bool = False

    @property
    def player(self) -> bool:
        """A candidate who does not sit in the body: they run, they do not decide."""
        return self.candidate is not None and not self.seated


def sentence_mentions(sent: Span, gaz: Gazetteer, day: dt.date | None) -> list[Mention]:
    """Resolve the entities of ``sent`` (and name-less role phrases) on ``day``."""
    out: list[Mention] = []
    for ent in sent.ents:
        kind = ent.label_.removesuffix("_KM").lower()
        key = ent.ent_id_
        if kind == "member":
            if _legislators(ent):
                continue  # 'French MEPs', "the EPP's French delegation": not the state
            if _in_region(ent):
                continue  # 'Latin America', 'Northern Ireland': another place
            role = _role_after(ent, gaz, key, day)
            out.append(role or Mention(ent.start, ent.end, "member", (key,)))
        elif kind == "person" and key in gaz.people:
            p = gaz.people[key]
            members = gaz.members_for(p, day)
            out.append(
                Mention(
                    ent.start,
                    ent.end,
                    "person",
                    members,
                    p.candidate,
                    key,
                    p.gender,
                    seated=p.seated,
                )
            )
        elif kind == "office":  # 'the minister' for the member named with it (roles.py)
            out.append(Mention(ent.start, ent.end, "role", (key,)))
        elif kind == "group":
            out.append(Mention(ent.start, ent.end, "group", gaz.group_members(key, day)))
        elif kind in ("post", "incumbent"):
            out.append(Mention(ent.start, ent.end, kind))
        elif kind == "nationality":  # 'the Ghanaian' where Ghana has no seat (gazetteer)
            national = _national(ent.start, ent.end, sent, key, alone=True)
            if national is not None:
                out.append(national)
    return [_home_candidate(m, sent, gaz) for m in out]


_CANDIDATE_NOUNS = {"candidate", "nominee", "contender", "hopeful", "challenger"}
_LEGISLATORS = {"meps", "mep", "lawmakers", "legislators", "deputies", "parliamentarians"}


def _legislators(ent: Span) -> bool:
    """A member's name that only says which country some legislators come from: 'French
    MEPs', 'German lawmakers', "the EPP's French delegation", 'the delegations of Poland's
    PiS'. A state's delegation to the body itself ('the Turkish delegation blocked ...')
    is the state acting, and stays."""
    doc = ent.doc
    nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if nxt in _LEGISLATORS:
        return True
    before = doc[ent.start - 1].lower_ if ent.start >= 1 else ""
    if nxt in ("delegation", "delegations") and before in ("'s", "’s"):
        return True  # a group's national delegation
    return ent.start >= 2 and doc[ent.start - 2].lower_ == "delegations" and before == "of"


def _in_region(ent: Span) -> bool:
    """A one-word member name after a compass word ('Latin America', 'New Mexico')."""
    doc = ent.doc
    return ent.end - ent.start == 1 and ent.start > 0 and doc[ent.start - 1].text in REGION_WORDS


def _home_candidate(m: Mention, sent: Span, gaz: Gazetteer) -> Mention:
    """'the Ruritanian candidate' names the race's only candidate from Ruritania (and is
    not Ruritania acting): a mention of that candidate."""
    if m.kind != "member":
        return m
    text = sent.doc[m.start : m.end].text
    # 'Dutchman', 'Spaniard' name a person, never the state: a person the race may not know
    person = text in PERSON_NOUN_WORDS
    unknown = Mention(m.start, m.end, "person")
    homes = [c for c, home in gaz.candidate_homes.items() if home in m.members]
    if len(homes) != 1:
        return unknown if person else m
    names = {gaz.member_names.get(mid, "") for mid in m.members}
    # a demonym, of one word or more ('the South Korean'), not the member's own name
    demonym = text.lower().endswith(DEMONYM_ENDS) and text not in names
    found = _national(m.start, m.end, sent, homes[0], alone=demonym or person)
    return found or (unknown if person else m)


def _national(start: int, end: int, sent: Span, cand: str, *, alone: bool) -> Mention | None:
    """A candidate named by nationality: 'the Ruritanian candidate' (no name after it)
    and, where ``alone`` allows it, 'the Ruritanian won' or 'the Ruritanian, who ...'."""
    doc = sent.doc
    if alone and _person_by_nationality(start, end, sent):
        # 'the Bulgarian won', 'The Dutchman, who ...': that home's one candidate
        return Mention(start, end, "person", (), cand)
    if end >= sent.end or doc[end].lower_ not in _CANDIDATE_NOUNS:
        return None
    if end + 1 < sent.end and _starts_name(doc[end + 1]):
        return None  # 'the Ruritanian candidate Jane Roe': the name follows and says who
    return Mention(start, end + 1, "person", (), cand)


# what follows a demonym standing for a person: a clause boundary or a verb of the race
_PERSON_NEXT = frozenset(
    {",", ".", ";", ":", ")", "who", "has", "had", "was", "is", "will", "would", "won", "wins",
     "said", "says", "got", "gets", "received", "took", "takes", "beat", "beats", "faces",
     "leads", "led", "remains", "became", "becomes", "secured", "needs", "needed"}
)  # fmt: skip


def _person_by_nationality(start: int, end: int, sent: Span) -> bool:
    """'the Bulgarian won', 'the Estonian, who ...': a demonym after 'the', alone, standing
    for a person (not 'the Bulgarian government', nor 'the Netherlands'); a noun that can
    only be a person ('the Dutchman', 'the Spaniard') needs only that no name follows."""
    doc = sent.doc
    if start <= sent.start or doc[start - 1].lower_ != "the" or not doc[start].is_title:
        return False
    nxt = doc[end].lower_ if end < sent.end else "."
    if doc[start:end].text in PERSON_NOUN_WORDS:
        return end >= sent.end or not _starts_name(doc[end])
    return nxt in _PERSON_NEXT


def _role_after(ent: Span, gaz: Gazetteer, member: str, day: dt.date | None) -> Mention | None:
    """'Dutch prime minister' / "Romania's president" without a following name."""
    doc = ent.doc
    i = ent.end
    if i < len(doc) and doc[i].lower_ in ("'s", "’s"):
        i += 1
    former = False
    while i < len(doc) and doc[i].lower_ in _ROLE_PREFIX:
        former = former or doc[i].lower_ in ("former", "then")
        i += 1
    for words, key in _ROLES:
        j = i + len(words)
        if j <= len(doc) and tuple(t.lower_ for t in doc[i:j]) == words:
            if j < len(doc) and _starts_name(doc[j]):
                return None
            p = gaz.holder_of(member, key, day, former=former)
            if p is None:
                return None
            members = (member,)
            return Mention(ent.start, j, "role", members, p.candidate, p.key, p.gender)
    return None


def _starts_name(tok: Token) -> bool:
    return tok.is_title and tok.is_alpha
