"""A member's own nominee: "Ruritania's candidate, Jane Roe" is Ruritania backing Roe.

A government that nominates someone supports them. The possessive of a candidacy noun
says so ("Ruritania's candidate", "Ruritania's nominee for the post, Jane Roe", "Roe,
Ruritania's candidate"): the member named before the possessive supports the candidate
named right after the noun (past any "for the post of ..." phrase) or right before it in
apposition ("Roe, Ruritania's nominee"; "named Roe as Ruritania's candidate"). A
member's own name or acronym before a noun of being chosen does the same ("the U.S.
nominee Kim", "Kim, the U.S. nominee"), and so does the noun with its owner after "of"
("Kim, a surprise nominee of President X", "the nominee of Ruritania, Jane Roe"). A
demonym ("the Ruritanian candidate") says where someone comes from, not who nominated
them, and gives no stance; so does a member's name before "candidate" ("U.S. candidate
X") and a nominee being withdrawn. An unnamed "Ruritania's candidate" (or "Ruritania's
bid for the post", but not "its bid to join ...") is the race's one candidate from
Ruritania.

A nomination said of candidates without naming the nominating member is the home
government's: "Roe was nominated by the government", "the candidates, each nominated by
his/her government, are: ..." give each candidate's home (from the race file) as its
supporter; a list of nominated candidates ("The nominated candidates are:" over
"Jane Roe (Ruritania)" lines, or "the nominated candidates are Roe (Ruritania), ...")
gives the member in parentheses after each name. Members set against each other for the
post ("Borea is up against Calvia", "Borea and Calvia face off", "Borea battles Calvia")
each back their own national: the race's one candidate from there. A candidate who
serves a member as minister, ambassador or head of state and declares a bid ("Roe,
Ruritania's foreign minister, declared her candidacy") runs as that member's nominee;
"Ruritania said its candidate, Jane Roe, ..." names the member's nominee by a pronoun.
"""

from __future__ import annotations

import re

from kingmaker.extract.args import members_after, members_before
from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import NEG_WORDS, OFFICE_HEADS, WITHDRAW_CUES, words
from kingmaker.extract.lists import BULLETS, FORMAL, joined_candidates, list_heading, name_line
from kingmaker.extract.mentions import Mention

_NOUNS = words(
    "candidate nominee candidacy candidature bid pick choice contender hopeful favourite favorite"
)
_BIDS = words("bid bids")
_CHOSEN = words("nominee pick choice favourite favorite")  # 'the U.S. nominee', 'favourite'
_BETWEEN = words("own official sole preferred , ( )")
_WITHDRAWN = words(
    "withdrew withdrawn withdraw withdraws withdrawing withdrawal pulled pull pulls dropped drop"
    " former"
    " ex previous"
)
BASE = {"model": 0.85, "fallback": 0.8}
_NOMINATED = words("nominated proposed fielded")  # participles of the nominate class
_OWN = words("the his her / his/her its their own respective home national")
_GOVERNMENTS = words("government governments")
_CONTEST = (
    ("up", "against"), ("face", "off"), ("faces", "off"), ("facing", "off"), ("faced", "off"),
    ("battles",), ("battled",), ("battling",), ("takes", "on"), ("take", "on"),
    ("taking", "on"), ("took", "on"),
)  # fmt: skip
_MUTUAL = {"face off", "faces off", "facing off", "faced off"}


def nominee_events(v: SentenceView) -> list[Event]:
    """Support of each member for its possessively named nominee in the sentence."""
    doc = v.sent.doc
    out: list[Event] = []
    for m in v.mentions:
        if m.kind != "member" or m.end + 1 >= v.sent.end:
            continue
        attributive = doc[m.end].lower_ not in ("'s", "’s", "'")
        if attributive and not _named_attributively(v, m):
            continue
        i = m.end if attributive else m.end + 1
        while i < v.sent.end and (
            doc[i].lower_ in _BETWEEN - {",", "(", ")"}
            or (doc[i].is_upper and doc[i].is_alpha and v.at(i) is None)
        ):  # 'Argentina's IAEA hopeful': an acronym (the body) between
            i += 1
        if i >= v.sent.end or doc[i].lower_ not in (_CHOSEN if attributive else _NOUNS):
            continue
        if _withdrawn_before(v, m.start):
            continue
        cand = _after(v, i + 1) or _before(v, m)
        if _withdrawing(v, i + 1, cand):
            continue  # 'Roe, Ruritania's candidate, has pulled out': no backing to count
        rule = "stance.nominee" + (".attributive" if attributive else "")
        if cand is None and attributive:
            continue  # 'gives the post to a US candidate': nobody named
        if cand is None and _bid_elsewhere(v, i):
            continue  # 'Sweden's bid to join the alliance': a bid for something else
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


