"""Stance triggers: the words that say a member backs, opposes, weighs or stops opposing.

A trigger is a support or opposition verb or noun, a neutral word ("undecided"), an
objection being lifted ("lifted its veto", "its objections were dropped"), a change of
position ("rallying to"), "behind" after a list of members, or a nomination. Each
trigger knows whether it is a noun, so the rules know where to look for holders.
"""

from __future__ import annotations

from dataclasses import dataclass

from kingmaker.extract.context import SentenceView, Word
from kingmaker.extract.counts import number
from kingmaker.extract.lexicon import (
    AGREE_VERBS,
    BACKER_NOUNS,
    CHANGE_PHRASES,
    LIFT_VERBS,
    NEUTRAL_PHRASES,
    NEUTRAL_WORDS,
    OPPOSE_NOUNS,
    OPPOSE_VERBS,
    RELY_VERBS,
    SEEKING,
    SUPPORT_NOUNS,
    SUPPORT_VERBS,
    VOTE_VERBS,
    WIN_OVER,
    forms,
    words,
)

_DETS = words(
    "the their its his her our my your 's ’s of with strong full public broad"
    " unanimous wide more no whose a an any this that early initial firm clear little"
    " much military financial political economic humanitarian allied western popular"
    " growing official formal open explicit tacit"
)
_NOUN_NEXT = {"of", "from", "for", "behind", "to", "among", "across"}
_PASSIVE_AUX = {"is", "was", "were", "are", "been", "being", "be", "'s", "’s"}
NOMINATE = forms("nominate", "propose", "field", "recommend")
_SECONDED = frozenset({"seconded", "seconding", "seconds"})  # not 'second': a place, a round
# what follows 'backers' when members are listed: 'X's backers include A', 'are A and B'
_BACKERS_NEXT = frozenset({"of", "include", "includes", "included", ":", "are", "were"})
_AGAINST = forms("campaign", "lobby", "mobilise", "mobilize", "rally", "work", "turn", "side")
_FOR = forms(
    "push", "lobby", "campaign", "press", "argue", "plump", "opt", "root", "rally", "declare"
)  # fmt: skip
_COME = forms("come")  # 'came out for X', 'has come out strongly for X'
_WITH = forms("side")
_PUSH = forms("push")
_PHRASAL = words("back ahead through out up down on off for")  # not 'push X': 'push back'...
_VOTES = words("votes ballots")
_BID = words("bid candidacy candidature nomination")
_JOIN = forms("join")
_WITHDRAWING = forms("withdraw", "pull", "drop", "retire", "scrap")
_SUBMIT = forms("submit", "lodge", "file", "register", "present", "announce")
_HOLD = forms("hold", "stand")
_COMPOUND = ("-backed", "-supported", "-endorsed")
# the parliamentary opposition, not an objection: 'Opposition Leader', 'opposition MPs',
# 'the opposition's spokesman', 'Leader of the Opposition', 'in opposition'
_OPPOSITION_ROLES = words(
    "leader leaders leadership whip whips party parties mp mps benches bench frontbench"
    " frontbencher frontbenchers spokesman spokeswoman spokesperson member members lawmakers"
    " legislators senator senators figures politicians parliamentarians deputies coalition"
    " bloc candidate candidates forces groups ranks 's ’s"
)
_ABOUT = {"to", "against", "from", "of", "toward", "towards"}  # an objection is to something
_EXCHANGE = {"return", "exchange"}
_STATE = words("is are was were remains remain remained stays stay firmly strongly still be")
_SUBORDINATE = words("after since because following having once when whereas")
# 'back' as an adverb: before a preposition of time or place, after a verb of motion
_BACK_ADVERB_NEXT = words("to in into from on at then when home down off out up away")
_BACK_ADVERB_PREV = forms(
    "push",
    "come",
    "go",
    "move",
    "set",
    "bring",
    "get",
    "look",
    "step",
    "fight",
    "hit",
    "pull",
    "hold",
    "turn",
    "send",
    "put",
    "call",
    "roll",
    "scale",
    "cut",
    "way",
) | words("came went brought got held sent")
_VOTE_NOUN = words("a an any every each the this that no one")
_WON_LOST = words("win wins won winning lose loses lost losing")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A stance cue in a clause (token offsets)."""

    start: int
    end: int
    polarity: str
    noun: bool
    passive: bool
    rule: str
    cue: str


def find_triggers(v: SentenceView, lo: int, hi: int) -> list[Trigger]:
    """Stance triggers in the clause [lo, hi) of ``v``."""
    ws = [w for w in v.words if lo <= w.start and w.end <= hi]
    out: list[Trigger] = []
    used: set[int] = set()
    for k, w in enumerate(ws):
        if w.start in used or _sought(ws, k):
            continue
        lifted = _lift(ws, k)
        if lifted is not None:
            out.append(lifted)
            used.update(range(lifted.start, lifted.end))
            continue
        trig = _word_trigger(v, ws, k)
        if trig is not None:
            out.append(trig)
    for cues, pol, rule in (
        (NEUTRAL_PHRASES, "neutral", "stance.neutral"),
        (CHANGE_PHRASES, "lifted", "stance.lift.change"),
    ):
        for s, e, cue in v.find(cues, lo, hi):
            out.append(Trigger(s, e, pol, False, False, rule, cue))
    return sorted(out, key=lambda t: t.start)


def _word_trigger(v: SentenceView, ws: list[Word], k: int) -> Trigger | None:
    w = ws[k]
    prev = ws[k - 1].lower if k else ""
    nxt = ws[k + 1].lower if k + 1 < len(ws) else ""
    noun = _is_noun(v, w, prev, nxt)
    passive = (
        not noun
        and w.lower.endswith("ed")
        and (prev in _PASSIVE_AUX or nxt in ("by", "candidate", "choice", "pick"))
    )
    if w.lower == "back" and (nxt in _BACK_ADVERB_NEXT or prev in _BACK_ADVERB_PREV):
        return None  # 'pushed the vote back to March', 'back in May', 'came back'
    if w.lower in _AGAINST and nxt == "against":  # 'campaigned against X', 'mobilised against X'
        return Trigger(w.start, ws[k + 1].end, "oppose", False, False, "stance.against", w.lower)
    if w.lower in _JOIN and "consensus" in (nxt, ws[k + 2].lower if k + 2 < len(ws) else ""):
        # 'joined the consensus on X' (and 'refused to join the consensus on X')
        end = ws[k + 1].end if nxt == "consensus" else ws[k + 2].end
        return Trigger(w.start, end, "support", False, False, "stance.consensus", w.lower)
    if w.lower in _HOLD and nxt == "out" and k + 2 < len(ws) and ws[k + 2].lower == "against":
        return Trigger(w.start, ws[k + 2].end, "oppose", False, False, "stance.against", w.lower)
    if w.lower in _PUSH and (
        (nxt == "by" and w.lower.endswith("ed"))
        or any(x.lower in _BID for x in ws[k + 1 : k + 5])
        or (nxt not in _PHRASAL and any(x.lower in ("as", "for") for x in ws[k + 2 : k + 8]))
    ):  # 'whose bid was pushed by A and B', 'pushed Roe's candidacy', 'pushing Roe as head'
        passive = nxt == "by"
        return Trigger(
            w.start, w.end, "support", False, passive, _rule("support", False, passive), w.lower
        )
    if (w.lower in _FOR and nxt == "for") or (w.lower in _WITH and nxt == "with"):
        # 'pushed for X', 'lobbied for X', 'opted for X', 'sided with X'
        return Trigger(w.start, ws[k + 1].end, "support", False, False, "stance.for", w.lower)
    if w.lower in _FOR and (j := _for_after_manner(ws, k)):
        # 'lobbied hard for X', 'campaigned with eight other countries for X'
        return Trigger(w.start, ws[j].end, "support", False, False, "stance.for", w.lower)
    if w.lower in _COME and nxt == "out" and (j := _out_for(ws, k + 1)):
        # 'has come out for X', 'came out strongly (publicly) for X': declaring support
        return Trigger(w.start, ws[j].end, "support", False, False, "stance.for", w.lower)
    if w.lower == "against" and prev in _STATE:  # 'Esteria is against X', 'remains against'
        return Trigger(w.start, w.end, "oppose", False, False, "stance.against.state", w.lower)
    pol = _BACKER_ONE.get(w.lower, BACKER_NOUNS.get(w.lower, "")) if nxt == "of" else ""
    if pol and _after_copula(ws, k):
        # 'Borea remains the staunchest supporter of X', 'A and B are opponents of X': the
        # subject of the copula holds the stance, the noun's object is its target
        return Trigger(w.start, w.end, pol, False, False, f"stance.{pol}.backer", w.lower)
    if w.lower in BACKER_NOUNS and nxt in _BACKERS_NEXT:
        # 'supporters of X include A and B', 'X's backers include A', 'opponents: A, B'
        pol = BACKER_NOUNS[w.lower]
        return Trigger(w.start, w.end, pol, True, False, f"stance.{pol}.backers", w.lower)
    if prev in _BACKER_SETS and w.lower.endswith("ing") and nxt not in _NOT_A_TARGET:
        # 'the countries supporting X are A and B': a set of members named by what they do
        pol = "support" if w.lower in SUPPORT_VERBS else "oppose" if w.lower in OPPOSE_VERBS else ""
        if pol:
            return Trigger(w.start, w.end, pol, False, False, f"stance.{pol}.backers", w.lower)
    if w.lower in _VOTES and _votes_of(v, ws, k):
        # 'got 23 votes, among them those of A and B', 're-elected with the votes of A'
        return Trigger(w.start, w.end, "support", True, False, "stance.votes", w.lower)
    if w.lower in RELY_VERBS and nxt in ("on", "upon"):  # 'she relies on the votes of A'
        return Trigger(w.start, ws[k + 1].end, "support", False, False, "stance.rely", w.lower)
    if w.lower in AGREE_VERBS and nxt in ("on", "upon", "that", "by"):
        # 'agreed on X', 'agreed that X should take the post', 'X was agreed by A and B'
        end = w.end if nxt == "by" else ws[k + 1].end
        return Trigger(w.start, end, "support", False, nxt == "by", "stance.agree", w.lower)
    counted = k > 0 and (number(ws[k - 1].lower) is not None or ws[k - 1].lower == "dozen")
    if w.lower in VOTE_VERBS and nxt in ("for", "against") and prev not in _VOTE_NOUN:
        contest = any(x.lower in _WON_LOST for x in ws[max(0, k - 3) : k])
        if counted or contest:  # 'won 23 votes against 10', 'won the final vote against X':
            # a tally or a contest between candidates, no member voting
            return None
        # 'voted for X', 'voted against X' (not 'a vote for X means ...')
        pol = "support" if nxt == "for" else "oppose"
        return Trigger(w.start, ws[k + 1].end, pol, False, False, f"stance.vote.{pol}", w.lower)
    for pol, verbs, nouns in (
        ("support", SUPPORT_VERBS, SUPPORT_NOUNS),
        ("oppose", OPPOSE_VERBS, OPPOSE_NOUNS),
    ):
        if w.lower in verbs or w.lower in nouns:
            if pol == "oppose" and _parliamentary(v, ws, k):
                return None
            return Trigger(w.start, w.end, pol, noun, passive, _rule(pol, noun, passive), w.lower)
    if w.lower in NEUTRAL_WORDS:
        return Trigger(w.start, w.end, "neutral", False, False, "stance.neutral", w.lower)
    if (
        w.lower in _SUBMIT
        and nxt in ("a", "its", "their", "the")
        and k + 2 < len(ws)
        and ws[k + 2].lower in ("candidacy", "candidature", "nomination", "candidate")
    ):
        end = ws[k + 2].end  # 'Ruritania submitted a candidacy for the post: Roe'
        return Trigger(w.start, end, "nominate", False, False, "stance.nominate", w.lower)
    adjacent = nxt in ("forward", "up")  # 'put forward X', not 'put X forward'
    put = w.lower in ("put", "puts", "putting") and (adjacent or _named_then_forward(v, ws, k))
    # 'proposed by A and seconded by B': seconding a nomination is nominating
    seconded = w.lower in _SECONDED and (nxt == "by" or _names_next(v, ws, k))
    if w.lower in NOMINATE or put or seconded:
        after = ws[k + 2].lower if put and k + 2 < len(ws) else nxt
        passive = passive or (after == "by" and prev in _PASSIVE_AUX | {"was", "been"})
        end = ws[k + 1].end if put and adjacent else w.end
        return Trigger(w.start, end, "nominate", False, passive, "stance.nominate", w.lower)
    if w.lower == "behind" and prev not in SUPPORT_NOUNS and prev not in _HOLD:
        return Trigger(w.start, w.end, "support", False, False, "stance.behind", "behind")
    for suffix in _COMPOUND:
        if w.lower.endswith(suffix) and w.end - w.start > 2 and v.at(w.start) is not None:
            return Trigger(w.start, w.end, "support", False, False, "stance.compound", w.lower)
    if (
        w.lower == "own"
        and nxt == "candidate"
        and not _WITHDRAWING & {x.lower for x in ws[max(0, k - 4) : k]}
    ):
        end = ws[k + 1].end
        return Trigger(
            w.start, end, "nominate", False, False, "stance.own-candidate", "own candidate"
        )
    return None


_BACKER_SETS = words("countries states nations governments members capitals")
_BACKER_ONE = {
    **dict.fromkeys(("supporter", "backer", "champion", "proponent"), "support"),
    **dict.fromkeys(("opponent", "detractor"), "oppose"),
}
_COPULA = words("is are was were remains remain remained stays stay stayed")
_BACKER_MODIFIERS = 3  # words between the copula and the noun: 'the staunchest', 'a strong'


def _after_copula(ws: list[Word], k: int) -> bool:
    """Whether the noun at ``k`` is the complement of a copula: 'is a strong supporter',
    'remains the staunchest supporter', 'A and B are opponents of': the copula within
    ``_BACKER_MODIFIERS`` + 2 words before it, only words between (no punctuation), and a
    plural noun when nothing is between."""
    j = k - 1
    while j >= 0 and k - j <= _BACKER_MODIFIERS + 2:
        low = ws[j].lower
        if low in _COPULA:  # a plural needs no article: 'A and B are opponents of X'
            return j < k - 1 or ws[k].lower in BACKER_NOUNS
        if not low.isalpha():
            return False
        j -= 1
    return False


_NOT_A_TARGET = words("the a an for of to in")  # 'the countries backing the plan'


_MANNER = words("hard actively strongly openly publicly quietly heavily jointly together also too")
_WITH_PHRASE = 6  # words of a 'with' phrase between the verb and 'for'


def _for_after_manner(ws: list[Word], k: int) -> int:
    """The index of 'for' after a verb and a manner adverb or a 'with' phrase ('lobbied
    hard for', 'campaigned with eight other countries for'); 0 when there is none."""
    j = k + 1
    while j < len(ws) and (ws[j].lower in _MANNER or ws[j].lower.endswith("ly")):
        j += 1
    if j < len(ws) and ws[j].lower == "with":
        end = min(len(ws), j + _WITH_PHRASE + 1)
        j = next((i for i in range(j + 1, end) if not ws[i].lower.isalnum()), end)
        j = next((i for i in range(k + 2, j) if ws[i].lower == "for"), 0)
        return j
    return j if j > k + 1 and j < len(ws) and ws[j].lower == "for" else 0


def _names_next(v: SentenceView, ws: list[Word], k: int) -> bool:
    """Whether the word after ``ws[k]`` begins a candidate's name ('seconded Young')."""
    if k + 1 >= len(ws):
        return False
    m = v.at(ws[k + 1].start)
    return m is not None and m.candidate is not None


def _named_then_forward(v: SentenceView, ws: list[Word], k: int) -> bool:
    """'putting Kanerva forward', 'put the former minister Roe forward': a candidate named
    between the verb and 'forward', within six words and no punctuation."""
    named = False
    for w in ws[k + 1 : k + 8]:
        if w.lower == "forward":
            return named
        m = v.at(w.start)
        if m is not None and m.candidate is not None:
            named = True
        elif not w.lower.isalpha() or m is not None:
            return False  # punctuation, or someone else named (a member puts itself forward)
    return False


def _out_for(ws: list[Word], k: int) -> int:
    """The index of 'for' right after 'out' at ``k`` or after a manner adverb ('came out
    strongly for'); 0 when there is none."""
    if k + 1 < len(ws) and ws[k + 1].lower == "for":
        return k + 1
    return _for_after_manner(ws, k)


def _votes_of(v: SentenceView, ws: list[Word], k: int) -> bool:
    """'votes of A', 'votes, among them those of A', 'votes, including those of A': a
    member named right after 'votes of' or 'those of' within six words."""
    for j in range(k + 1, min(len(ws), k + 7)):
        if ws[j].lower in ("of", "from") and ws[j - 1].lower in ("those", ws[k].lower):
            nxt = ws[j + 1] if j + 1 < len(ws) else None
            if nxt is not None and nxt.lower == "the" and j + 2 < len(ws):
                nxt = ws[j + 2]
            m = v.at(nxt.start) if nxt is not None else None
            return m is not None and bool(m.members) and not m.candidate
    return False


def _parliamentary(v: SentenceView, ws: list[Word], k: int) -> bool:
    """Whether 'opposition' at ``ws[k]`` is the parliamentary opposition, not an
    objection: a role or party after it ('Opposition Leader', 'opposition MPs', 'the
    opposition's whip'), 'Leader of the Opposition', 'in opposition', or a capital in
    mid-sentence that is about nothing ('the Opposition said', not 'Opposition To X')."""
    w = ws[k]
    if w.lower != "opposition":
        return False
    nxt = ws[k + 1].lower if k + 1 < len(ws) else ""
    back = [x.lower for x in ws[max(0, k - 3) : k] if x.lower != "the"]
    if nxt in _OPPOSITION_ROLES or (back[-1:] in (["in"], ["into"]) and nxt not in _ABOUT):
        return True  # 'opposition MPs', 'went into opposition' (not 'in opposition to X')
    if back[-2:] in (["leader", "of"], ["leaders", "of"], ["benches", "of"]):
        return True  # 'Leader of the Opposition'
    text = v.sent.doc[w.start].text
    return (
        w.start > v.sent.start and text[:1].isupper() and text[1:].islower() and nxt not in _ABOUT
    )


def _rule(pol: str, noun: bool, passive: bool) -> str:
    return f"stance.{pol}." + ("noun" if noun else "passive" if passive else "verb")


def _is_noun(v: SentenceView, w: Word, prev: str, nxt: str) -> bool:
    if w.lower not in SUPPORT_NOUNS and w.lower not in OPPOSE_NOUNS:
        return False
    if w.lower not in SUPPORT_VERBS and w.lower not in OPPOSE_VERBS:
        return True
    tok = v.sent.doc[w.start]
    if v.model and tok.pos_ in ("NOUN", "VERB"):
        return tok.pos_ == "NOUN"
    return (
        prev in _DETS
        or nxt in _NOUN_NEXT
        or (v.at(w.start - 1) is not None and prev in ("'s", "’s"))
    )


def _sought(ws: list[Word], k: int) -> bool:
    """A support noun (or votes) sought, needed or to be won, not given ('seek X's backing')."""
    w = ws[k].lower
    if w not in SUPPORT_NOUNS and w not in SUPPORT_VERBS and w not in _VOTES:
        return False
    back = [w.lower for w in ws[max(0, k - 7) : k]]
    cut = [j for j, w in enumerate(back) if w in _SUBORDINATE]
    back = back[cut[-1] + 1 :] if cut else back  # 'seek a new term after winning X's backing'
    if any(w in SEEKING for w in back) or any(w in _EXCHANGE for w in back[-3:]):
        return True
    return any(tuple(back[i : i + 2]) in WIN_OVER for i in range(len(back) - 1))


def _lift(ws: list[Word], k: int) -> Trigger | None:
    """'lifted its veto', 'drop its opposition', 'its objections were lifted'."""
    w = ws[k]
    if w.lower in LIFT_VERBS:
        for j in range(k + 1, min(len(ws), k + 5)):
            if ws[j].lower in OPPOSE_NOUNS:
                return Trigger(
                    w.start,
                    ws[j].end,
                    "lifted",
                    False,
                    False,
                    "stance.lift.verb",
                    f"{w.lower} {ws[j].lower}",
                )
    if w.lower in OPPOSE_NOUNS:
        for j in range(k + 1, min(len(ws), k + 12)):
            if ws[j].lower in LIFT_VERBS and ws[j].lower.endswith(("ed", "ted", "pped")):
                return Trigger(
                    w.start,
                    ws[j].end,
                    "lifted",
                    True,
                    True,
                    "stance.lift.passive",
                    f"{w.lower} {ws[j].lower}",
                )
    return None
