"""A refusal to stand is a withdrawal: "X will not run", "X ruled out challenging Y".

A person who says they will not seek the post has left the race, whether or not they had
declared: the news gold of every race reads "decided not to run", "would not stand for the
leadership", "ruled out challenging the incumbent", "declined to contest the leadership"
and "would stay out of the race" as ``withdrawn``. The verbs of standing (run, stand,
challenge, contest, compete, seek, apply; "mount a challenge", "launch a bid") are also
cues of a declared bid (``lexicon.DECLARE_CUES``), so a refusal also marks its words as
spent: no declaration is read from inside it.

Four shapes, each read on the tokens of one clause:

- a modal future denied: "will not run", "won't stand again", "would never contest",
  "will not be standing", "does not intend to run", "has no intention of standing";
- a verb of refusing: "declined to contest", "refused to stand";
- ruling it out: "ruled out running", "ruled out on Tuesday a bid", "rules out any
  challenge"; denied ("does not rule out running", "is not ruling out a bid"), it is an
  interest, not a refusal;
- staying out: "will stay out of the race".

What makes it something else: a condition ("would not stand if ...", "unless drafted"), a
promise or pledge (a commitment the news keeps testing, not a decision), the past perfect
("had said he would not run": an earlier position), a hedge ("would probably not run"),
and the idioms of standing that are not candidacy ("stand in the way", "stand down",
"stand by", "run the organisation"). The person is the candidate the clause is about,
found before the refusal as for any subject cue (a pronoun resolved to its antecedent).
"""

from __future__ import annotations

from kingmaker.extract import lexicon as lx
from kingmaker.extract.context import SentenceView

Refusal = tuple[int, int, str]  # first token, end token, status ('withdrawn' or 'interested')

_GERUND = lx.words("running standing challenging contesting competing seeking applying")
_STAND = lx.words("run stand challenge contest compete seek apply bid") | _GERUND
_ANY_OBJECT = lx.forms("challenge", "contest")  # 'will not challenge the incumbent'
_BID_NOUNS = lx.words("bid challenge run candidacy candidature tilt comeback")
_MOUNT = lx.forms("mount", "launch", "make", "lodge", "submit", "put")
_MODAL = lx.words("will wo would shall 'll")
_DO = lx.words("do does did is are am was were has have")
_NOT = lx.words("not n't never")
_AGAIN = lx.words("again ever himself herself themselves formally officially this time")
_INTEND = lx.forms("intend", "plan", "want", "expect", "seek", "hope", "aim")
_REFUSE = lx.forms("refuse", "decline")
_RULE = lx.forms("rule")
_STAY = lx.forms("stay", "keep")
_CONTESTS = lx.words("race contest election running leadership ballot vote")
# what a verb of standing takes when it has an object: 'seek a second term', 'run in the race'
_JOBS = _CONTESTS | lx.words(
    "post job office position presidency chair term nomination re-election reelection"
    " reappointment mandate top"
)
_DETERMINERS = lx.words("a an any the his her their its another this")
# 'stand down', 'stand by', 'run out' (and 'stand in the way', 'run the organisation')
_NOT_CANDIDACY = lx.words("by down aside up back behind out on")
_IF = lx.words("if unless until whether provided without")
_PROMISE = lx.words(
    "promise promised promises promising pledge pledged pledges vow vowed vows word assurance"
)
_HEDGE = lx.words("probably likely perhaps possibly maybe necessarily")


def refusals(v: SentenceView, lo: int, hi: int) -> list[Refusal]:
    """The refusals to stand in tokens [lo, hi) of the sentence, with their status."""
    doc = v.sent.doc
    low = [doc[i].lower_ for i in range(lo, hi)]
    if _IF & set(low) or _IF & {doc[i].lower_ for i in range(hi, min(v.sent.end, hi + 8))}:
        return []
    out: list[Refusal] = []
    for k, w in enumerate(low):
        i = lo + k
        end = None
        if w in _MODAL and _denied(low, k + 1):
            end = _stand_after(v, i + 1 + _skip_not(low, k + 1), hi)
        elif w in _DO and _denied(low, k + 1):
            j = i + 1 + _skip_not(low, k + 1)
            if j + 1 < hi and doc[j].lower_ in _INTEND and doc[j + 1].lower_ == "to":
                end = _stand_after(v, j + 2, hi)  # 'does not intend to run'
            elif w in ("is", "are", "am") and j < hi and doc[j].lower_ in ("running", "standing"):
                end = _stand_after(v, j, hi)  # 'X is not running'
        elif w == "no" and low[k + 1 : k + 3] == ["intention", "of"]:
            end = _stand_after(v, i + 3, hi)
        elif w in _REFUSE and k + 1 < len(low) and low[k + 1] == "to":
            end = _stand_after(v, i + 2, hi)
        elif w in _RULE:
            out += _ruled_out(v, i, hi)
            continue
        elif w in _STAY and low[k + 1 : k + 3] == ["out", "of"]:
            rest = low[k + 3 : k + 11]
            rest = rest[: next((n for n, x in enumerate(rest) if x in ",;:"), len(rest))]
            if set(rest) & _CONTESTS:
                end = i + 3  # 'will stay out of the coming leadership race'
        if end is None or _excluded(v, lo, i):
            continue
        out.append((i, end, "withdrawn"))
    return out


