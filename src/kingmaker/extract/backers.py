"""Lists of backers under a candidate's name: 'Jane Roe:' on its own line, then the members
who back her ('A (Lab), B (Con), C (LD).').

A tally of nominations or endorsements is often laid out as a label per candidate, its
name and a colon, with the names of those who nominated or endorsed them on the next
line. Only the layout says who backs whom: nothing in the list's line is a verb. The
rule reads such a line as support from every member it names when the article's heading
(or the list's own lead, '15 proposers, among them:') says the lists are of backers, so
that a line of names under a candidate in a list of results or biographies is not read
as backing.
"""

from __future__ import annotations

from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import BACKER_NOUNS, words
from kingmaker.extract.lists import opens_sentence, parenthesised

# what a heading over lists of backers says: 'Speaker nominations', 'Endorsements'
_HEADS = words(
    "nominations endorsements endorsement nominators proposers seconders endorsers"
    " backers supporters"
)
_LEAD = (
    _HEADS
    | {k for k, pol in BACKER_NOUNS.items() if pol == "support"}
    | words("among them including include includes and others other")
)
_JOINERS = frozenset({",", ";", ".", "and", "&", "plus"})
BASE = {"model": 0.75, "fallback": 0.7}
_REACH = 4000  # characters back to the heading


def backer_line_events(v: SentenceView) -> list[Event]:
    """Support from every member named on the line under a candidate's label."""
    doc = v.sent.doc
    if not v.mentions or not v.mentions[0].candidate:
        return []
    label = v.mentions[0]
    colon = label.end
    if not opens_sentence(v, label) or colon >= v.sent.end - 1 or doc[colon].text != ":":
        return []
    after = next((t for t in doc[colon + 1 : v.sent.end] if not t.is_space), None)
    if after is None:
        return []
    if "\n" not in v.text[doc[colon].idx - v.sent.start_char : after.idx - v.sent.start_char]:
        return []  # 'Roe: awaiting reply' on one line is not a label over a list
    backers, lead = _listed(v, colon + 1)
    if not backers or not (lead & _LEAD or _under_heading(v)):
        return []
    conf = BASE[v.ctx.mode]
    out: dict[str, Event] = {}
    for mid in backers:
        if mid not in out:
            out[mid] = v.event(
                "stance", "stance.backer-lines", conf, member=mid, candidate=label.candidate,
                stance="support", lifted=False,
            )  # fmt: skip
    return list(out.values())


def _listed(v: SentenceView, lo: int) -> tuple[list[str], set[str]]:
    """The members a line of names from token ``lo`` lists, and the words of its lead
    ('15 proposers, among them:'); no members unless the line is only names, joiners and
    parentheses."""
    doc = v.sent.doc
    named = {i: m for m in v.mentions if m.start >= lo for i in range(m.start, m.end)}
    colons = [i for i in range(lo, v.sent.end) if doc[i].text == ":"]
    lead: set[str] = set()
    if colons:
        head = [doc[i] for i in range(lo, colons[0]) if not doc[i].is_space]
        lead = {t.lower_ for t in head if not t.like_num and not t.is_punct}
        if not lead or not lead <= _LEAD:
            return [], set()
        lo = colons[0] + 1
    members: list[str] = []
    aside = parenthesised(doc, lo, v.sent.end)  # a name's party: 'A (Lab)'
    # a comma-separated line may name people the race does not know ('Peter Luff (Con)'):
    # capitalised words pass there, a lower-case one is prose
    listed = any(doc[i].text == "," for i in range(lo, v.sent.end))
    for i in range(lo, v.sent.end):
        t = doc[i]
        if i in aside or t.text == ")" or t.is_space:
            continue
        elif i in named:
            m = named[i]
            if m.members and i == m.start:
                members.extend(m.members)
        elif listed and t.text[:1].isupper():
            continue
        elif t.lower_ not in _JOINERS:
            return [], set()  # prose, not a list of names
    return members, lead


def _under_heading(v: SentenceView) -> bool:
    """The article's text before the sentence has a short line (a heading) that names
    lists of backers ('Speaker nominations, via PoliticsHome')."""
    text = v.ctx.text
    if not text:
        return False
    for line in text[max(0, v.offset - _REACH) : v.offset].splitlines():
        said = line.lower().replace(",", " ").replace(":", " ").split()
        if 0 < len(said) <= 8 and set(said) & _HEADS:
            return True
    return False