def of_nominee_events(v: SentenceView) -> list[Event]:
    """'the nominee of Ruritania, Jane Roe', 'Roe, a surprise nominee of President X':
    a noun of being chosen (nominee, pick, choice) with its owner after 'of' says what
    the possessive says: each member (or member's leader) named there backs the
    candidate named in apposition, after the owner or before the noun."""
    doc = v.sent.doc
    out: list[Event] = []
    for i in range(v.sent.start, v.sent.end - 2):
        if doc[i].lower_ not in _CHOSEN or doc[i + 1].lower_ != "of":
            continue  # 'the candidate of X' may only say where someone is from
        holders = [
            h
            for h in members_after(v, i + 1, v.sent.end)
            if h.kind in ("member", "person", "role") and not h.player
        ]
        if not holders:
            continue
        end = max(h.end for h in holders)
        cand = _apposed_before(v, i) or (
            _after(v, end + 1) if end < v.sent.end and doc[end].text == "," else None
        )
        if cand is None or _withdrawn_before(v, i) or _withdrawing(v, end, cand):
            continue
        conf = BASE[v.ctx.mode] * v.hedge(v.sent.start, min(v.sent.end, end + 2), i)[0]
        out += _backing(v, "stance.nominee.of", conf, cand, holders)
    return out


def _backing(
    v: SentenceView, rule: str, conf: float, cand: str, holders: list[Mention]
) -> list[Event]:
    """Support for ``cand`` from every member the ``holders`` name."""
    return [
        v.event("stance", rule, conf, member=mid, candidate=cand, stance="support", lifted=False)
        for h in holders
        for mid in h.members
    ]


def _apposed_before(v: SentenceView, i: int) -> str | None:
    """'Roe, a surprise nominee of ...': the candidate before the comma that opens the
    noun's phrase (an article and up to two modifiers between)."""
    doc = v.sent.doc
    j = i - 1
    while j > v.sent.start and i - j <= 3 and doc[j].is_lower and doc[j].is_alpha:
        j -= 1
    if j <= v.sent.start or doc[j].text != ",":
        return None
    m = v.at(j - 1)
    return m.candidate if m is not None and m.candidate else None


def described_nominee_events(v: SentenceView) -> list[Event]:
    """'Okoro, the Borea nominee': a member's own name before a noun of being chosen that
    the mentions read as the race's one candidate from there (no name after it) is that
    member's nominee, as 'Borea's nominee' is."""
    doc = v.sent.doc
    out: list[Event] = []
    for m in v.mentions:
        if m.kind != "person" or m.person is not None or not m.candidate:
            continue
        if m.end - m.start < 2 or doc[m.end - 1].lower_ not in _CHOSEN:
            continue
        ref = v.ctx.gaz.surfaces.get(doc[m.start : m.end - 1].text)
        if ref is None or ref.kind != "member":
            continue
        member = Mention(m.start, m.end - 1, "member", (ref.key,))
        if not _named_attributively(v, member) or _withdrawing(v, m.end, m.candidate):
            continue
        if _withdrawn_before(v, m.start):
            continue
        conf = BASE[v.ctx.mode] * v.hedge(v.sent.start, min(v.sent.end, m.end + 3), m.start)[0]
        out += _backing(v, "stance.nominee.attributive", conf, m.candidate, [member])
    return out


