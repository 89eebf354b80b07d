"""Stances of a group the sentence does not name, whose members a nearby sentence lists.

"The six leaders negotiating the package have agreed that Roe should take the post" names
no member; "The six negotiators are Ruritania's prime minister, Borea's president and ..."
one or two sentences away says who they are. Each listed member then holds the stance.
The group is a people noun (leaders, negotiators, governments...) as the verb's subject; the
definition is a sentence opening with "the" and a number or a people noun, then "are",
"were" or "include" and the members. A number on both sides must agree ("the six").
Members only mentioned as what someone speaks for ("on behalf of the Greens", a
parenthesis) are not in the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from kingmaker.extract.args import GOVERNMENT, members_before, target_after
from kingmaker.extract.context import SentenceView
from kingmaker.extract.counts import number
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import NEG_WORDS, PEOPLE_NOUNS, words
from kingmaker.extract.triggers import Trigger, find_triggers

_COPULA = words("are were include included comprise comprised")
_SPEAKS_FOR = words("of for from behalf")
SUBJECT_REACH = 12  # tokens from the group noun to its verb ('leaders who are negotiating ...')
REACH = 2  # sentences between the stance and the list of its holders
FACTOR = 0.85  # the holders are inferred across sentences
_BASE = {"model": 0.9, "fallback": 0.8}


@dataclass(frozen=True, slots=True)
class _Pending:
    k: int
    view: SentenceView
    trig: Trigger
    target: str
    size: int | None


def group_events(views: list[SentenceView]) -> list[Event]:
    """Stances of unnamed groups resolved from a definition within ``REACH`` sentences."""
    defs: list[tuple[int, int | None, list[str]]] = []
    for k, v in enumerate(views):
        d = _definition(v)
        if d is not None:
            defs.append((k, *d))
    if not defs:  # most articles: no sentence lists a group's members, nothing to resolve
        return []
    close = {j for k, _, _ in defs for j in range(k - REACH, k + REACH + 1) if j != k}
    pending = [p for k, v in enumerate(views) if k in close for p in _pending(k, v)]
    out: list[Event] = []
    for p in pending:
        near = [
            d for d in defs
            if 0 < abs(d[0] - p.k) <= REACH and (p.size is None or d[1] is None or p.size == d[1])
        ]  # fmt: skip
        if not near:
            continue
        _, _, members = min(near, key=lambda d: abs(d[0] - p.k))
        v, t = p.view, p.trig
        lo = v.clause_of(t.start)[0]
        factor, _ = v.hedge(lo, t.start)
        conf = _BASE[v.ctx.mode] * FACTOR * factor
        out += [
            v.event(
                "stance", f"{t.rule}.named-group", conf, member=mid, candidate=p.target,
                stance=t.polarity, lifted=False,
            )
            for mid in members
        ]  # fmt: skip
    return out


def _pending(k: int, v: SentenceView) -> list[_Pending]:
    """Support or opposition verbs whose subject is an unnamed group of people."""
    out = []
    doc = v.sent.doc
    for lo, hi in v.clauses:
        for t in find_triggers(v, lo, hi):
            if t.polarity not in ("support", "oppose") or t.noun or t.passive:
                continue
            if members_before(v, t.start, lo) or any(
                doc[i].lower_ in NEG_WORDS for i in range(lo, t.start)
            ):
                continue
            group, size = _group_subject(v, lo, t.start)
            target = target_after(v, t, hi) if group else None
            if target:
                out.append(_Pending(k, v, t, target, size))
    return out


def _group_subject(v: SentenceView, lo: int, end: int) -> tuple[bool, int | None]:
    """Whether a people noun is the verb's subject, and the group's size if given."""
    doc = v.sent.doc
    for i in range(max(lo, end - SUBJECT_REACH), end):
        if doc[i].lower_ in PEOPLE_NOUNS:
            for j in range(i - 1, max(lo, i - 4) - 1, -1):
                n = number(doc[j].text)
                if n is not None and n > 1:
                    return True, n
            return True, None
    return False, None


def _definition(v: SentenceView) -> tuple[int | None, list[str]] | None:
    """'The six negotiators are A, B and C': (the number, the members listed), or None."""
    doc = v.sent.doc
    s = v.sent.start
    if doc[s].lower_ == "they" and s + 1 < v.sent.end and doc[s + 1].lower_ in _COPULA:
        return _listed(v, s + 1)  # 'They were A, B and C' right after the group's stance
    if doc[s].lower_ != "the":
        return None
    size: int | None = None
    opened = False
    for i in range(s + 1, min(s + 4, v.sent.end)):
        n = number(doc[i].text)
        if n is not None and n > 1:
            size, opened = n, True
        if doc[i].lower_ in PEOPLE_NOUNS:
            opened = True
    if not opened:
        return None
    cop = _copula(v, s)
    if cop is None:
        return None
    listed = _listed(v, cop)
    return (size, listed[1]) if listed is not None else None


def _listed(v: SentenceView, cop: int) -> tuple[int | None, list[str]] | None:
    """The members listed after the copula at ``cop`` (at least two), or None."""
    doc = v.sent.doc
    members: list[str] = []
    depth = 0
    for i in range(cop + 1, v.sent.end):
        tok = doc[i].text
        depth += (tok == "(") - (tok == ")")
        m = v.at(i)
        if m is None or m.start != i or depth > 0 or m.candidate or not m.members:
            continue
        if _speaks_for(v, i):
            continue
        members += [mid for mid in m.members if mid not in members]
    return (None, members) if len(members) > 1 else None


def _copula(v: SentenceView, s: int) -> int | None:
    """The copula of a definition, with no member named before it (asides skipped)."""
    doc = v.sent.doc
    aside = False
    for i in range(s, min(s + 25, v.sent.end)):
        if doc[i].text in ("—", "–", "(", ")") or (doc[i].text == "-" and doc[i].whitespace_):
            aside = not aside if doc[i].text not in ("(", ")") else doc[i].text == "("
            continue
        if aside:
            continue
        if doc[i].lower_ in _COPULA:
            return i
        m = v.at(i)
        if m is not None and m.members:
            return None
    return None


def _speaks_for(v: SentenceView, i: int) -> bool:
    """'on behalf of the EPP', 'for the socialists': what a person speaks for, not a member
    listed (unless a government noun governs it: 'the prime ministers of Poland')."""
    doc = v.sent.doc
    j = i - 1
    if j > v.sent.start and doc[j].lower_ == "the":
        j -= 1
    if j < v.sent.start or doc[j].lower_ not in _SPEAKS_FOR:
        return False
    return not (doc[j].lower_ == "of" and j > v.sent.start and doc[j - 1].lower_ in GOVERNMENT)
