"""Tallies: votes per candidate in a ballot or round, straw-poll numbers, abstentions.

A number is a tally when the words after it name what was counted ("30 votes",
"13 encouraging", "2 abstained", "284 against") or when it sits beside a candidate in a
sentence about voting ("Results: A 95, B 52"; "A got 121 and B 62"; "52 for B"). Its
candidate is the one right before it in the same stretch, or after "for"/"to"; its
round the ordinal before "round" or "ballot" in the sentence. The size of the body is
never a tally: a number before "members", "states", "seats" or in "34-member" gives
the denominator (``of``) instead. Every candidate with votes is also a declared one.
Scores ("A 30-28", "by 139 votes to 25", "24 votes to B's 10"), coordinated counts ("85
and 46 votes respectively", "18 votes each", "drawing level with X"), result lines under
a text about a vote ("• Name: 18") and gapped tallies ("A got 71 votes, and B, 12") are
read from the layout; round numbers, changes ("gained four"), deficits ("10 votes
short"), votes handed on and tallies of an earlier election are not tallies.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kingmaker.extract.context import SentenceView
from kingmaker.extract.counts import earlier_election, number
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import HEDGE_STRONG, SEEKING, SUPPORT_NOUNS, SUPPORT_VERBS, words
from kingmaker.extract.lists import parenthesised
from kingmaker.extract.mentions import Mention

_VOTE_WORDS = words("vote votes")
_POLL = {
    "encourage": "encourage", "encouraging": "encourage", "encouraged": "encourage",
    "encouragements": "encourage", "encouragement": "encourage",
    "discourage": "discourage", "discouraging": "discourage", "discouraged": "discourage",
    "discouragements": "discourage",
    "abstained": "abstain", "abstentions": "abstain", "abstention": "abstain",
    "abstaining": "abstain", "abstain": "abstain",
    "against": "against",
    "favourable": "encourage", "favorable": "encourage", "positive": "encourage",
    "unfavourable": "discourage", "unfavorable": "discourage", "negative": "discourage",
}  # fmt: skip
_VOTING = words(
    "vote votes voted voting ballot ballots round rounds poll polls result results tally"
    " elected election won beat defeated tied tie straw score"
)
_BODY = words(
    "member members states countries nations seats seat delegates delegations governments"
    " allies capitals mps meps lawmakers members-elect"
)
_UNITS = words(
    "year years month months day days week weeks hour hours minute minutes pm am gmt utc"
    " million billion thousand per times km kilometres miles percent % cent round rounds"
    " ballot ballots candidates candidate names people"
)
_MONTHS = words(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
)
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
             "sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "1st": "1",
             "2nd": "2", "3rd": "3", "4th": "4", "5th": "5", "6th": "6"}  # fmt: skip
_ROUND = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|\d(?:st|nd|rd|th))"
    r"\s+(?:and\s+final\s+)?(?:round|ballot|vote|(?:straw\s+)?poll)"
    r"|(?:round|ballot|poll)\s+(?P<num>\d{1,2}))\b",
    re.I,
)
_SIZE = re.compile(r"\b(?P<n>\d{1,4})(?:-| )(?:member|seat|nation|strong)\b", re.I)
_PERCENT = words("% percent")
_STOP = words("; : while but whereas")
_QUOTES = {"'", '"', "‘", "’", "“", "”"}
_SCORE = re.compile(
    r"(?<![\d-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d-])"
    r"|\bby\s+(\d{1,3})\s+(?:votes?\s+)?to\s+(\d{1,3})\b",
    re.I,
)
_WON = words("won got received scored obtained secured took polled garnered")
_WON_OR_WINNING = _WON | words("winning getting")
_ELECTORATE = words("votes vote population electorate ballots")
_AFTER_BARE = words("for to and against in with each apiece votes vote respectively while")
_ROUND_NOUNS = words("round ballot poll vote")
_CHANGE = words("gained lost added shed dropped lose gain gains loses")
_COMPARED = words("fewer more less short")
_GIVING = words("handing handed hand hands giving gave give gives bringing brought transferring")
_NEEDED = words("needs needed requires required threshold majority short least minimum")
BASE = {"model": 0.85, "fallback": 0.8}


def tally_events(v: SentenceView) -> list[Event]:
    """Count events (what: votes, encourage, discourage, no opinion, abstain, against,
    support for shares) of one sentence, and a declared candidacy for each candidate."""
    doc = v.sent.doc
    lowered = v.text.lower()
    voting = any(t.lower_ in _VOTING or t.lower_ in SUPPORT_NOUNS for t in v.sent)
    backing = any(t.lower_ in SUPPORT_VERBS for t in v.sent)  # 'backed by 56 percent of'
    if not voting and not any(t.lower_ in _POLL for t in v.sent) and not backing:
        if not _table_line(v):
            return []
        voting = True  # a result line ('Name: 18') under a text about a vote
    hedges = [t.i for t in v.sent if t.lower_ in HEDGE_STRONG and t.lower_ != "expected"]
    size = _SIZE.search(v.text)
    of = int(size.group("n")) if size else None
    rnd = _round(lowered)
    cands = [m for m in v.mentions if m.candidate]
    only = cands[0].candidate if len({m.candidate for m in cands}) == 1 else None
    out: list[Event] = []
    seen: set[tuple[str | None, str, int]] = set()
    for tok in v.sent:
        n = _value(tok)
        if n is None or v.at(tok.i) is not None or _hedged(v, tok, hedges):
            continue
        what, end = _what(tok)
        if (what is None and _not_a_tally(tok)) or _not_cast(v, tok) or earlier_election(v, tok.i):
            continue
        if _denominator(tok) is not None:
            continue  # '108 of the 191 votes': 191 is what the 108 are out of
        if what in ("abstain", "against"):
            cand = only or _pronoun_after(v, end)
            if cand is None and what == "against":
                continue
        else:
            share = end > tok.i + 1 and doc[tok.i + 1].lower_ in _PERCENT
            cand = _candidate(
                v,
                tok,
                end,
                far=what is not None and what != "votes",
                explicit=what == "votes" or share,
            )
            if cand is None:
                continue
            cand = _winner(v, tok, cand)
            if what is None:
                if not _score_owned(v, tok) and (
                    not (voting or (share and backing)) or not _bare_ok(tok, share)
                ):
                    continue
                what = "support" if share else "votes"
        if what == "votes":
            cand = _respective(v, tok) or cand
        for who in [cand, *(_tied(v, tok, end) if what == "votes" else [])]:
            key = (who, what, n)
            if key in seen:
                continue
            seen.add(key)
            share = what == "support"
            out.append(
                v.event(
                    "count",
                    f"count.tally.{what.replace(' ', '-')}",
                    BASE[v.ctx.mode],
                    candidate=who,
                    what=what,
                    count=n,
                    of=100 if share else _out_of(tok) or (of if of is None or n <= of else None),
                    round=rnd,
                )
            )
    out += _scores(v, rnd, seen) if not hedges else []
    named = {e.candidate for e in out if e.candidate and e.what != "against"}
    if out:  # 'A beat B ..., winning 121 votes': B, beaten in the vote, stood too
        named |= {m.candidate for m in v.mentions if m.candidate and _beaten(v, m)}
    out += [
        v.event("candidacy", "candidacy.declared.tally", BASE[v.ctx.mode], candidate=c,
                status="declared")
        for c in sorted(named)
    ]  # fmt: skip
    return out


_VOTE_TEXT = re.compile(
    r"\b(?:votes?|voted|voting|ballots?|rounds?|polls?|results?|tally|elected)\b", re.I
)


def _table_line(v: SentenceView) -> bool:
    """A short line that is only names and numbers ('Name: 18', 'A 121, B 62', 'Name
    (Country) 24'), or lines of them, in an article whose text just before it speaks of a
    vote: a result table."""
    digits = [t for t in v.sent if t.text.isdecimal()]
    aside = parenthesised(v.sent.doc, v.sent.start, v.sent.end)
    # a name's parenthesis is part of it ('Gurry (Australia) 24')
    unnamed = sum(t.is_alpha and t.i not in aside and v.at(t.i) is None for t in v.sent)
    lines = 1 + v.text.strip().count("\n")  # a table the parser kept as one sentence
    if not digits or unnamed > 3 * lines:
        return False
    before = v.ctx.text[max(0, v.offset - 400) : v.offset]
    return _VOTE_TEXT.search(before) is not None


def _scores(
    v: SentenceView, rnd: str | None, seen: set[tuple[str | None, str, int]]
) -> list[Event]:
    """'A beat B 30-28', 'A defeated B by 139 votes to 25': a score between the two
    candidates of the sentence, in order (a pronoun opening it is the first: 'He lost the
    final round to B by 28 votes to 30')."""
    found = _SCORE.search(v.text)
    if found is None:
        return []
    base = v.sent.start_char
    doc = v.sent.doc
    every = [m.candidate for m in v.mentions if m.candidate]
    before = [
        m.candidate for m in v.mentions if m.candidate and doc[m.end - 1].idx - base < found.start()
    ]
    first = v.sent[0]
    mine = v.pronoun_candidate(first) if first.lower_ in ("he", "she") else None
    for names in (before, every):
        cands = list(dict.fromkeys([mine, *names] if mine else names))
        if len(cands) == 2:
            break
    else:
        return []
    pair = [int(x) for x in found.groups() if x is not None]
    out = []
    for cand, n in zip(cands, pair, strict=True):
        if (cand, "votes", n) not in seen:
            seen.add((cand, "votes", n))
            out.append(v.event("count", "count.tally.score", BASE[v.ctx.mode], candidate=cand,
                               what="votes", count=n, round=rnd))  # fmt: skip
    return out


_TIE = words("level tying tied tie sharing shared equal")


def _group(tok: Token) -> list[Token]:
    """The numbers coordinated with ``tok`` ('85 and 46', '12, 9 and 7'), in order."""
    doc = tok.doc
    lo = hi = tok.i
    while lo >= 2 and doc[lo - 1].lower_ in ("and", ",") and _value(doc[lo - 2]) is not None:
        lo -= 2
    while (
        hi + 2 < len(doc) and doc[hi + 1].lower_ in ("and", ",") and _value(doc[hi + 2]) is not None
    ):
        hi += 2
    return [doc[k] for k in range(lo, hi + 1, 2)]


def _respective(v: SentenceView, tok: Token) -> str | None:
    """'A and B got 85 and 46 votes respectively': the candidate of the same rank among the
    candidates named last before the numbers, when there are as many of them as numbers."""
    if not any(t.lower_ == "respectively" for t in v.sent):
        return None
    group = _group(tok)
    if len(group) < 2:
        return None
    names: list[str] = []
    for m in v.mentions:
        if m.candidate and m.end <= group[0].i and m.candidate not in names[-1:]:
            names.append(m.candidate)
    names = names[-len(group) :]
    if len(names) != len(group) or len(set(names)) != len(names):
        return None
    return names[group.index(tok)]


def _tied(v: SentenceView, tok: Token, end: int) -> list[str]:
    """Candidates given the same count: '18 votes each' (every candidate named before it in
    the stretch), 'drawing level with X', 'tying with X', 'sharing first place with X'."""
    doc = v.sent.doc
    lo = tok.i
    while lo > v.sent.start and doc[lo - 1].lower_ not in _STOP:
        lo -= 1
    hi = end
    while hi < v.sent.end and doc[hi].lower_ not in _STOP:
        hi += 1
    out: list[str] = []
    if len(_group(tok)) > 1:
        return out  # '19 and 20 votes respectively, before tying with X': not these
    if end < v.sent.end and doc[end].lower_ in ("each", "apiece"):
        out += [m.candidate for m in v.mentions if m.candidate and lo <= m.start < tok.i]
    for k in range(lo, hi):
        if doc[k].lower_ != "with" or not any(
            doc[j].lower_ in _TIE for j in range(max(lo, k - 4), k)
        ):
            continue
        for j in range(k + 1, min(hi, k + 7)):
            m = v.at(j)
            if m is not None and m.candidate:
                out.append(m.candidate)
                break
    return list(dict.fromkeys(out))


def _value(tok: Token) -> int | None:
    """A count-like number: digits (not a year), or a number word."""
    text = tok.text
    if "," in text and re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    if text.isdecimal():
        n = int(text)
        if len(text) == 4 and 1800 <= n <= 2100:
            return None
        return n if len(text) <= 4 else None
    if tok.is_alpha and tok.lower_ != "a":
        if tok.lower_ == "one":  # 'one no opinion', not 'one of the candidates'
            k = tok.i + 1
            while k < len(tok.doc) and tok.doc[k].text in _QUOTES:
                k += 1
            nxt = tok.doc[k].lower_ if k < len(tok.doc) else ""
            return 1 if nxt in _POLL or nxt in ("no", "vote") else None
        return number(tok.lower_)
    return None


def _what(tok: Token) -> tuple[str | None, int]:
    """What the words right after a number count, and the token after them."""
    doc = tok.doc
    i = tok.i + 1
    if i < len(doc) and doc[i].lower_ in ("of", "out"):  # '19 of the 58 votes'
        for j in range(i + 1, min(len(doc), i + 8)):  # '114 out of a total of 245 votes'
            if doc[j].lower_ in _VOTE_WORDS:
                return "votes", j + 1
    if i < len(doc) and doc[i].lower_ in _BODY:  # '284 members voted against her'
        i += 1
        if i < len(doc) and doc[i].lower_ == "of":  # '284 Members of the European
            for k in range(i + 1, min(len(doc), i + 10)):  # Parliament (MEPs) voted'
                if doc[k].lower_ in ("voted", "vote"):
                    i = k
                    break
                if not (doc[k].is_alpha or doc[k].text in ("(", ")")):
                    break
    if i + 1 < len(doc) and doc[i].lower_ in ("voted", "vote", "votes"):
        nxt = doc[i + 1].lower_
        if nxt == "against" and not _won(tok):
            return "against", i + 2
        if nxt == "for":
            return "votes", i + 1  # the candidate follows: 'voted for C'
        if nxt == "in":
            return "votes", i + 2
    i = tok.i + 1
    if i + 1 < len(doc) and doc[i].lower_ in ("and", ",") and _value(doc[i + 1]) is not None:
        shared = _what(doc[i + 1])  # '19 and 20 votes': the first counts votes too
        if shared[0] is not None:
            return shared
    if i < len(doc) and doc[i].lower_ in _PERCENT:
        return None, i + 1
    if i + 1 < len(doc) and doc[i].lower_ == "per" and doc[i + 1].lower_ == "cent":
        return None, i + 2
    for j in range(i, min(len(doc), i + 4)):
        w = doc[j].lower_
        if w in _POLL:
            return _POLL[w], j + 1
        if w == "no" and j + 1 < len(doc) and doc[j + 1].lower_ == "opinion":
            return "no opinion", j + 2
        if w == "with" and j == i:
            continue  # 'three with no opinion'
        if w in _VOTE_WORDS:
            after = doc[j + 1].lower_ if j + 1 < len(doc) else ""
            if after in ("of", "to") and j + 2 < len(doc) and doc[j + 2].lower_ in _POLL:
                # '14 votes of encouragement', '12 votes to encourage'
                return _POLL[doc[j + 2].lower_], j + 3
            if after in _POLL and not (after == "against" and _won(tok)):
                return _POLL[after], j + 2
            return "votes", j + 1
        if w == "in" and j + 1 < len(doc) and doc[j + 1].lower_ in ("favour", "favor"):
            return "votes", j + 2  # '383 in favour'

        if doc[j].text in _QUOTES:
            continue  # "10 'encourage' votes"
        if not (doc[j].is_alpha and doc[j].lower_ == "valid"):
            break
    return None, i


_OUT_OF = words("of out the a total from cast valid votes vote")


def _won(tok: Token) -> bool:
    """Whether a verb of winning comes right before the number ('won 23 votes against 10
    for X': votes won, the rest a comparison)."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ in _WON_OR_WINNING


def _denominator(tok: Token) -> int | None:
    """The number before ``tok`` when ``tok`` is what it is out of ('108 of the 191
    votes', '114 out of a total of 245', '55 of the votes from 83 nations'), else None."""
    doc = tok.doc
    j = tok.i - 1
    seen_of = False
    while j >= 0 and tok.i - j <= 5 and doc[j].lower_ in _OUT_OF:
        seen_of = seen_of or doc[j].lower_ in ("of", "from")
        j -= 1
    if not seen_of or j < 0 or j == tok.i - 1:
        return None
    return _value(doc[j])


def _out_of(tok: Token) -> int | None:
    """What a count is out of, when the sentence says it right after ('108 of the 191
    votes' gives 191 for 108)."""
    doc = tok.doc
    for j in range(tok.i + 1, min(len(doc), tok.i + 7)):
        n = _value(doc[j])
        if n is not None:
            return n if _denominator(doc[j]) is not None and n > (_value(tok) or 0) else None
    return None


_LEAD = words("with just only after winning having won securing taking")
_BEATEN = words("beat beating defeated defeating ousted ousting edged edging over")
_WINNING = words("winning taking securing gaining getting garnering with")


def _winner(v: SentenceView, tok: Token, cand: str) -> str:
    """'A beat B, the X candidate, winning 121 votes': a participle of winning after the
    beaten candidate speaks of the subject, the candidate named first, not of B."""
    doc = v.sent.doc
    if tok.i == 0 or doc[tok.i - 1].lower_ not in _WINNING:
        return cand
    mine = [m for m in v.mentions if m.candidate and m.end <= tok.i]
    beaten = [m for m in mine if m.candidate == cand and _beaten(v, m)]
    if not beaten:
        return cand
    first = mine[0].candidate
    return first if first is not None and first != cand and mine[0].end <= beaten[0].start else cand


def _beaten(v: SentenceView, m: Mention) -> bool:
    """Whether a verb of beating comes within three words before mention ``m`` ('A beat
    B', 'defeating B')."""
    doc = v.sent.doc
    return any(doc[j].lower_ in _BEATEN for j in range(max(v.sent.start, m.start - 3), m.start))


def _owned_count(v: SentenceView, i: int) -> int | None:
    """The number right after a candidate's possessive at token ``i`` ('Feruta's 10')."""
    doc = v.sent.doc
    if i + 1 < v.sent.end and doc[i].text in ("'s", "’s"):
        return _value(doc[i + 1])
    return None


def _hedged(v: SentenceView, tok: Token, hedges: list[int]) -> bool:
    """A hedge ('could', 'would', 'if') anywhere before the number in the sentence ('He
    could win 30 votes'), or after it before a comma; one after a comma leaves the tally
    stand ('After winning 131 votes, she said they would need unity')."""
    if not hedges:
        return False
    doc = v.sent.doc
    hi = tok.i
    while hi < v.sent.end and doc[hi].text not in (",", ";", "—", "–"):
        hi += 1
    return any(h < hi for h in hedges)


def _score_owned(v: SentenceView, tok: Token) -> bool:
    """Whether ``tok`` is a score's second number after 'to' and a candidate's possessive
    ('24 votes to Feruta's 10')."""
    m = v.at(tok.i - 2) if tok.i >= 2 else None
    if m is None or not m.candidate or m.start == 0:
        return False
    return v.sent.doc[m.start - 1].lower_ == "to" and _owned_count(v, m.end) == _value(tok)


def _bare_ok(tok: Token, share: bool) -> bool:
    """A number with no counted noun is a tally only in a table or score layout: digits,
    and not before another word ('three priorities'), or any number right after a verb of
    winning ('won three'); a share only of an electorate ('56% of the countries', not '2%
    of GDP')."""
    doc = tok.doc
    if not tok.text.isdecimal() and not (tok.i > 0 and doc[tok.i - 1].lower_ in _WON):
        return False
    k = tok.i + (2 if share else 1)
    nxt = doc[k].lower_ if k < len(doc) else ""
    if share:
        ahead = {doc[j].lower_ for j in range(k, min(len(doc), k + 6))}
        return nxt == "of" and bool(ahead & (_BODY | _ELECTORATE))
    return not (doc[k].is_alpha and nxt not in _AFTER_BARE) if k < len(doc) else True


def _not_cast(v: SentenceView, tok: Token) -> bool:
    """A number of votes needed, a margin or a rank: 'needs 361 votes', 'by nine votes',
    'number two at the Bank'."""
    doc = v.sent.doc
    before = [doc[j].lower_ for j in range(max(v.sent.start, tok.i - 4), tok.i)]
    if before and before[-1] in ("number", "no.", "no", "than"):
        return True
    agent = len(before) >= 2 and before[-1] == "by" and before[-2] in SUPPORT_VERBS
    if {"by", "margin"} & set(before[-3:]) and not agent:  # 'by just nine votes' ('backed
        return True  # by 56 percent of the states' is the agent, not a margin)
    if before and before[-1] in _CHANGE:  # 'gained four votes': a change, not a tally
        return True
    if _GIVING & set(before[-3:]):  # 'handing her the five votes': passed on, not won
        return True
    after = [doc[j].lower_ for j in range(tok.i + 1, min(v.sent.end, tok.i + 3))]
    if _COMPARED & set(after) and "than" not in after:  # 'one vote fewer', 'two more'
        return True
    lo = v.clause_of(tok.i)[0]
    back = [doc[j].lower_ for j in range(max(lo, tok.i - 5), tok.i)]
    if "majority" in back and {"with", "by"} & set(back[: back.index("majority")]):
        back.remove("majority")  # 'elected with a majority of 114 votes': won, not needed
    return bool(set(back) & (SEEKING | _NEEDED))


def _pronoun_after(v: SentenceView, end: int) -> str | None:
    """'voted against her': the candidate a pronoun right after the tally stands for."""
    doc = v.sent.doc
    if end < v.sent.end and doc[end].lower_ in ("him", "her"):
        return v.pronoun_candidate(doc[end])
    return None


def _not_a_tally(tok: Token) -> bool:
    """A number that is a size, a date, a time or a measure, not a bare tally."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if nxt is not None:
        if nxt.lower_ in _BODY | _UNITS | _MONTHS or nxt.text in ("-", "–", "/", ":"):
            return not (nxt.lower_ in _PERCENT or nxt.lower_ == "per")
        if nxt.lower_ in ("of", "out") or (nxt.text == "." and tok.i + 2 < len(doc)
                                           and doc[tok.i + 2].like_num):  # fmt: skip
            return True
    if prev is not None and prev.lower_ in _ROUND_NOUNS:
        return True  # 'round 1', 'ballot 3': which round, not how many
    if prev is not None and prev.text == "," and nxt is not None and nxt.text in (",", "."):
        return not _gapped(tok)  # 'Dr. Szócska, 56, of Hungary': an age
    return bool(prev is not None and (prev.lower_ in _MONTHS or prev.text in ("$", "€", "£", "#")))


def _gapped(tok: Token) -> bool:
    """'A received 71 votes, and B, from Ruritania, 12.': a number closing the sentence
    after a comma, where an earlier number of the sentence counted votes, leaves out the
    verb and the noun it shares with that one (not an age: 'Roe, 56, won 30 votes')."""
    doc = tok.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != "." or tok.i + 2 < tok.sent.end:
        return False
    return any(
        _value(t) is not None and doc[t.i + 1].lower_ in _VOTE_WORDS
        for t in doc[tok.sent.start : tok.i - 1]
    )


def _candidate(v: SentenceView, tok: Token, end: int, *, far: bool, explicit: bool) -> str | None:
    """The candidate a tally belongs to: 'for/to C' after it, else the nearest before it
    in the same stretch (a straw poll's numbers may follow their candidate further)."""
    doc = v.sent.doc
    j = end
    if j < v.sent.end and doc[j].lower_ in ("for", "to", "backing", "supporting"):
        for k in range(j + 1, min(v.sent.end, j + 7)):  # 'for Ruritanian envoy Jane Roe'
            m = v.at(k)
            if m is not None and m.candidate:
                if _owned_count(v, m.end) is not None:
                    break  # '24 votes to Feruta's 10': the 10 is Feruta's, not the 24
                return m.candidate
            if not (doc[k].is_alpha or doc[k].text in ("'s", "’s", "-")) or (
                m is None and doc[k].lower_ in _STOP
            ):
                break
    reach = 40 if far else 25 if explicit else 7
    lead = [t.lower_ for t in doc[v.sent.start : tok.i]]
    if lead and set(lead) <= _LEAD and end < v.sent.end:
        # 'With 139 votes, Roe was elected', 'After winning 36 votes, Roe said'
        for k in range(end, min(v.sent.end, end + 8)):
            m = v.at(k)
            if m is not None and m.candidate:
                return m.candidate
    for i in range(tok.i - 1, max(v.sent.start, tok.i - reach) - 1, -1):
        m = v.at(i)
        if m is not None and m.candidate:
            return m.candidate
        w = doc[i]
        if (w.text in (":", "(", ")", "|", "-", "–", "—") and i >= tok.i - 4) or w.is_space:
            continue  # a table row: 'Name: 30', 'Name (Country): 30', 'Name - 30'
        if v.at(i) is None and i > v.sent.start and doc[i - 1].text == "(":
            continue
        if w.lower_ in _STOP or (not far and not explicit and _value(w) is not None):
            return None
        if w.lower_ in ("he", "she", "his", "her") and explicit:
            return v.pronoun_candidate(w)
    return None


def _round(text: str) -> str | None:
    m = _ROUND.search(text)
    if m is None:
        return None
    if m.group("num"):
        return m.group("num")
    return _ORDINALS.get(m.group("ord").lower())