def _named_attributively(v: SentenceView, m: Mention) -> bool:
    """'the U.S. nominee Kim', 'Roe, the Borea nominee': a member's own name (or its
    acronym) standing before a noun of being chosen (nominee, pick, choice) says who
    chose them, as its possessive does; 'the U.S. candidate' and a demonym ('the
    Ruritanian nominee') say only where someone is from."""
    doc = v.sent.doc
    text = doc[m.start : m.end].text
    names = {v.ctx.gaz.member_names.get(mid, "").lower() for mid in m.members}
    acronym = m.end - m.start == 1 and text.replace(".", "").isupper() and len(text) <= 5
    if not acronym and text.lower() not in names:
        return False
    prev = doc[m.start - 1].lower_ if m.start > v.sent.start else ""
    return prev not in ("a", "an", "of", "'s", "’s") and not doc[m.end].is_punct


_PRONOUN_NOUNS = words("candidate nominee contender hopeful")


def pronoun_nominee_events(v: SentenceView) -> list[Event]:
    """'Ruritania said its candidate, Jane Roe, would win': the member a possessive
    pronoun stands for backs the candidate named right after the noun."""
    doc = v.sent.doc
    out: list[Event] = []
    for i in range(v.sent.start, v.sent.end - 2):
        if doc[i].lower_ not in ("its", "their") or doc[i + 1].lower_ not in _PRONOUN_NOUNS:
            continue
        named = v.at(i - 2) if i - 2 >= v.sent.start and doc[i - 1].lower_ == "as" else None
        if named is not None and named.candidate:
            cand: str | None = named.candidate  # 'Ruritania named Jane Roe as its candidate'
        elif v.at(i + 2) is None and doc[i + 2].text != ",":
            continue  # 'their candidate for the post', 'its candidate list': no name follows
        else:
            cand = _after(v, i + 2)
        if cand is None or _withdrawn_before(v, i) or _withdrawing(v, i + 2, cand):
            continue
        holders = [m for m in members_before(v, i + 1, v.sent.start) if m.kind == "member"]
        conf = BASE[v.ctx.mode] * 0.85 * v.hedge(v.sent.start, min(v.sent.end, i + 4), i)[0]
        out += _backing(v, "stance.nominee.pronoun", conf, cand, holders)
    return out


def nominated_events(v: SentenceView) -> list[Event]:
    """Support of the home government for candidates said to be nominated by their
    government, and of the member in parentheses in a list of nominated candidates."""
    doc = v.sent.doc
    cands = joined_candidates(v)
    if not cands:
        return []
    out: list[Event] = []
    said = {doc[i].lower_ for i in range(v.sent.start, v.sent.end)}
    cues = [i for i in range(v.sent.start, v.sent.end) if doc[i].lower_ in _NOMINATED]
    if any(_negated(v, i) for i in cues):
        return []
    listed = bool(cues) and bool(said & FORMAL)
    if not cues and name_line(v, cands[0]) and len(cands) == 1:
        heading = list_heading(v)
        listed = heading is not None and bool(heading & _NOMINATED)
    by_government = any(_by_government(v, i) for i in cues)
    said_before = not cues and _each_by_government(v, cands)
    by_government = by_government or said_before
    for m in cands:
        if by_government:
            home = v.ctx.gaz.candidate_homes.get(m.candidate or "")
            mids: tuple[str, ...] = (home,) if home else ()
            rule = "stance.nominate.government"
        elif listed:
            mids, rule = _parenthesised(v, m), "stance.nominate.list"
        else:
            continue
        conf = BASE[v.ctx.mode] * v.hedge(v.sent.start, v.sent.end)[0]
        if said_before:
            conf, rule = conf * 0.85, rule + ".before"
        out.extend(
            v.event("stance", rule, conf, member=mid, candidate=m.candidate,
                    stance="support", lifted=False)
            for mid in mids
        )  # fmt: skip
    return out


