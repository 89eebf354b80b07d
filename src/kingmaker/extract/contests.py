"""Candidacies read from a contest: people who face each other, who placed in a vote, or
to whom a race has narrowed, are running.

Three structures, each from a class of cue words and the names around them:

- *Two sides*: "A faces B and C", "A narrowly beat B", "A will run against B", "A versus
  B": a candidate on each side of a contest verb, and both sides run.
- *A place in a vote or a field*: "A came second (12 percent)", "A finished third", "A won
  43 votes", "A ended up with 5 votes", "neither A nor B won the two-thirds majority",
  "A is one of nine candidates": whoever placed in, or fell short in, a ballot stood in it,
  as does one of a field of candidates.
- *A narrowed field*: "the race is down to A and B", "a run-off between A and B".

A negated or hedged contest ("could face", "did not run against") reads nothing: the
candidacy is then only a possibility. Nothing here names a person, a post or a race.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kingmaker.extract import lexicon as lx
from kingmaker.extract.candidates import after, before
from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event

BASE = {"model": 0.85, "fallback": 0.8}

_AGAINST = ("against",)
_CONTEST: tuple[tuple[str, ...], ...] = (
    *((w,) for w in lx.forms("face", "beat", "defeat", "outpoll")),
    ("edged",), ("edges",), ("versus",), ("vs",), ("vs.",),
    *((w, *_AGAINST) for w in lx.forms("run", "compete", "stand", "pit", "square")),
    *((w, "off", *_AGAINST) for w in lx.forms("square")),
    *((w, "with") for w in lx.forms("compete", "vie")),
    ("up", "against"), ("pitted", "against"),
)  # fmt: skip
_ORDINALS = lx.words("first second third fourth fifth sixth seventh last runner-up")
_PLACED = lx.forms("come", "finish", "place", "end", "rank") | lx.words("came")
_COPULAS = lx.words("was were is are")
_AFTER_PLACE = lx.words("( , with in on . ;")  # 'was third (9 percent)', not 'was first named'
_VOTE_NOUNS = lx.words("votes vote ballots percent per % majority")
_WON = lx.forms("win", "receive", "get", "garner", "obtain", "secure", "poll", "gain", "muster")
_WON |= lx.words("won got")
_TOPPED = lx.words("topped tops top led leads")
_POLL_NOUNS = lx.words("poll ballot vote voting round count")
_RACE_NOUNS = lx.words(
    "race contest field choice competition battle fight shortlist run-off runoff duel"
    " showdown vote ballot election"
)
_NOT_DIRECT = lx.words("from by of competition challenge challenges pressure questions calls")
_CANDIDATES = lx.words("candidates contenders hopefuls nominees contestants finalists")
_HYPOTHETICAL = lx.words("could would may might should if whether")


def contest_candidacies(v: SentenceView) -> list[Event]:
    """Declared candidacies of one sentence from the three structures above."""
    found: dict[str, str] = {}
    for lo, hi in v.clauses:
        for s, e, _ in v.find(_CONTEST, lo, hi):
            left, right = before(v, s, lo, reach=8), after(v, e, hi, reach=12)
            if (
                left
                and right
                and not set(left) & set(right)
                and _firm(v, s, lo)
                and _direct(v, e, hi)
            ):
                for c in left + right:
                    found.setdefault(c, "contest")
        for c in _placed(v, lo, hi):
            found.setdefault(c, "placed")
        for c in _narrowed(v, lo, hi):
            found.setdefault(c, "narrowed")
    conf = BASE[v.ctx.mode] * 0.9
    return [
        v.event("candidacy", f"candidacy.declared.{how}", conf, candidate=c, status="declared")
        for c, how in found.items()
    ]


def _direct(v: SentenceView, e: int, hi: int) -> bool:
    """Whether the other side is the verb's own object ('faces B'), not the source of a
    noun after it ('faces competition from B': a rival in prospect, not yet running)."""
    doc = v.sent.doc
    for i in range(e, hi):
        if v.at(i) is not None:
            return True
        if doc[i].lower_ in _NOT_DIRECT:
            return False
    return False


def _firm(v: SentenceView, s: int, lo: int) -> bool:
    """No negation or hypothetical in the three words before the cue."""
    doc = v.sent.doc
    near = {doc[i].lower_ for i in range(max(lo, s - 3), s)}
    return not near & (lx.NEG_WORDS | _HYPOTHETICAL)


def _placed(v: SentenceView, lo: int, hi: int) -> list[str]:
    """Candidates before a place in a vote: 'came second', 'won 43 votes', 'topped the
    poll', 'won the two-thirds majority' (or fell short of it)."""
    out: list[str] = []
    for i in range(lo, hi):
        if _a_place(v.sent.doc, i, hi) and _firm(v, i, lo):
            out += [c for c in before(v, i, lo, reach=6) if c not in out]
    return out


def _a_place(doc: Doc, i: int, hi: int) -> bool:
    """Whether token ``i`` starts a place in a vote (see ``_placed``)."""
    w = doc[i].lower_
    nxt = [doc[j].lower_ for j in range(i + 1, min(hi, i + 7))]
    ordinal = bool(nxt) and nxt[0] in _ORDINALS
    return (
        (w in _PLACED and ordinal)
        or (w in _COPULAS and ordinal and _ends_place(nxt[1:2]))
        or (w in _WON and any(x in _VOTE_NOUNS for x in nxt) and _counted(doc, i + 1, hi))
        or (w in _TOPPED and nxt[:1] == ["the"] and bool(set(nxt[1:3]) & _POLL_NOUNS))
        or (w == "with" and bool(nxt) and doc[i + 1].like_num and bool(set(nxt[1:3]) & _VOTE_NOUNS))
        or (w in _COPULAS and nxt[:2] == ["one", "of"] and bool(set(nxt[2:4]) & _CANDIDATES))
    )


def _ends_place(nxt: list[str]) -> bool:
    """Whether an ordinal after a copula ends its phrase ('was third (9 percent)')."""
    return not nxt or nxt[0] in _AFTER_PLACE


def _counted(doc: Doc, lo: int, hi: int) -> bool:
    """A number or 'the ... majority' in the six words after a verb of winning."""
    toks = [doc[j] for j in range(lo, min(hi, lo + 6))]
    return any(t.like_num for t in toks) or any(t.lower_ == "majority" for t in toks)


def _narrowed(v: SentenceView, lo: int, hi: int) -> list[str]:
    """The candidates a race has narrowed to: '(race) is down to A and B', '(a run-off)
    between A and B' (two names at least)."""
    doc = v.sent.doc
    for s, e, _ in v.find((("down", "to"), ("between",)), lo, hi):
        # '(the race ...) is down to': the subject anywhere in the clause; 'a run-off between'
        reach = s - lo if doc[s].lower_ == "down" and doc[s - 1].lower_ in _COPULAS else 2
        if not v.words_in(_RACE_NOUNS, max(lo, s - reach - 2), s):  # 'run-off' is one word
            continue
        named = after(v, e, v.sent.end, reach=24)  # the list may run past ', and'
        if len(named) >= 2 and _firm(v, s, lo):
            return named
    return []
