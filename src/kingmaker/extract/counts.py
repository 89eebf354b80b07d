"""Anonymous support counts: "28 of 32 allies back Rutte", "two-thirds of NATO countries".

A number (digits or words, with "more than", "about"...) or a fraction, near a support
cue in the same clause and a candidate (named or a pronoun). Counts that are needed or
sought ("needs the support of all 31") or negated ("have yet to back") are not support.
Members counted in a sentence about a vote ("in Monday's vote 20 countries backed X") are
votes; a count after an earlier election, the body's own size ("the IAEA's 171 member
states") and a scope ("in 163 countries") are none.
"""

from __future__ import annotations

import re

from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import SEEKING, SUPPORT_NOUNS, SUPPORT_VERBS

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORDNUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|" + "|".join(_UNITS[1:]) + ")"
)
_NUM = rf"(?:\d{{1,3}}|{_WORDNUM})"
_QUAL = (
    r"(?P<qual>more than|over|at least|about|around|nearly|almost|roughly|approximately|some"
    r"|fewer than|less than|only)?\s*"
)
_NOUN = (
    r"(?:(?:other|(?-i:[A-Z][A-Za-z]{1,8})|member|of the|of its|the)\s+)*"
    r"(?:allies|members|member states|member countries|countries|states|nations|governments"
    r"|capitals)"
)
_FRACS = {
    "two-thirds": 2 / 3,
    "two thirds": 2 / 3,
    "2/3": 2 / 3,
    "a third": 1 / 3,
    "one-third": 1 / 3,
    "one third": 1 / 3,
    "half": 0.5,
    "three-quarters": 0.75,
    "three quarters": 0.75,
}
_PATTERNS = [
    (
        "count.n-of-m",
        re.compile(
            rf"\b{_QUAL}(?P<count>{_NUM})\s+(?:of|out of)\s+(?:the\s+|its\s+|all\s+)?"
            rf"(?P<of>{_NUM})\b",
            re.I,
        ),
    ),
    (
        "count.all-n",
        re.compile(rf"\ball\s+(?:the\s+)?(?:other\s+)?(?P<count>{_NUM})\s+{_NOUN}", re.I),
    ),
    ("count.other-n", re.compile(rf"\bthe\s+other\s+(?P<count>{_NUM})\b", re.I)),
    (
        "count.ordinal",
        re.compile(
            r"\bthe\s+(?P<count>\d{1,2})(?:st|nd|rd|th)\s+(?:member|ally|country|state)", re.I
        ),
    ),
    ("count.n-members", re.compile(rf"\b{_QUAL}(?P<count>{_NUM})\s+{_NOUN}", re.I)),
    (
        "count.fraction",
        re.compile(rf"\b{_QUAL}(?P<frac>{'|'.join(map(re.escape, _FRACS))})\s+of\b", re.I),
    ),
]
_OF = re.compile(rf"\b(?:all|the|its)\s+(?P<of>{_NUM})(?:\s+|-)(?:{_NOUN}|member\b|nation\b)", re.I)
_QUALS = {
    "over": "more than",
    "about": "approximately",
    "around": "approximately",
    "roughly": "approximately",
    "some": "approximately",
    "almost": "nearly",
    "less than": "fewer than",
}
_SCOPE = re.compile(r"(?:['’]s|\b(?:in|among|across|throughout))\s*(?:(?:all|the|its)\s+)*$", re.I)
_AND_END = re.compile(r",[^,]*\band\s*$")
_VOTE = re.compile(r"\b(?:vote|votes|voting|ballot|round)\b", re.I)  # members counted in a vote
_NEG = re.compile(r"\b(?:not|n't|yet to|holding back|hold back|still to|without)\b", re.I)
BASE = {"model": 0.85, "fallback": 0.8}


def number(text: str) -> int | None:
    """The value of a number in digits or English words ('twenty-nine' -> 29)."""
    t = text.lower().replace("-", " ").split()
    if len(t) == 1 and t[0].isdecimal():
        return int(t[0])
    total = 0
    for w in t:
        if w in _TENS:
            total += _TENS[w]
        elif w in _UNITS:
            total += _UNITS.index(w)
        else:
            return None
    return total


def earlier_election(v: SentenceView, i: int) -> bool:
    """Whether the twelve words before token ``i`` put it in an election before the race
    ('five years ago, when he got 33 of the 34 votes', 'in 2015, when he won 33'): the
    tally of an earlier contest is no evidence of this one."""
    doc = v.sent.doc
    opened = v.ctx.gaz.window[0].year
    for j in range(max(v.sent.start, i - 12), i):
        w = doc[j]
        if w.lower_ == "ago" and j > 0 and doc[j - 1].lower_ in ("years", "decade"):
            return True
        if len(w.text) == 4 and w.text.isdecimal() and 1900 <= int(w.text) < opened:
            return True
    return False