def _denied(low: list[str], k: int) -> bool:
    return k < len(low) and low[k] in _NOT


def _skip_not(low: list[str], k: int) -> int:
    """How many tokens from ``k`` the denial and its adverbs take ('not', 'never again')."""
    n = 0
    while k + n < len(low) and (low[k + n] in _NOT or low[k + n] in _AGAIN):
        n += 1
    return n


def _stand_after(v: SentenceView, j: int, hi: int) -> int | None:
    """The end of a verb of standing at token ``j`` ('run', 'be running', 'mount a
    challenge'), or None where the words there are not one."""
    doc = v.sent.doc
    if j < hi and doc[j].lower_ == "be":
        j += 1
    if j >= hi:
        return None
    w = doc[j].lower_
    nxt = doc[j + 1].lower_ if j + 1 < hi else ""
    if w in _MOUNT and nxt in _DETERMINERS and j + 2 < hi and doc[j + 2].lower_ in _BID_NOUNS:
        return j + 3  # 'mount a challenge', 'launch a bid'
    if w in ("put", "putting") and nxt in ("his", "her", "their") and j + 2 < hi:
        return j + 3 if doc[j + 2].lower_ == "name" else None  # 'put his name forward'
    if w not in _STAND or nxt in _NOT_CANDIDACY:
        return None
    if nxt == "for" and any(doc[x].lower_ == "seat" for x in range(j + 2, min(hi, j + 5))):
        return None  # 'is not standing for a seat in Parliament': another office
    if nxt == "in" and j + 3 < hi and doc[j + 3].lower_ == "way":
        return None  # 'will not stand in the way'
    if w not in _ANY_OBJECT and nxt in _DETERMINERS:
        near = range(j + 2, min(hi, j + 5))
        if not any(doc[x].lower_ in _JOBS or _is_post(v, x) for x in near):
            return None  # 'will not run the organisation', 'will not seek his backing'
    return j + 1


def _is_post(v: SentenceView, i: int) -> bool:
    m = v.at(i)
    return m is not None and m.kind == "post"


def _ruled_out(v: SentenceView, i: int, hi: int) -> list[Refusal]:
    """'ruled out running', 'rules out a bid', 'ruled out on Tuesday running'; denied, an
    interest ('does not rule out running')."""
    doc = v.sent.doc
    j = i + 1
    if j < hi and doc[j].lower_ in ("himself", "herself", "themselves"):
        return []  # 'ruled himself out': a withdrawal cue of the lexicon
    if not (j < hi and doc[j].lower_ == "out"):
        return []
    for k in range(j + 1, min(hi, j + 5)):
        w = doc[k].lower_
        bid = w in _DETERMINERS and k + 1 < hi and doc[k + 1].lower_ in _BID_NOUNS
        if w in _GERUND or bid:
            end = k + 2 if bid else k + 1
            denied = any(doc[x].lower_ in _NOT for x in range(max(v.sent.start, i - 3), i))
            return [(i, end, "interested" if denied else "withdrawn")]
        if doc[k].is_punct:
            return []
    return []


def _excluded(v: SentenceView, lo: int, i: int) -> bool:
    """A promise, the past perfect or a hedge before the refusal at token ``i``."""
    doc = v.sent.doc
    before = {doc[x].lower_ for x in range(v.sent.start, i)}
    near = {doc[x].lower_ for x in range(max(lo, i - 3), min(i + 4, v.sent.end))}
    return bool(before & _PROMISE) or "had" in before or bool(near & _HEDGE)