# 'six candidates had been nominated by their Governments', 'each of them nominated by his
# own government', 'each submitted by the candidate's government'
_EACH_BY_GOVERNMENT = re.compile(
    r"\b(?:candidates|candidatures|nominations|nominees|each|all)\b[^.:]{0,80}?"
    r"\b(?:nominated|submitted|proposed|put\s+forward)\s+by\s+"
    r"(?:(?:their|his|her|his/her|his\s+or\s+her|its|the\s+candidate'?s|each\s+candidate'?s)\s+)?"
    r"(?:own\s+)?governments?\b",
    re.IGNORECASE,
)
_REACH = 1500  # characters back from a list to the sentence that says how it was nominated


def _each_by_government(v: SentenceView, cands: list[Mention]) -> bool:
    """A list of candidates (two or more in the sentence, or one on a bulleted or bare name
    line) after a sentence that says every candidate was nominated by their own government:
    each candidate's home backs them."""
    line = v.text.strip()
    listed = len(cands) >= 2 or (
        len(cands) == 1 and (line[:1] in BULLETS or name_line(v, cands[0]))
    )
    if not listed or not v.ctx.text:
        return False
    before = v.ctx.text[max(0, v.offset - _REACH) : v.offset]
    return _EACH_BY_GOVERNMENT.search(before) is not None


def contest_events(v: SentenceView) -> list[Event]:
    """'India is up against China for the post', 'Russia and the United States face off':
    members set against each other back their own nationals (the race's one candidate
    from each), at a lower confidence than a stated backing."""
    out: list[Event] = []
    for lo, hi in v.clauses:
        for s, e, cue in v.find(_CONTEST, lo, hi):
            left = [m for m in members_before(v, s, lo) if m.kind == "member"]
            right = [m for m in members_after(v, e, hi) if m.kind == "member"]
            if not left or not (right or (cue in _MUTUAL and len(left) > 1)):
                continue
            for m in left + right:
                cand = _home(v, m)
                if cand is None:
                    continue
                conf = BASE[v.ctx.mode] * 0.85 * v.hedge(lo, hi)[0]
                out.extend(
                    v.event("stance", "stance.contest", conf, member=mid, candidate=cand,
                            stance="support", lifted=False)
                    for mid in m.members
                )  # fmt: skip
    return out


_DECLARING = re.compile(
    r"\b(?:declar|announc|launch|formali[sz]|submitt?|confirm|register)\w*\s+"
    r"(?:(?:his|her|a|the|its|their|formal|official)\s+)*(?:candidacy|candidature|bid)\b"
)
_OFFICES = OFFICE_HEADS | words("representative")
_OFFICE_WORDS = _OFFICES | words(
    "the of to for foreign affairs permanent deputy vice prime state secretary , 's ’s"
)


def official_events(v: SentenceView) -> list[Event]:
    """A candidate who serves a member as minister, ambassador or head declaring a bid
    runs as that member's nominee: 'The Ruritanian ambassador to the council, Jane Roe,
    declared her candidacy', 'Roe, Ruritania's foreign minister, announced her bid' (not
    a former office; at a lower confidence than a stated nomination)."""
    said = [x.start() + v.sent.start_char for x in _DECLARING.finditer(v.text.lower())]
    if not said:
        return []
    doc = v.sent.doc
    out: list[Event] = []
    for c in v.mentions:
        # the candidate declares: named before the declaring words, not after them
        at = next((x for x in said if x > doc[c.end - 1].idx), None)
        if not c.candidate or at is None:
            continue
        m = _office_before(v, c.start) or _office_after(v, c.end)
        if m is None:
            continue
        # hedges up to the declaring words ('(May 24)' later on is a date)
        end = next((t.i for t in v.sent if t.idx >= at), v.sent.end) + 4
        conf = BASE[v.ctx.mode] * 0.85 * v.hedge(v.sent.start, min(end, v.sent.end))[0]
        out.extend(
            v.event("stance", "stance.nominee.official", conf, member=mid,
                    candidate=c.candidate, stance="support", lifted=False)
            for mid in m.members
        )  # fmt: skip
    return out


