"""A member's own nominee: "Ruritania's candidate, Jane Roe" is Ruritania backing Roe.

A government that nominates someone supports them. The possessive of a candidacy noun
says so ("Ruritania's candidate", "Ruritania's nominee for the post, Jane Roe", "Roe,
Ruritania's candidate"): the member named before the possessive supports the candidate
named right after the noun (past any "for the post of ..." phrase) or right before it in
apposition ("Roe, Ruritania's nominee"; "named Roe as Ruritania's candidate"). A
demonym ("the Ruritanian candidate") says where someone comes from, not
who nominated them, and gives no stance; so does a nominee being withdrawn. An unnamed
"Ruritania's candidate" is the race's one candidate from Ruritania.
"""

from __future__ import annotations

from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import words
from kingmaker.extract.mentions import Mention

_NOUNS = words("candidate nominee candidacy candidature pick choice")
_BETWEEN = words("own official sole preferred , ( )")
_WITHDRAWN = words(
    "withdrew withdrawn withdraw withdraws withdrawing withdrawal pulled pull pulls dropped drop"
    " former"
    " ex previous"
)
BASE = {"model": 0.85, "fallback": 0.8}


def nominee_events(v: SentenceView) -> list[Event]:
    """Support of each member for its possessively named nominee in the sentence."""
    doc = v.sent.doc
    out: list[Event] = []
    for m in v.mentions:
        if m.kind != "member" or m.end + 1 >= v.sent.end:
            continue
        if doc[m.end].lower_ not in ("'s", "’s", "'"):
            continue
        i = m.end + 1
        while i < v.sent.end and doc[i].lower_ in _BETWEEN - {",", "(", ")"}:
            i += 1
        if i >= v.sent.end or doc[i].lower_ not in _NOUNS:
            continue
        back = {doc[j].lower_ for j in range(max(v.sent.start, m.start - 4), m.start)}
        if back & _WITHDRAWN:
            continue
        cand = _after(v, i + 1) or _before(v, m)
        rule = "stance.nominee"
        if cand is None:  # 'Pakistan's candidate' unnamed: the race's one candidate from there
            cand, rule = _home(v, m), "stance.nominee.home"
        if cand is None:
            continue
        # a hedge later in the sentence ('..., said that he was optimistic') does not
        # qualify the nominee phrase: only those from its clause opener to just after it
        conf = BASE[v.ctx.mode] * v.hedge(v.sent.start, min(v.sent.end, i + 4), m.start)[0]
        out.extend(
            v.event("stance", rule, conf, member=mid, candidate=cand,
                    stance="support", lifted=False)
            for mid in m.members
        )  # fmt: skip
    return out


def _after(v: SentenceView, i: int) -> str | None:
    """The candidate named after the noun: next, or after a short 'for the post of' phrase."""
    doc = v.sent.doc
    for j in range(i, min(v.sent.end, i + 14)):
        hit = v.at(j)
        if hit is not None and hit.candidate:
            return hit.candidate
        if hit is not None and hit.kind == "member":
            return None
        if doc[j].text in (";", ":") or doc[j].lower_ in ("and", "while", "but"):
            return None
    return None


def _home(v: SentenceView, m: Mention) -> str | None:
    """The race's only candidate whose home is the member (None if none or several)."""
    found = [c for c, home in v.ctx.gaz.candidate_homes.items() if home in m.members]
    return found[0] if len(found) == 1 else None


def _before(v: SentenceView, m: Mention) -> str | None:
    """'Roe, Ruritania's candidate': the candidate right before, across a comma; or the
    one named earlier in the clause for 'name Roe as Ruritania's candidate' and 'Roe will
    be Ruritania's candidate' (a copula)."""
    doc = v.sent.doc
    j = m.start - 1
    if j < v.sent.start:
        return None
    if doc[j].text == ",":
        hit = v.at(j - 1) if j - 1 >= v.sent.start else None
        return hit.candidate if hit is not None and hit.candidate else None
    if doc[j].lower_ != "as" and doc[j].lower_ not in _COPULA:
        return None
    lo = v.clause_of(j)[0]
    for i in range(j - 1, max(lo, j - 20) - 1, -1):
        hit = v.at(i)
        if hit is not None and hit.candidate:
            return hit.candidate
        if hit is not None and hit.kind == "member":
            return None
    return None


_COPULA = frozenset({"is", "was", "be", "became", "becomes", "remains", "remained"})
