"""Candidate lists: everyone a clause names as a candidate, nominee, finalist or rival.

A clause with a noun of the candidate class ("candidates", "nominee", "contenders",
"finalists", "rival"...) or a phrase that says people are standing ("in the running",
"shortlisted", "vying", "competing", "made the cut", "on the ballot", "the contest
between", "seeking to succeed") declares every candidate it names, listed or coordinated
(the phrase's own words weigh nothing: "hoping to succeed X" is no hedge); when the cue
ends the clause with a colon ("The six candidates:"), the list that follows belongs to
it. A clause that only weighs people ("possible candidates", "could be a contender") or
denies it ("not a candidate") declares no one: the mention rules read those. An official
list (a formal noun with "confirmed", "official", "remaining", "shortlisted"...)
outranks a mere mention of the same person in the sentence ("the confirmed candidates
include X", but "other leading candidates include X" is the press naming names); a loose
one (rival, contender) does not ("a leading contender, ahead of X").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from spacy.tokens import Doc

from kingmaker.extract.candidates import series_end
from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import HEDGE_STRONG, NEG_WORDS, words
from kingmaker.extract.mentions import Mention
from kingmaker.extract.prefilter import split_sentences

FORMAL = words(
    "candidate candidates nominee nominees finalist finalists shortlist short-list"
    " spitzenkandidat spitzenkandidaten"
)
OFFICIAL = words(
    "confirmed official officially formal formally declared nominated registered remaining"
    " shortlisted final announced accepted valid eligible"
)
CANDIDATE_NOUNS = FORMAL | words(
    "contender contenders challenger challengers rival rivals front-runner front-runners"
    " frontrunner frontrunners runner-up candidacy candidacies candidature candidatures"
    " contestant contestants applicant applicants"
)
STANDING = (
    ("in", "the", "running"), ("shortlisted",), ("short-listed",), ("vying",), ("competing",),
    ("made", "the", "cut"), ("on", "the", "ballot"), ("on", "the", "shortlist"),
    ("still", "standing"), ("in", "contention"), ("face", "off"), ("faced", "off"),
    ("facing", "off"), ("head-to-head",), ("run-off",), ("runoff",), ("in", "the", "race"),
    # a contest between the people it names: 'A faces B', 'A is up against B', 'takes on'
    ("up", "against"), ("take", "on"), ("takes", "on"),
    ("taking", "on"), ("pit",), ("pits",), ("went", "through"), ("go", "through"),
    ("goes", "through"),
    # losing a round or a vote: eliminated candidates were declared ones
    ("eliminated",), ("knocked", "out"), ("knocks", "out"), ("knocking", "out"), ("defeated",),
    ("beaten",), ("beat",), ("beats",), ("beating",), ("lost", "to"), ("loses", "to"),
    ("removed", "from", "the", "list"),
    # a contest named with the people in it: 'the contest between A and B', 'a three-way
    # race between A, B and C'
    *((noun, "between") for noun in ("race", "contest", "duel", "battle", "showdown", "vote")),
    *((noun, "is", "between") for noun in ("race", "contest", "duel", "battle", "choice")),
    # seeking the post: 'those seeking to succeed X', 'is running to become ...'
    *(
        (verb, "to", goal)
        for verb in ("seeking", "hoping", "bidding", "running", "campaigning")
        for goal in ("succeed", "replace", "lead", "head", "become")
    ),
)  # fmt: skip
_WEIGHED = HEDGE_STRONG | words(
    "possible potential prospective putative touted tipped floated mentioned rumoured rumored"
    " names name speculated speculation talk wish list shortlists favour favor alternative"
    " alternatives"
)
# a ranking of chances before a candidate noun: 'leading candidates include X' names
# the ones the press rates, not the field of declared candidates
_CHANCES = words("leading top main strong stronger strongest likely likeliest presumed serious")
_AIMING = words("want wants wanted hope hopes hoped aim aims seek seeks")
_EX = words("former previous past earlier unsuccessful failed lost ex")  # 'a former candidate'
_FIELD = words("field")  # 'the field includes X': the people in the race
_FOREIGN = words("party parties list lists mayor mayoral presidential parliamentary")
BASE = {"model": 0.8, "fallback": 0.75}
_DASHES = {"-", "–", "—", "--"}
_DESCRIPTION = words("the former current outgoing acting ex- ex")


def list_events(v: SentenceView) -> list[Event]:
    """Declared candidacies of every candidate named in a clause about the candidates."""
    doc = v.sent.doc
    out: dict[str, Event] = {}
    for lo, hi in v.clauses:
        cues = [w for w in v.words_in(CANDIDATE_NOUNS, lo, hi)]
        standing = [(s, e) for s, e, _ in v.find(STANDING, lo, hi)]
        spans = [(w.start, w.end) for w in cues] + standing
        own = {i for s, e in standing for i in range(s, e)}  # 'hoping to succeed': no hedge
        # what the candidates themselves want is no hedge on their being candidates: 'Four
        # candidates want the job: A, B, C and D'
        own |= {w.end for w in cues if w.end < hi and doc[w.end].lower_ in _AIMING}
        if not spans:
            continue
        first = min(s for s, _ in spans)
        opens = hi < v.sent.end and (doc[hi].text == ":" or _dash_list(v, first, hi))
        end = v.sent.end if opens else series_end(v, hi)
        official = any(doc[i].lower_ in OFFICIAL for i in range(lo, end))
        formal = (official and any(w.lower in FORMAL for w in cues)) or len(spans) > len(cues)
        aside = _heading_aside(v, lo, end)  # '(alphabetically by name)': how it is listed
        lowered = {
            doc[i].lower_
            for i in range(lo, end)
            if i not in own and i not in aside and not _party_title(doc, i, end)
        }
        if len(spans) > len(cues):  # 'seven names are in contention': a standing phrase
            lowered -= {"names", "name"}
        if lowered & (_WEIGHED | _FOREIGN) or _negated(v, spans, lo) or _press_named(v, lo, end):
            continue
        rule = "candidacy.declared.list" + (".formal" if formal else "")
        _declare(v, out, (m for m in v.mentions if lo <= m.start < end), rule)
    _declare(v, out, _titled(v), "candidacy.declared.title")
    return list(out.values())


def plain_candidates(v: SentenceView, lo: int, hi: int, s: int) -> bool:
    """Whether a candidate noun stands within the five words before token ``s`` ('the
    other candidates include', 'rivals for the post include') in a clause [lo, hi) that
    weighs nobody's chances ('possible candidates', 'leading candidates') and is about no
    other election: the names that follow are the race's candidates, as after 'the
    candidates are'."""
    doc = v.sent.doc
    noun = next(
        (i for i in range(s - 1, max(lo, s - 5) - 1, -1) if doc[i].lower_ in CANDIDATE_NOUNS), None
    )
    if noun is None:
        return False
    if any(doc[i].lower_ in _CHANCES for i in range(max(lo, noun - 3), noun)):
        return False  # 'other leading candidates include X': ranked by the press, not listed
    return not {doc[i].lower_ for i in range(lo, hi)} & (_WEIGHED | _FOREIGN)


# the race's entrants; not 'rivals', which the press also says of people only floated
# ('he faces rivals from the Baltic states, including X')
_ENTRANTS = (CANDIDATE_NOUNS - words("rival rivals")) | _FIELD


def field_before(v: SentenceView, s: int) -> bool:
    """Whether the names after token ``s`` ('include', 'among them') are the race's field
    though the noun that says so stands in an earlier clause of the sentence: a candidate
    noun (not 'rivals') or 'field' within twelve words before ('a growing field that
    includes X', 'contenders for the post, which ..., among them X', 'candidates who have
    entered the race include X'), with nothing from it on that weighs chances, looks back
    or is about another election."""
    doc = v.sent.doc
    start = max(v.sent.start, s - 12)
    noun = next((i for i in range(s - 1, start - 1, -1) if doc[i].lower_ in _ENTRANTS), None)
    if noun is None:
        return False
    around = {doc[i].lower_ for i in range(max(v.sent.start, noun - 3), s)}
    return not around & (_CHANCES | _WEIGHED | _FOREIGN | _EX)


def _heading_aside(v: SentenceView, lo: int, end: int) -> set[int]:
    """The tokens of parenthesised asides before the first name of the clause: 'The
    candidates (alphabetically by name) are: ...' says how the list is ordered, not that its
    names are only floated."""
    first = next((m.start for m in v.mentions if lo <= m.start < end), end)
    return parenthesised(v.sent.doc, lo, first)


def parenthesised(doc: Doc, lo: int, hi: int) -> set[int]:
    """The tokens from ``lo`` to ``hi`` that stand inside a parenthesis, the brackets
    included ('Jane Roe (Lab)': '(', 'Lab', ')'); a closing bracket with none open is not."""
    out: set[int] = set()
    depth = 0
    for i in range(lo, hi):
        if doc[i].text == "(":
            depth += 1
        if depth > 0:
            out.add(i)
        if doc[i].text == ")":
            depth = max(0, depth - 1)
    return out


def _declare(
    v: SentenceView, out: dict[str, Event], mentions: Iterable[Mention], rule: str
) -> None:
    """Add to ``out`` a declared candidacy by ``rule`` for each candidate of ``mentions`` not
    in it yet (the first rule to name a candidate keeps it)."""
    for m in mentions:
        if m.candidate and m.candidate not in out:
            out[m.candidate] = v.event(
                "candidacy", rule, BASE[v.ctx.mode], candidate=m.candidate, status="declared"
            )


# a person's party role ('the former party chairman', 'a party leader') describes someone;
# it does not make the clause about another contest (a party list, a party's candidates)
_PARTY_ROLES = words(
    "chairman chairwoman chair leader leaders member members official officials veteran"
    " colleague colleagues figure heavyweight secretary spokesman spokeswoman president"
)


def _party_title(doc: Doc, i: int, end: int) -> bool:
    return (
        doc[i].lower_ in ("party", "parties") and i + 1 < end and doc[i + 1].lower_ in _PARTY_ROLES
    )


# a candidate noun used as the title of the name right after it ('Russian nominee X',
# 'the Ardanian candidate, X', 'Egyptian hopeful X'): the person's standing, however the
# rest of the clause hedges ('should nominee X be elected')
_TITLES = words("candidate nominee contender hopeful challenger finalist")


def _dash_list(v: SentenceView, cue: int, hi: int) -> bool:
    """'Four candidates have been nominated - A of Borea; B; and C', 'had put up two
    candidates - Borean Finance Minister Jane Roe and ...': a clause that names no
    candidate after its cue and that a dash ends, the next name a candidate's, within
    four words or past a person's description (titles and a member's demonym)."""
    doc = v.sent.doc
    if doc[hi].text not in _DASHES or any(m.candidate for m in v.mentions if cue <= m.start < hi):
        return False
    i = hi + 1
    while i < min(v.sent.end, hi + 8):
        m = v.at(i)
        if m is not None and m.candidate:
            return True
        if m is not None and (m.kind != "member" or m.end >= v.sent.end or not doc[m.end].is_title):
            return False  # 'Borean Finance Minister X', not '- Borea said X ...'
        if m is None and not (doc[i].is_title or doc[i].lower_ in _DESCRIPTION):
            return i <= hi + 4 and _next_candidate(v, i, hi + 5)
        i = m.end if m is not None else i + 1
    return False


def _next_candidate(v: SentenceView, i: int, end: int) -> bool:
    """Whether the next name from token ``i`` is a candidate's and starts before ``end``."""
    nxt = next((m for m in v.mentions if m.start >= i), None)
    return nxt is not None and nxt.start < end and bool(nxt.candidate)


def _titled(v: SentenceView) -> list[Mention]:
    doc = v.sent.doc
    out = []
    for w in v.words_in(_TITLES, v.sent.start, v.sent.end):
        i = w.end + (1 if w.end < v.sent.end and doc[w.end].text == "," else 0)
        m = v.at(i)
        if m is None or not m.candidate or m.start != i:
            continue
        near = []  # the noun's own modifiers: up to two words, not past a name or a possessive
        for j in range(w.start - 1, max(v.sent.start, w.start - 3) - 1, -1):
            if v.at(j) is not None or doc[j].lower_ in ("'s", "’s"):
                break
            near.append(doc[j].lower_)
        if set(near) & (_WEIGHED | _EX | NEG_WORDS | _FOREIGN):
            continue
        out.append(m)
    return out


def _press_named(v: SentenceView, lo: int, hi: int) -> bool:
    """'X is named among the candidates': the press naming someone, not a nomination."""
    doc = v.sent.doc
    return any(
        doc[i].lower_ == "named" and doc[i - 1].lower_ in ("is", "was", "been", "being", "are")
        for i in range(lo + 1, hi)
    )


def _negated(v: SentenceView, spans: list[tuple[int, int]], lo: int) -> bool:
    doc = v.sent.doc
    return any(doc[i].lower_ in NEG_WORDS for s, _ in spans for i in range(max(lo, s - 4), s))


def listed_line_events(v: SentenceView) -> list[Event]:
    """Each line of the sentence that is only a candidate's name, maybe after a bullet or
    an honorific and with a parenthesis or a short description after it ('Mathias Cormann
    (Australia)', '  - Dr Jane Roe (Borea)'), under a heading line that introduces the
    candidates and ends with a colon ('The nominated candidates are:'), with nothing but
    such lines between: the candidate is declared, like any member of a list. A bulleted
    line is a list item however long its description ('  • Jane Roe, now head of X, put
    forward by Borea')."""
    out: dict[str, Event] = {}
    for m in joined_candidates(v):
        if m.candidate in out:
            continue
        start = line_start(v, m)
        if start is None:
            continue
        pos, bulleted = start
        if not (bulleted or _short_rest(v, m)) or list_heading(v, pos) is None:
            continue
        out[m.candidate or ""] = v.event(
            "candidacy", "candidacy.declared.list.lines", BASE[v.ctx.mode],
            candidate=m.candidate, status="declared",
        )  # fmt: skip
    return list(out.values())


BULLETS = frozenset("-–—•*·▪◦")
_LEAD = 80  # characters: the most a line's lead (indent, bullet, honorific) may take
HONORIFICS = words("mr mrs ms dr prof sir dame h.e. he mr. mrs. ms. dr. prof.")


def line_start(v: SentenceView, m: Mention) -> tuple[int, bool] | None:
    """Where the line that ``m`` opens starts in the article, and whether a bullet opens
    it; None unless only a bullet, a number or an honorific stands before the name."""
    doc = v.sent.doc
    text = v.ctx.text
    if not text:
        return None
    at = v.offset + doc[m.start].idx - v.sent.start_char
    lo = max(0, at - _LEAD)  # a bullet and an honorific are short: no long scan back
    nl = text.rfind("\n", lo, at) + 1
    if nl == 0 and lo > 0:
        return None
    lead = text[nl:at].split()
    bulleted = bool(lead) and (lead[0] in BULLETS or lead[0].rstrip(".)").isdigit())
    rest = lead[1:] if bulleted else lead
    if len(rest) > 1 or (rest and rest[0].lower() not in HONORIFICS):
        return None
    return nl, bulleted


def _short_rest(v: SentenceView, m: Mention) -> bool:
    """The name's line goes on, if at all, with a parenthesis or a few words after a comma."""
    doc = v.sent.doc
    rest = []
    for t in doc[m.end : v.sent.end]:
        if "\n" in t.text or "\n" in t.whitespace_:
            if not t.is_space:
                rest.append(t)
            break
        if not t.is_space:
            rest.append(t)
    return not rest or (len(rest) <= 10 and rest[0].text in ("(", ",", "-", "–"))


def list_heading(v: SentenceView, start: int | None = None) -> frozenset[str] | None:
    """The words of the heading line ('The nominated candidates are:') that the line
    starting at ``start`` (by default the sentence, which must open a line) sits under,
    with only short or bulleted lines between; None if there is none."""
    text = v.ctx.text
    if start is None:
        start = v.offset
        if not text or text[max(0, start - 1) : start] not in ("\n", ""):
            return None
    if not text:
        return None
    lines = text[max(0, start - 4000) : start].rstrip().splitlines()  # a list's reach
    for line in reversed(lines[-40:]):
        line = line.strip()
        if not line:
            continue
        if line.endswith(":"):
            said = frozenset(line.lower().replace(",", " ").split())
            noun = said & {w for w in FORMAL if w.endswith("s")}
            if noun and not said & (_WEIGHED | _FOREIGN) and not said & NEG_WORDS:
                return said
            return None
        if line[0] in BULLETS:
            continue  # an item of the same list
        if len(line.split()) > 12 or line.endswith((".", "!", "?")):
            return None  # prose between the heading and this line: not one list
    return None


def joined_candidates(v: SentenceView) -> list[Mention]:
    """The sentence's candidate mentions, two adjacent ones of the same candidate joined
    ('Vladimir' and 'Dlouhý' when the race spells the first name with an accent)."""
    out: list[Mention] = []
    for m in v.mentions:
        if not m.candidate:
            continue
        if out and out[-1].candidate == m.candidate and out[-1].end == m.start:
            out[-1] = dataclasses.replace(out[-1], end=m.end)
        else:
            out.append(m)
    return out


def opens_sentence(v: SentenceView, m: Mention) -> bool:
    """Whether ``m`` opens the sentence, after at most a bullet and honorifics ('• Mr Jan
    Roe')."""
    doc = v.sent.doc
    start = v.sent.start
    while start < m.start and (doc[start].text in BULLETS or doc[start].lower_ in HONORIFICS):
        start += 1
    return m.start == start


def name_line(v: SentenceView, m: Mention) -> bool:
    """The sentence is the name (after a bullet or an honorific: '• Mr Jan Roe'), then at
    most a parenthesis, a few words after a comma or a dash, or where they are from ('of
    the Republic of Cyprus')."""
    doc = v.sent.doc
    if not opens_sentence(v, m) or v.sent.end - m.end > 10:
        return False
    rest = [t for t in doc[m.end : v.sent.end] if not t.is_space]
    return not rest or rest[0].text in ("(", ",", "-", "–", "—", "of")


# a sentence that goes on with the rest of a set the sentence before opened: 'The others
# are A and B', 'The other two are A and B', 'Another is A', 'One of them is A', 'They are
# now joined by A and B'
_SEQUEL = re.compile(
    r"(?:the\s+others?(?:\s+(?:two|three|four|five|six|seven|eight|nine|\d+))?|another|"
    r"one\s+of\s+them|the\s+rest)\s+(?:are|were|is|was|include|includes)\b"
    # 'They are now joined by A, B and C': the set grows by those it names
    r"|they\s+(?:are|were|have\s+been|had\s+been)\s+(?:now\s+)?joined\s+by\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\bone\s+of\s+(?:the\s+)?(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
    re.IGNORECASE,
)
_SEEKING = words("seeking running standing vying competing")


def sequel_events(v: SentenceView) -> list[Event]:
    """'X is one of four contenders for the post. The others are A, B and C': a sentence
    that opens with 'the others', 'the other two', 'another' or 'one of them' and a
    copula, or with 'they are now joined by', goes on with the set of candidates the
    sentence right before it introduced (a noun of the candidate class or a standing
    phrase there, or 'one of four people seeking the post'), so every candidate it names
    is declared, as in one list."""
    if not _SEQUEL.match(v.text):
        return []
    prev = _previous_sentence(v)
    if prev is None:
        return []
    said = prev.lower().replace(",", " ").split()
    seen = set(said)
    standing = any(said[k : k + len(p)] == list(p) for p in STANDING for k in range(len(said)))
    opened = (
        seen & CANDIDATE_NOUNS or standing or (seen & _SEEKING and _NUMBER.search(prev) is not None)
    )
    doc = v.sent.doc
    here = {doc[i].lower_ for i in range(v.sent.start, v.sent.end)}
    if not opened or (seen | here) & _WEIGHED or seen & NEG_WORDS:
        return []
    out: dict[str, Event] = {}
    _declare(v, out, joined_candidates(v), "candidacy.declared.list.sequel")
    return list(out.values())


def _previous_sentence(v: SentenceView) -> str | None:
    text = v.ctx.text
    if not text or v.offset == 0:
        return None
    spans = split_sentences(text[max(0, v.offset - 600) : v.offset])
    return text[max(0, v.offset - 600) :][spans[-1][0] : spans[-1][1]] if spans else None