def count_events(v: SentenceView) -> list[Event]:
    """Support counts in one sentence (at most one per candidate: the most specific)."""
    text = v.text
    taken: list[tuple[int, int]] = []
    out: dict[str, Event] = {}
    for rule, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            ev = _count(v, rule, m)
            taken.append((m.start(), m.end()))
            if ev is None or ev.candidate is None:
                continue
            prior = out.get(ev.candidate)
            if prior is None or (prior.count is None and ev.count is not None):
                out[ev.candidate] = ev
    return list(out.values())


def _count(v: SentenceView, rule: str, m: re.Match[str]) -> Event | None:
    g = m.groupdict()
    count = number(g["count"]) if g.get("count") else None
    frac = _FRACS.get(g["frac"].lower()) if g.get("frac") else None
    ordinal = re.search(r"\b(?:first|second|latter|last)\s*$", v.text[: m.start()])
    if frac is not None and ordinal:
        return None  # 'the second half of the year'

    of = number(g["of"]) if g.get("of") else None
    if rule == "count.all-n" and "other" not in m.group().lower():
        of = count
    head = v.text[
        max(0, m.start("count" if g.get("count") else "frac") - 6) : m.start(
            "count" if g.get("count") else "frac"
        )
    ]
    if rule == "count.n-members" and head.rstrip().lower().endswith("the"):
        return None
    if rule in ("count.n-members", "count.all-n") and _SCOPE.search(v.text[: m.start()]):
        return None  # 'the IAEA's 171 member states', 'in 163 countries': the body or a scope
    if rule == "count.other-n" and not (
        set(v.text[m.end() : m.end() + 12].lower().split()[:1]) & SUPPORT_VERBS
    ):
        return None
    if count is None and frac is None:
        return None
    lo, hi = _clause_chars(v, m.start())
    at = v.sent.char_span(m.start(), m.end(), alignment_mode="expand")
    if at is not None and earlier_election(v, at.start):
        return None
    clause = v.text[lo:hi]
    before = re.findall(r"[\w'-]+", v.text[lo : m.start()].lower())
    if any(w in SEEKING or w in ("requires", "require", "required", "necessary") for w in before):
        return None
    after = v.text[m.end() : m.end() + 40]
    if (
        rule == "count.n-members"
        and re.match(r"\s*other\b", v.text[m.end("count") :])
        and _AND_END.search(v.text[: m.start()])
    ):
        return None  # 'A, B and 18 other countries': a part of the backers, not their count
    owner = re.match(r"\s+to\s+([\w'’. -]+?)['’]s\s+\d", after)
    if owner and _candidate(v, m.end() + owner.start(1), m.end() + owner.end(1)):
        return None  # '20 countries to Feruta's 14': the first count is not Feruta's
    if _NEG.search(v.text[max(lo, m.start() - 20) : min(hi, m.end() + 40)]):
        return None
    words = set(re.findall(r"[\w'-]+", clause.lower()))
    if not (
        words & (SUPPORT_VERBS | SUPPORT_NOUNS | {"behind"})
        or (rule == "count.n-of-m" and "has" in words)
    ):
        return None
    if of is None:
        om = _OF.search(v.text)
        of = number(om.group("of")) if om else None
    if of is not None and count is not None and count > of:
        of = None
    if count is not None and count <= 1:
        return None
    cand = _candidate(v, lo, hi)
    if cand is None:
        return None
    qual = (g.get("qual") or "").lower() or None
    qual = _QUALS.get(qual, qual) if qual else None
    if qual == "only":
        qual = None
    conf = BASE[v.ctx.mode] * v.hedge(v.sent.start, v.sent.end)[0] ** 0.5
    return v.event(
        "count",
        rule,
        conf,
        candidate=cand,
        count=count,
        of=of,
        fraction=frac,
        qualifier=qual,
        what="votes" if _VOTE.search(v.text) and frac is None else "support",
    )


def _clause_chars(v: SentenceView, pos: int) -> tuple[int, int]:
    base = v.sent.start_char
    doc = v.sent.doc
    for s, e in v.clauses:
        a = doc[s].idx - base
        b = doc[e - 1].idx + len(doc[e - 1]) - base
        if a <= pos < b:
            return a, b
    return 0, len(v.text)


def _candidate(v: SentenceView, lo: int, hi: int) -> str | None:
    base = v.sent.start_char
    for m in v.mentions:
        if m.candidate and lo <= v.sent.doc[m.start].idx - base < hi:
            return m.candidate
    for tok in v.sent:
        if lo <= tok.idx - base < hi and tok.lower_ in ("him", "he", "his", "her", "she"):
            return v.pronoun_candidate(tok)
    return None