def _office_before(v: SentenceView, i: int) -> Mention | None:
    """'The Ruritanian ambassador to the council, Roe': the member before an office."""
    doc = v.sent.doc
    office = False
    j = i - 1
    while j >= max(v.sent.start, i - 10):
        m = v.at(j)
        if m is not None:
            ok = m.kind == "member" and not m.candidate and office
            return m if ok else None
        w = doc[j].lower_
        if w in ("former", "ex", "then", "outgoing"):
            return None
        office = office or w in _OFFICES
        if w not in _OFFICE_WORDS and not (doc[j].is_upper or doc[j].is_title):
            return None
        j -= 1
    return None


def _office_after(v: SentenceView, i: int) -> Mention | None:
    """'Roe, Ruritania's foreign minister, ...': the member of an office in apposition."""
    doc = v.sent.doc
    while i < min(v.sent.end, i + 2) and doc[i].is_title and v.at(i) is None:
        i += 1  # the rest of the name: 'Tedros' + 'Adhanom'
    if i + 2 >= v.sent.end or doc[i].text != ",":
        return None
    m = v.at(i + 1)
    if m is None or m.kind != "member" or m.candidate:
        return None
    for j in range(m.end, min(v.sent.end, m.end + 5)):
        w = doc[j].lower_
        if w in _OFFICES:
            return m
        if w not in _OFFICE_WORDS:
            return None
    return None


def _negated(v: SentenceView, i: int) -> bool:
    doc = v.sent.doc
    return any(doc[j].lower_ in NEG_WORDS for j in range(max(v.sent.start, i - 4), i))


def _by_government(v: SentenceView, i: int) -> bool:
    """'nominated by the government', 'by his/her government', 'by their governments'."""
    doc = v.sent.doc
    if i + 1 >= v.sent.end or doc[i + 1].lower_ != "by":
        return False
    j = i + 2
    while j < min(v.sent.end, i + 7) and doc[j].lower_ in _OWN:
        j += 1
    return j < v.sent.end and doc[j].lower_ in _GOVERNMENTS and v.at(j + 1) is None


def _parenthesised(v: SentenceView, m: Mention) -> tuple[str, ...]:
    """The member in parentheses right after a name: 'Jane Roe (Ruritania)'."""
    doc = v.sent.doc
    if m.end + 1 >= v.sent.end or doc[m.end].text != "(":
        return ()
    inside = v.at(m.end + 1)
    if inside is None or inside.kind != "member":
        return ()
    if inside.end < v.sent.end and doc[inside.end].text != ")":
        return ()  # the parenthesis holds more than the member (a line may end unclosed)
    return inside.members


def _withdrawn_before(v: SentenceView, i: int) -> bool:
    """A withdrawal cue among the four words before token ``i`` ('withdrew Ruritania's
    candidate'): the nominee phrase names someone being withdrawn, not backed."""
    doc = v.sent.doc
    return any(doc[j].lower_ in _WITHDRAWN for j in range(max(v.sent.start, i - 4), i))


def _withdrawing(v: SentenceView, i: int, cand: str | None) -> bool:
    """The nominee phrase is the subject of a withdrawal that follows it ('Roe, Ruritania's
    candidate for the post, has pulled out'; "Ruritania's candidate withdrew her bid"):
    a withdrawal cue within the next twenty words, with no other candidate and no negation
    before it."""
    end = min(v.sent.end, i + 20)
    found = v.find(WITHDRAW_CUES, i, end)
    if not found:
        return False
    s = found[0][0]
    doc = v.sent.doc
    others = [m for m in v.mentions if i <= m.start < s and m.candidate and m.candidate != cand]
    return not others and not any(doc[j].lower_ in NEG_WORDS for j in range(max(i, s - 3), s))


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


def _bid_elsewhere(v: SentenceView, i: int) -> bool:
    """Whether the bid at token ``i`` is for something the sentence names by a verb
    ('Sweden's bid to join NATO', 'Qatar's bid to host the Cup'), not for the post."""
    doc = v.sent.doc
    return doc[i].lower_ in _BIDS and i + 1 < v.sent.end and doc[i + 1].lower_ == "to"


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
    if j > v.sent.start and doc[j].lower_ == "the" and doc[m.end].lower_ in _CHOSEN:
        j -= 1  # 'Roe, the U.S. nominee' (a member named attributively)
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
