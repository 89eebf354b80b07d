"""Stance rules: who (members) backs, opposes or weighs whom (candidates), per trigger.

For each trigger the holders are found (in model mode from the dependency parse:
subjects and their conjuncts, passive agents, possessors; otherwise by position: the
nearest list of members before an active verb, after "by"/"from"/"of"; for a gerund
after "by", the subject of the clause it modifies: "Borea joined the race by nominating
Roe"), then the target candidate (object, "for X", possessor of "bid", a pronoun, else
the candidate the sentence is about), then negation and hedges. One event per holder, so
coordinated subjects give one event each.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc

from kingmaker.extract import syntax
from kingmaker.extract.args import (
    list_from,
    members_after,
    members_before,
    members_inside,
    relied_on,
    semicolon_items,
    target_after,
    target_before,
)
from kingmaker.extract.context import SentenceView
from kingmaker.extract.counts import number
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import (
    ASPECT_NEG,
    CANDIDATE_SET_NOUNS,
    DEMONYM_ENDS,
    MODALS_STRONG,
    NEG_WORDS,
    OPPOSE_VERBS,
    REFUSE,
    RETRACT,
    SUPPORT_NOUNS,
    SUPPORT_VERBS,
    WITHDRAW_CUES,
    forms,
    words,
)
from kingmaker.extract.lists import CANDIDATE_NOUNS
from kingmaker.extract.mentions import Mention
from kingmaker.extract.triggers import Trigger, find_triggers

BASE = {"model": 0.9, "fallback": 0.8}
_ABLE = words("can")  # could, may, might: hedges, kept below the bar
GROUP = 0.55
BLOC = 4  # a named group this large is a bloc (the EU, the African Union), not a few allies
_ADVERBIAL = words(
    "on in at during after before this last too also now so as since again today"
    " and or but while whereas from throughout until"
)  # 'voted against and abstained': no object
ELLIPSIS = tuple((w, x) for w in ("did", "do", "does", "done") for x in ("so", "too"))
# 'X opposes C, as do Y and Z', 'and so did Y': the members after take the stance
AS_DO = tuple((w, x) for w in ("as", "so") for x in ("do", "does", "did", "have", "has", "had"))
_LEAD = words("the most many several other all both")  # 'as do most of the others'

Args = tuple[list[Mention], str | None, str]
_PRESS = forms(
    "ask", "urge", "press", "pressure", "pressurise", "pressurize", "lean", "persuade", "lobby"
)
_STOP_BACKING = forms("stop", "cease", "abandon") | words("give gave giving gives drop dropping")
_BACKING = SUPPORT_VERBS | SUPPORT_NOUNS
_JOIN = forms("join")
_PRESSED = words(
    "the its their all other others fellow them it him her not , and members countries states"
    " governments leaders capitals"
    # a meeting of members or its partners: 'asked the summit to support X'
    " summit partners allies"
)
_LIST_VERBS = words("include includes included are were comprise : ,")
_DENY = forms("deny", "dismiss", "refute") | words("denial")
_LIST_GLUE = words("and , or the")
_SET_DETS = words("the this that these all both its their whole entire proposed agreed new")
_COORD = words(", and & or as well both also 's ’s")
_TITLES = words(
    "prime minister president foreign former incumbent candidate dr dr. mr mr. ms ms. mrs"
    " professor prof. the its their his her"
)


def stance_events(v: SentenceView) -> list[Event]:
    """Stance events of one sentence (and of 'X did so' after a stance in it)."""
    out: list[Event] = []
    last: tuple[Trigger, str] | None = None
    for lo, hi in v.clauses:
        pressed = _pressing(v, lo, hi)
        for p, _ in pressed:
            out.extend(_events(v, p, lo, hi, members_before(v, p.start, lo), p.cue, "before"))
        for trig in find_triggers(v, lo, hi):
            if any(p.start < trig.start < end for p, end in pressed):
                continue  # 'pressed others to give up their support for X': not their support
            parsed = syntax.stance_args(v, trig) if v.model else None
            holders, target, how = parsed if parsed is not None else window_args(v, trig, lo, hi)
            if not holders and (adverbial := _by_doing(v, trig, lo, hi)) is not None:
                holders, target, how = adverbial
            if parsed is not None and (trig.passive or trig.noun):
                # the list the parse may cut short: 'backed by A and by B', 'the support of
                # A, of B and of C'
                holders += [m for m in members_after(v, trig.end, hi) if m not in holders]
            if target and trig.polarity in ("support", "oppose"):
                holders = holders + _joined(v, trig, holders, lo)
                last = (trig, target)
            out.extend(_events(v, trig, lo, hi, holders, target, how))
        out.extend(_ellipsis(v, lo, hi, last))
    return _turned(out)


def _by_doing(v: SentenceView, t: Trigger, lo: int, hi: int) -> Args | None:
    """'Borea joined the race for the post by nominating Roe', 'By nominating Roe, Borea
    joined ...': a gerund after 'by' has the subject of the clause it modifies, the
    members opening that clause (or right after the comma that closes the gerund's
    phrase when the phrase opens the sentence)."""
    doc = v.sent.doc
    by = t.start - 1
    if t.noun or t.passive or by < lo or doc[by].lower_ != "by":
        return None
    if not doc[t.start].lower_.endswith("ing"):
        return None
    target = target_after(v, t, hi, reach=9)
    if not target:
        return None
    if by == v.sent.start:  # 'By nominating Roe, Borea joined ...'
        comma = next(
            (i for i in range(t.end, min(v.sent.end, t.end + 15)) if doc[i].text == ","), None
        )
        if comma is None:
            return None
        i = comma + 1
        i += 1 if i < v.sent.end and doc[i].lower_ == "the" else 0
        subject = v.at(i) if i < v.sent.end else None
        if subject is None or not subject.members:
            return None
        holders = members_after(v, i, v.sent.end)
    else:  # 'Borea has joined the contest ... by nominating Roe'
        first = next((m for m in v.mentions if lo <= m.start < by), None)
        if (
            first is None
            or not first.members
            or any(not (doc[i].is_title or doc[i].lower_ == "the") for i in range(lo, first.start))
        ):
            return None
        holders = members_after(v, first.start, by)
    holders = [h for h in holders if not h.player]
    return (holders, target, "by-doing") if holders else None


def _joined(v: SentenceView, t: Trigger, holders: list[Mention], lo: int) -> list[Mention]:
    """'Borea joined Calvia in opposing X': whoever joins the holders of a stance 'in'
    it holds it too (the members right before 'joined')."""
    doc = v.sent.doc
    if not holders or t.start - 1 <= lo or doc[t.start - 1].lower_ != "in":
        return []
    if max(h.end for h in holders) != t.start - 1:
        return []
    j = min(h.start for h in holders) - 1
    if j <= lo or doc[j].lower_ not in _JOIN:
        return []
    return [m for m in members_before(v, j, lo) if m not in holders and not m.player]


def _pressing(v: SentenceView, lo: int, hi: int) -> list[tuple[Trigger, int]]:
    """'asked Roe to withdraw', 'pressed others to stop supporting Roe', 'urged Borea to
    give up its support for Roe': pressing a candidate to quit, or members to stop backing
    them, is opposing that candidate; 'urged Borea to back Roe' is backing them ('not to
    back Roe': opposing). Each as a trigger whose cue is the candidate, with the end of the
    span whose own triggers it replaces."""
    doc = v.sent.doc
    out: list[tuple[Trigger, int]] = []
    for i in range(lo, hi):
        if doc[i].lower_ not in _PRESS:
            continue
        end = min(hi, i + 12)
        quit_ = v.find(WITHDRAW_CUES, i + 1, end)
        stop = [
            j
            for j in range(i + 1, end - 1)
            if doc[j].lower_ in _STOP_BACKING
            and any(doc[k].lower_ in _BACKING for k in range(j + 1, min(hi, j + 4)))
        ]  # 'stop supporting X', 'give up their support for X'
        pol, rule, span_end = "oppose", "stance.press", None  # None: the candidate's end
        if stop:
            far = min(hi, stop[0] + 9)
            who = [m for m in v.mentions if stop[0] < m.start < far and m.candidate]
        elif quit_:
            who = [m for m in v.mentions if i < m.start < quit_[0][0] and m.candidate]
            span_end = quit_[0][1]
        elif back := _to_back(v, i + 1, end):
            # 'urged Borea to back X', 'persuade Calvia to support X': pressing others to
            # back a candidate is backing them ('not to back X': opposing them)
            j, pol = back
            rule = "stance.press.back"
            who = [m for m in v.mentions if j < m.start < min(hi, j + 5) and m.candidate]
        else:
            continue
        if len({m.candidate for m in who}) == 1 and who[0].candidate:
            trig = Trigger(i, i + 1, pol, False, False, rule, who[0].candidate)
            out.append((trig, who[0].end if span_end is None else span_end))
    return out


def _to_back(v: SentenceView, lo: int, hi: int) -> tuple[int, str] | None:
    """The backing verb of 'to back' ('not to back') after a verb of pressing, and the
    stance the presser takes; None when anything but the pressed members comes first."""
    doc = v.sent.doc
    for j in range(lo, hi - 1):
        if doc[j].lower_ == "to" and doc[j + 1].lower_ in _BACKING:
            return j + 1, "oppose" if doc[j - 1].lower_ == "not" else "support"
        if v.at(j) is None and doc[j].lower_ not in _PRESSED:
            return None  # only the pressed members stand between: 'urged Borea to back X'
    return None


def _turned(events: list[Event]) -> list[Event]:
    """'X, which had opposed C, now backs C': the support is a lifted objection."""
    opposed = {
        (e.member, e.candidate) for e in events if e.stance == "oppose" and ".past" in e.rule
    }
    out = []
    for e in events:
        if e.stance == "support" and ".past" not in e.rule and (e.member, e.candidate) in opposed:
            e = dataclasses.replace(e, lifted=True, rule=e.rule + ".turned")
        out.append(e)
    return out


def _ellipsis(v: SentenceView, lo: int, hi: int, last: tuple[Trigger, str] | None) -> list[Event]:
    """'after Slovakia did so', 'Borea opposes Roe, as do Calvia and Dravia', 'and so did
    Calvia': the holders take the last stance of the sentence, un-negated."""
    if last is None:
        return []
    out: list[Event] = []
    t = last[0]
    for s, _, _ in v.find(ELLIPSIS, lo, hi):
        if s <= t.start:
            continue
        holders = members_before(v, s, lo)
        again = Trigger(s, s + 2, t.polarity, False, False, "stance.ellipsis", t.cue)
        out.extend(_events(v, again, lo, hi, holders, last[1], "before"))
    for s, e, _ in v.find(AS_DO, lo, hi):
        if s <= t.start:
            continue
        j = e
        while j < min(hi, e + 3) and v.at(j) is None and v.sent.doc[j].lower_ in _LEAD:
            j += 1
        holders = list_from(v, j, hi) if v.at(j) is not None else []
        again = Trigger(s, e, t.polarity, False, False, "stance.ellipsis.as", t.cue)
        out.extend(_events(v, again, lo, hi, holders, last[1], "after"))
    return out


def _events(
    v: SentenceView,
    t: Trigger,
    lo: int,
    hi: int,
    holders: list[Mention],
    target: str | None,
    how: str,
) -> list[Event]:
    if not holders or not target:
        return []
    stance, lifted, neg, past = _polarity(v, t, holders, lo)
    if stance is None or (t.rule == "stance.agree" and _agreed_against(v, t, hi)):
        return []
    if t.polarity == "nominate" and _nominee_withdrew(v, t, target):
        return []  # 'Japan had nominated Roe, but he withdrew his candidacy': over
    if v.words_in(_DENY, max(v.sent.start, t.start - 12), t.start):
        return []  # 'Borea denied reports that it backs Okoro
    first = min(min(m.start for m in holders), t.start)
    # what was agreed ('that X should take the post') is no hedge on the agreement
    top = t.start if t.rule == "stance.agree" else min(hi, t.end + 3)
    factor, _ = v.hedge(lo, top, anchor=first)
    conf = BASE[v.ctx.mode] * factor * (0.85 if how.endswith("implicit") else 1.0)
    presupposed = lifted and factor < 0.8
    if presupposed:  # 'could drop its opposition': the opposition itself is stated
        stance, lifted = "oppose", False
        conf = BASE[v.ctx.mode] * 0.85 * (0.85 if how.endswith("implicit") else 1.0)
    rule = f"{t.rule}.{how}" + (".neg" if neg else "") + (".past" if past else "")
    rule += ".presupposed" if presupposed else ""
    out = []
    seen: set[tuple[str, str]] = set()
    targets = coordinated(v, target, t, holders)
    for h in holders:
        for cand in targets:
            if h.candidate == cand:
                continue
            for mid in h.members:
                if (mid, cand) in seen:
                    continue
                seen.add((mid, cand))
                more = ".coord" if cand != target else ""
                # a bloc's statement is not each member's own: kept for review, below the bar
                bloc = h.kind == "group" and len(h.members) > BLOC
                out.append(
                    v.event(
                        "stance", rule + more + (".group" if bloc else ""),
                        conf * (GROUP if bloc else 1.0), member=mid, candidate=cand,
                        stance=stance, lifted=lifted,
                    )
                )  # fmt: skip
    return out


def _nominee_withdrew(v: SentenceView, t: Trigger, target: str) -> bool:
    """The nominee withdraws later in the sentence: a withdrawal cue whose subject, just
    before it, is the nominee by name or by a pronoun ('..., but he withdrew')."""
    doc = v.sent.doc
    for s, _, _ in v.find(WITHDRAW_CUES, t.end, v.sent.end):
        for i in range(s - 1, max(t.end, s - 3) - 1, -1):
            m = v.at(i)
            if m is not None:
                if m.candidate == target:
                    return True
                break
            if doc[i].lower_ in ("he", "she") and v.pronoun_candidate(doc[i]) == target:
                return True
    return False


def _agreed_against(v: SentenceView, t: Trigger, hi: int) -> bool:
    """'agreed that Roe should withdraw', 'agreed to block Roe': what was agreed is no backing."""
    return bool(v.find(WITHDRAW_CUES, t.end, hi) or v.words_in(OPPOSE_VERBS | NEG_WORDS, t.end, hi))


def coordinated(v: SentenceView, target: str, t: Trigger, holders: list[Mention]) -> list[str]:
    """The target and the candidates coordinated with it ('backs A and B', 'A, B and C,
    backed by X'): a stance is distributed over every conjunct."""
    skip = {h.start for h in holders}
    first = next(
        (m for m in v.mentions if m.candidate == target and m.start >= t.end), None
    ) or next((m for m in reversed(v.mentions) if m.candidate == target and m.end <= t.start), None)
    if first is None:
        return [target]
    out = [target]
    for step in (1, -1):
        cur = first
        while True:
            nxt = _conjunct(v, cur, step, skip)
            if nxt is None or nxt.candidate is None:
                break
            if nxt.candidate not in out:
                out.append(nxt.candidate)
            cur = nxt
    return out


def _conjunct(v: SentenceView, m: Mention, step: int, skip: set[int]) -> Mention | None:
    """The next candidate mention across glue ('and', ',', 'as well as', a member's name
    with its possessive, a title), in direction ``step``, within the clause."""
    doc = v.sent.doc
    lo, hi = v.clause_of(m.start)
    i = m.end if step > 0 else m.start - 1
    glued = False
    for _ in range(8):
        if not lo <= i < hi:
            return None
        other = v.at(i)
        if other is not None and other.candidate and other.start not in skip:
            return other if glued else None
        if other is not None and other.start not in skip and not other.candidate:
            i = other.end if step > 0 else other.start - 1
            continue
        w = doc[i].lower_
        if w in _COORD:
            glued = glued or w in ("and", ",", "&", "or", "well")
        elif not (w in _TITLES or (doc[i].is_title and not glued)):
            return None
        i += step
    return None


_RETRACTED = words("its his her their the formal public earlier previous own initial")


def _retracted(doc: Doc, start: int, lo: int) -> bool:
    """Whether a verb of taking back governs the support noun at ``start``: 'withdrew its
    support', 'rescinded his earlier endorsement' (not 'withdrew his candidacy and threw
    its support behind X', where the support is given)."""
    i = start - 1
    while i >= lo and i > start - 4 and doc[i].lower_ in _RETRACTED:
        i -= 1
    return i >= lo and doc[i].lower_ in RETRACT


def _polarity(
    v: SentenceView, t: Trigger, holders: list[Mention], lo: int
) -> tuple[str | None, bool, bool, bool]:
    """The stance after negation: (stance or None to drop, lifted, negated, past perfect)."""
    doc = v.sent.doc
    before = [m.end for m in holders if m.end <= t.start]
    last = max(before) if before else max(lo, t.start - 6)
    attributive = [m for m in holders if _attributive(v, m, t)]
    if attributive:
        # a member naming the noun ('French support', 'Hungary's veto'): its negation
        # stands before the member ('does not have French support')
        last = max(lo, min(m.start for m in attributive) - 4)
    for i in range(t.start - 1, last, -1):
        if doc[i].text == ",":
            last = i
            break
    between = [doc[i].lower_ for i in range(max(last, t.start - 8), t.start)]
    past = _pluperfect(between, None if t.noun else doc[t.start].lower_)
    if _capability(v, t, between):
        return None, False, False, past
    if t.polarity in ("support", "oppose") and "yet" in between:
        return None, False, True, past
    negated = any(w in NEG_WORDS or w in _LACK for w in between) or any(
        doc[i].lower_ in ("neither", "nor") for i in range(lo, t.start)
    )  # 'neither A nor B backs X', 'lacks French support'

    refused = any(w in REFUSE for w in between)
    if t.noun and t.polarity == "support" and _retracted(doc, t.start, lo):
        # 'withdrew its support for X': the backing no longer holds; not an objection
        return (None if negated else "neutral"), False, negated, past
    if t.polarity == "lifted":
        return ("support", True, False, past) if not negated else ("oppose", False, True, past)
    if t.polarity == "nominate":
        return (None, False, True, past) if negated else ("support", False, False, past)
    if not negated and not refused:
        return t.polarity, False, False, past
    if t.polarity != "support" or any(w in ASPECT_NEG for w in between):
        return None, False, True, past
    if refused or any(w in MODALS_STRONG or w in ("does", "do") for w in between):
        return "oppose", False, True, past
    return None, False, True, past


_ADVERBS = frozenset({"first", "already", "earlier", "initially", "long", "once", "previously"})
_PARTICIPLES = frozenset(
    {"had", "been", "put", "said", "made", "told", "sought", "held", "won", "set", "led", "left",
     "got", "kept", "met", "stood", "brought", "thought", "felt", "meant", "sent", "spent", "lost"}
)  # fmt: skip


def _pluperfect(words: list[str], verb: str | None) -> bool:
    """Whether 'had' in ``words`` (the words before a trigger, the trigger ``verb`` after
    them when it is a verb) makes a past perfect ('had backed', 'had first backed', 'had
    had the support of'), not 'had' as the verb itself ('X had the support of A': held
    it then, as the article reports it)."""
    for j, w in enumerate(words):
        if w != "had":
            continue
        rest = [x for x in [*words[j + 1 :], *([verb] if verb else [])] if x not in _ADVERBS]
        if rest and (rest[0].endswith(("ed", "en", "wn")) or rest[0] in _PARTICIPLES):
            return True
    return False


_BIDS = frozenset({"bid", "bids", "candidacy", "candidature", "nomination", "campaign", "run"})


def _of_a_thing(v: SentenceView, holders: list[Mention]) -> bool:
    """'..., which Russia opposed': members after 'which' act on its antecedent, a thing
    (a person would be 'whom'), unless the thing is someone's bid ('her candidacy, which
    Dravia backed')."""
    first = min(m.start for m in holders)
    doc = v.sent.doc
    if not (first > v.sent.start and doc[first - 1].lower_ == "which"):
        return False
    j = first - 2
    if j >= v.sent.start and doc[j].text == ",":
        j -= 1
    return not (j >= v.sent.start and doc[j].lower_ in _BIDS)  # 'her candidacy, which A backed'


def _attributive(v: SentenceView, m: Mention, t: Trigger) -> bool:
    """Whether member ``m`` modifies the trigger noun: right before it as a demonym or a
    possessive ('French support', 'Hungary's veto'), not the subject of a verb."""
    doc = v.sent.doc
    if m.end == t.start:
        return t.noun or doc[m.end - 1].lower_.endswith(DEMONYM_ENDS)
    return m.end + 1 == t.start and doc[m.end].lower_ in ("'s", "’s")


def _capability(v: SentenceView, t: Trigger, between: list[str]) -> bool:
    """'any of them can veto', 'could block', 'veto power', 'the right to veto': what a
    member is able to do, not what it does (a negated modal still counts: 'cannot back')."""
    if t.polarity not in ("support", "oppose"):
        return False
    near = between[-3:]
    if any(w in _ABLE for w in near) and not any(w in NEG_WORDS for w in between[-3:]):
        return True
    doc = v.sent.doc
    nxt = doc[t.end].lower_ if t.end < v.sent.end else ""
    prev = doc[t.start - 2 : t.start].text.lower() if t.start - 2 >= v.sent.start else ""
    return nxt in ("power", "powers", "right", "rights") or prev in ("power to", "right to")


_LACK = frozenset({"lack", "lacks", "lacked", "lacking", "without"})
_APPOSED_NOUNS = frozenset({"candidate", "nominee", "contender", "hopeful", "pick", "choice"})


def _apposed_before(v: SentenceView, t: Trigger, lo: int) -> str | None:
    """'Roe, the Borea-backed candidate': the candidate named just before the comma that
    opens an apposition whose noun (right after the trigger) is a candidate noun."""
    doc = v.sent.doc
    if t.end >= v.sent.end or doc[t.end].lower_ not in _APPOSED_NOUNS:
        return None
    i = t.start - 1
    while i > lo and doc[i].lower_ in ("the", "a", "an"):
        i -= 1
    if i <= lo or doc[i].text != ",":
        return None
    m = v.at(i - 1)
    return m.candidate if m is not None and m.candidate else None


def _fronted_subject(v: SentenceView, t: Trigger) -> tuple[int, str] | None:
    """'Backed by A and B, X is the favourite': a passive participle opening the sentence
    describes the subject of the clause after its comma: the first name within seven
    words of it, past a demonym describing it ('the Portuguese minister X'). Returns the
    comma, where the participle's agents end, and that candidate."""
    doc = v.sent.doc
    if not t.passive or t.start > v.sent.start + 1:
        return None
    end = min(v.sent.end, t.end + 14)
    comma = next((i for i in range(t.end, end) if doc[i].text == ","), None)
    if comma is None:
        return None
    i = comma + 1
    while i < min(v.sent.end, comma + 8):
        m = v.at(i)
        if m is not None and not m.candidate and doc[m.end - 1].lower_.endswith(DEMONYM_ENDS):
            i = m.end  # 'the Portuguese minister X': a description of the subject
            continue
        if m is not None:  # the first name after the comma, a candidate or not
            return (comma, m.candidate) if m.candidate else None
        i += 1
    return None


def window_args(v: SentenceView, t: Trigger, lo: int, hi: int) -> Args:
    """Holders and target by position within the clause."""
    holders: list[Mention] = []
    how = "before"
    if t.rule.endswith(".backers"):  # 'supporters of X include A and B'
        return backers(v, t, lo, hi)
    if t.rule == "stance.votes":  # the candidate before got the votes of the members after
        doc = v.sent.doc
        of = next(
            (i for i in range(t.end, hi) if doc[i].lower_ in ("of", "from")
             and doc[i - 1].lower_ in ("those", doc[t.start].lower_)),
            hi,
        )  # fmt: skip
        holders = [h for h in members_after(v, of, hi) if not h.player]
        target = target_before(v, t.start, lo) if holders else None
        return (holders, target, "after") if target else ([], None, "after")
    if t.rule == "stance.rely":  # the candidate relies on the members after 'of'
        holders = [h for h in relied_on(v, t.end, hi) if not h.player]
        target = target_before(v, t.start, lo) if holders else None
        return (holders, target, "after") if target else ([], None, "after")
    if t.polarity == "lifted" or t.rule == "stance.compound":
        holders, how = members_inside(v, t.start, t.end), "inside"
        if t.rule == "stance.compound":
            target = target_after(v, t, hi, reach=3) or _apposed_before(v, t, lo)
            return holders, target or None, how
    if not holders and (t.noun or t.passive):
        holders = members_after(v, t.end, hi)
        how = "after" if holders else how
        if not holders and t.noun and _unknown_agent(v, t.end, hi):
            return [], None, how
    if not holders and not (t.passive and t.polarity in ("support", "oppose")):
        # (a passive's holders are its agents, 'backed by A'; the members before it are
        # what it is said of: 'X won the support of A and was approved on Thursday')
        holders, how = members_before(v, t.start, lo), "before"
    if not holders and t.polarity in ("support", "oppose") and not t.noun:
        holders, how = shared_subject(v, t, lo), "shared-subject"
    holders += _semicolon_list(v, holders, how, lo, hi)
    holders = [h for h in holders if not h.player]
    if not holders:
        return [], None, how
    if how == "before" and _of_a_thing(v, holders):
        return [], None, how  # 'the talks on the agreement, which Russia opposed': a thing
    neutral = t.polarity == "neutral"
    first = min(m.start for m in holders)
    if how == "after" and _unnamed_set(v, t):
        return [], None, how  # 'beating two rivals backed by X': the rivals, not the subject
    if how == "after":
        target = target_before(v, min(first, t.start), lo)
        fronted = None if target else _fronted_subject(v, t)
        if fronted is not None:  # the participle's agents end at its comma
            comma, target = fronted
            holders = [h for h in holders if h.start < comma]
    else:
        target = target_after(
            v, t, v.sent.end if neutral else hi, reach=30 if neutral else 9, commas=neutral
        )
        if target == "" or (target is None and t.cue == "behind"):
            return [], None, how
        if target is None and (t.noun or t.passive):
            target = target_before(v, first, lo)
    if target is None and hi < v.sent.end and v.sent.doc[hi].text == ":":
        target = _after_colon(v, hi)  # 'Germany submitted a candidacy for the post: Roe'
    if target is None and t.polarity == "nominate":
        target = own_candidate(v, holders) if t.cue == "own candidate" else None
        return holders, target, how
    if target is None and t.polarity in ("support", "oppose") and _candidate_set(v, t.end, hi):
        return holders, implicit_target(v, first), how + ".set.implicit"
    if target is None and _has_object(v, t, hi):
        return [], None, how
    if target is None:
        target = implicit_target(v, first)
        how += ".implicit"
    return holders, target, how


def _unnamed_set(v: SentenceView, t: Trigger) -> bool:
    """A passive participle right after a plural candidate noun that names nobody ('two
    candidates backed by X', 'rivals supported by Y'): the stance is about those."""
    if not t.passive or t.start - 1 < v.sent.start:
        return False
    w = v.sent.doc[t.start - 1].lower_
    return w in CANDIDATE_NOUNS and w.endswith("s") and v.at(t.start - 1) is None


def backers(v: SentenceView, t: Trigger, lo: int, hi: int) -> Args:
    """'Supporters of Okoro include A and B', 'Okoro's backers include A', 'his opponents:
    A, B', 'the countries supporting Okoro are A and B': the candidate after 'of' or the
    participle, or before the noun; the members after the copula."""
    doc = v.sent.doc
    end = min(v.sent.end, hi + 1, t.end + 8)  # the copula may end the clause (':')
    of = t.end < end and (doc[t.end].lower_ == "of" or t.cue.endswith("ing"))
    target = (target_after(v, t, hi, reach=4) if of else None) or target_before(
        v, t.start, max(lo, t.start - 3)
    )
    cop = next((i for i in range(t.end, end) if doc[i].lower_ in _LIST_VERBS), None)
    if not target or cop is None:
        return [], None, "after"
    holders = members_after(v, cop + 1, v.sent.end)
    return holders, target, "after"


def _after_colon(v: SentenceView, colon: int) -> str | None:
    """The candidate opening what follows a colon that ends the trigger's clause."""
    for i in range(colon + 1, min(v.sent.end, colon + 4)):
        m = v.at(i)
        if m is not None:
            return m.candidate
    return None


def _semicolon_list(
    v: SentenceView, holders: list[Mention], how: str, lo: int, hi: int
) -> list[Mention]:
    """Members that go on past the clause over semicolons ('backed by A; B; and C',
    'A; B; and C back X'): only segments that hold nothing but members and glue."""
    doc = v.sent.doc
    if not holders:
        return []
    if how == "after" and max(h.end for h in holders) >= hi - 1:
        return semicolon_items(v, hi, 1)
    if how == "before" and all(
        doc[i].lower_ in _LIST_GLUE for i in range(lo, min(h.start for h in holders))
    ):
        return semicolon_items(v, lo - 1, -1)
    return []


def shared_subject(v: SentenceView, t: Trigger, lo: int) -> list[Mention]:
    """'Ruritania first pushed its own man but later chose to back Roe': a verb
    coordinated with an earlier one shares its subject, the members opening the clause."""
    doc = v.sent.doc
    conj = [i for i in range(lo, t.start) if doc[i].lower_ in ("but", "and", "then")]
    if not conj:
        return []
    first = next((m for m in v.mentions if lo <= m.start < conj[-1]), None)
    if first is None or not first.members or first.player:
        return []
    if any(doc[i].is_alpha and doc[i].is_title for i in range(lo, first.start) if i > lo):
        return []
    return [first]


def _unknown_agent(v: SentenceView, i: int, hi: int) -> bool:
    """'won the backing of the European Council', 'the support of 56% of the countries':
    the noun names its holder by a name or a number, and it is not a member (so nobody
    before the noun holds it)."""
    doc = v.sent.doc
    if i + 1 >= hi or doc[i].lower_ not in ("of", "from"):
        return False
    j = i + 2 if doc[i + 1].lower_ == "the" and i + 2 < hi else i + 1
    m = v.at(j)
    if m is not None:
        return not m.members
    return doc[j].like_num or (doc[j].is_title and doc[j].is_alpha)


def _candidate_set(v: SentenceView, i: int, hi: int) -> bool:
    """An object naming the candidates as a set ('backed the trio', 'voted against the
    nominees', 'voted for all three'): the candidate the sentence is about."""
    doc = v.sent.doc
    end = min(hi, i + 4)
    if i + 1 < end and doc[i].lower_ in ("all", "both") and number(doc[i + 1].text):
        return True
    while i < end and (doc[i].lower_ in _SET_DETS or number(doc[i].text)):
        i += 1
    return i < end and doc[i].lower_ in CANDIDATE_SET_NOUNS


def _has_object(v: SentenceView, t: Trigger, hi: int) -> bool:
    """An active verb followed by an object that is not a candidate ('favour a candidate
    from the east', 'back the plan'): the stance is about something else."""
    if t.noun or t.passive or t.polarity not in ("support", "oppose") or t.end >= hi:
        return False
    nxt = v.sent.doc[t.end]
    return nxt.is_alpha and nxt.lower_ not in _ADVERBIAL and not nxt.lower_.endswith("ly")


def implicit_target(v: SentenceView, before: int) -> str | None:
    """The candidate a sentence without one is about: the last named before, or the topic."""
    for m in reversed(v.mentions):
        if m.start < before and m.candidate:
            return m.candidate
    return v.ctx.earlier(v.offset, None)


def own_candidate(v: SentenceView, holders: list[Mention]) -> str | None:
    """The only candidate whose home is one of the holders ('Romania has its own candidate')."""
    mids = {mid for h in holders for mid in h.members}
    found = [c for c, home in v.ctx.gaz.candidate_homes.items() if home in mids]
    return found[0] if len(found) == 1 else None
