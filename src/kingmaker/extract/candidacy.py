"""Candidacy rules: who is interested, declared, mentioned or withdrawn.

Each cue phrase has a direction: subject cues ("X withdrew", "X expressed interest",
"X is the front-runner") take the candidates before them in the clause, object cues
("candidates include X", "competition from X", "a rival emerged in X") the ones after.
A hedged declaration ("is likely to run") reads as interest, as does a negated one
("has not announced a candidacy"); a hedged withdrawal ("under pressure to withdraw")
means the person is still running; a possessive bid counts when others act on it.
"""

from __future__ import annotations

from kingmaker.extract import lexicon as lx
from kingmaker.extract.candidates import after, before, named_between, series_end
from kingmaker.extract.context import SentenceView
from kingmaker.extract.events import Event
from kingmaker.extract.lists import CANDIDATE_NOUNS as _NOUNS
from kingmaker.extract.lists import field_before, plain_candidates
from kingmaker.extract.refusals import refusals

_OBJECT = {
    "include", "including", "includes", "included", "among", "competition from", "ahead of",
    "rivals", "contenders", "names", "logically", "nominate", "nominated", "nominates",
    "nominating", "put forward", "putting forward", "rival candidate", "only rival", "rival",
    "propose", "proposed", "proposes", "proposing", "recommend", "recommended", "recommends",
    "exit of", "departure of",
}  # fmt: skip
_BOTH_WAYS = {"challenge", "challenged", "challenges", "challenging", "remaining candidates",
              "candidates remain", "both candidates"}  # fmt: skip
_EITHER = {"front-runner", "frontrunner", "favourite", "favorite", "shoo-in", "hopeful",
           "only candidate", "sole candidate"}  # fmt: skip
_INCLUDE = {"include", "includes", "included"}
_FIELD_CUES = _INCLUDE | {"including", "among"}
# a hedge governs the cue it stands near ('is likely to run'), not one a clause away ('a
# ballot that could go on until Friday, X is ahead of Y')
_HEDGE_REACH = 6
_WISH = {"ready", "wants", "want", "like", "open", "willing", "prepared", "readiness"}
_JOB_AFTER = {"turn down", "turned down", "turns down", "turning down", "decline the", "refuse the"}
_JOB = {"post", "job", "position", "role", "office", "race", "leadership"}
_POSSESSED = {"bid", "candidacy", "candidature"}
# a further term sought by the holder: 'a second term for X', 'X's re-election'
_RENEWAL = {"second term", "second mandate", "another term", "re-election", "reelection",
            "fresh term", "re-election bid", "reappointment", "re-appointment",
            "renewal"}  # fmt: skip
_ACTED_ON = lx.SUPPORT_VERBS | lx.SUPPORT_NOUNS | lx.OPPOSE_VERBS | lx.OPPOSE_NOUNS | lx.SEEKING
_ACTED_ON |= {"welcomed", "welcomes", "against", "rival", "reservations", "seeking"}
_ACTED_ON |= lx.forms("announce", "launch", "declare", "submit", "lodge", "register", "formalise",
                      "formalize", "confirm", "receive", "present", "file")  # fmt: skip
_SHORT_REACH = {"considering", "interest", "interested", "eyes", "eyeing", "aiming", "yes",
                "exclude", "readiness", "open to"}  # fmt: skip
_WITHDRAW_BLOCK = lx.words(
    "may might could expected expect pressure urged urging urge should likely once"
    " possibly consider considering plans agreed understanding time whether no if"
    " rumours speculation will shortly"
)
_OWNERS = lx.words("its their his her our")
_WHEN = lx.words("before after")  # 'shortly before the vote': a time, not a hedge
_WITHDRAWALS = {" ".join(c) for c in lx.WITHDRAW_CUES}


def status_of(cue: str) -> str | None:
    """'withdrawn' for a withdrawal cue, else None."""
    return "withdrawn" if cue in _WITHDRAWALS else None


_FLOATED = lx.words("possible potential possibly likely name names floated touted tipped")
_RANK = {"mentioned": 0, "interested": 1, "declared": 2, "withdrawn": 3}
_CUES = (
    ("withdrawn", lx.WITHDRAW_CUES),
    ("declared", lx.DECLARE_CUES),
    ("interested", lx.INTEREST_CUES),
    ("mentioned", lx.MENTION_CUES),
)
BASE = {"model": 0.85, "fallback": 0.8}


def candidacy_events(v: SentenceView) -> list[Event]:
    """Candidacy events of one sentence (at most one per candidate: the strongest)."""
    best: dict[str, tuple[int, Event]] = {}

    def keep(ev: Event) -> None:
        rank = _RANK[ev.status or "mentioned"]
        key = ev.candidate or ""
        if key not in best or rank > best[key][0]:
            best[key] = (rank, ev)

    for lo, hi in v.clauses:
        refused = refusals(v, lo, hi)
        for rs, _re, status in refused:
            for ev in _refusal(v, rs, lo, hi, status):
                keep(ev)
        for status, cues in _CUES:
            for s, e, cue in v.find(cues, lo, hi):
                if any(rs <= s < re for rs, re, _ in refused):
                    continue  # 'ruled out running': no bid is read from inside a refusal
                for ev in _apply(v, status, s, e, cue, lo, hi):
                    keep(ev)
    return [ev for _, ev in best.values()]


def _refusal(v: SentenceView, s: int, lo: int, hi: int, status: str) -> list[Event]:
    """The candidate refusing to stand at token ``s`` (``refusals.py``), as withdrawn; a
    refusal denied ('does not rule out running') as interested."""
    conf = _confidence(v, lo, hi)
    rule = f"candidacy.{status}.refusal" + (".denied" if status == "interested" else "")
    named = [m for m in v.mentions if m.end <= s]
    people = [m for m in named if m.person or m.kind == "incumbent"]
    if people and not any(m.candidate for m in named):
        return []  # 'Moussa said he will not stand again': someone who is not a candidate
    return [v.event("candidacy", rule, conf, candidate=c, status=status) for c in before(v, s, lo)]


def _apply(v: SentenceView, status: str, s: int, e: int, cue: str, lo: int, hi: int) -> list[Event]:
    doc = v.sent.doc
    if not _applicable(v, s, e, cue, lo, hi):
        return []
    passive = s > lo and doc[s - 1].lower_ in ("being", "be", "been", "was", "were")
    if cue.startswith(("nominat", "put", "propos", "recommend")) and passive:
        # 'X has been nominated' declares X; 'put forward as a possible successor' floats X
        loose = any(doc[i].lower_ in _FLOATED for i in range(lo, hi)) or (
            s > lo + 1 and doc[s - 2].lower_ == "from"  # 'blocked X from being nominated'
        )
        status = "mentioned" if loose else status
        cands, direction = before(v, s, lo), "passive"
    else:
        cands, direction = _candidates(v, s, e, cue, lo, hi)
    if not cands:
        return []
    near = [doc[i].lower_ for i in range(max(lo, s - 4), s)]
    negated = any(w in lx.NEG_WORDS for w in near)
    hedged = [
        doc[i].lower_
        for i in range(max(lo, s - _HEDGE_REACH), s)
        if doc[i].lower_ in lx.HEDGE_STRONG
        and not _reported(v, i, lo)
        and v.at(i) is None  # 'Theresa May': a name, not a modal
        and not (doc[i].lower_ == "likely" and i > 0 and doc[i - 1].lower_ == "most")
    ]
    if status == "mentioned" and cue in _FIELD_CUES and field_before(v, s):
        status, direction = "declared", "field"  # 'rivals for the post, ..., among them X'
    rule = f"candidacy.{status}.{direction}"
    if status == "withdrawn":
        reach = s
        if cue in ("exit of", "departure of"):  # a noun: the verb after it, up to a comma
            reach = next((i for i in range(e, hi) if doc[i].is_punct), hi)
        blocked = any(
            doc[i].lower_ in _WITHDRAW_BLOCK and doc[i + 1].lower_ not in _WHEN
            for i in range(lo, reach)
        )  # 'will shortly withdraw', but 'shortly before the vote Borea withdrew X' happened
        infinitive = s > lo and doc[s - 1].lower_ == "to" and "decided" not in near
        if blocked or negated or infinitive:
            status, rule = "declared", rule + ".not-yet"
    elif status == "declared" and direction in ("possessive", "renewal"):
        pass  # 'could not support X's bid': the bid itself is stated
    elif status == "declared" and (hedged or negated or any(w in _WISH for w in near)):
        status, rule = (
            "interested",
            rule + (".hedged" if hedged else ".negated" if negated else ".wish"),
        )
    elif status == "interested" and negated and cue in ("interest", "interested"):
        return []
    conf = _confidence(v, lo, hi)
    return [v.event("candidacy", rule, conf, candidate=c, status=status) for c in cands]


def _confidence(v: SentenceView, lo: int, hi: int) -> float:
    """The mode's base confidence, times 0.9 for each mild hedge ('reportedly') in the
    clause [lo, hi)."""
    doc = v.sent.doc
    mild = sum(1 for i in range(lo, hi) if doc[i].lower_ in lx.HEDGE_MILD)
    return float(BASE[v.ctx.mode] * (0.9**mild))


def _applicable(v: SentenceView, s: int, e: int, cue: str, lo: int, hi: int) -> bool:
    doc = v.sent.doc
    if (
        cue in ("run for", "runs for", "running for", "ran for", "seeking", "seeks", "sought")
        or cue in _JOB_AFTER
    ):
        return _job_follows(v, e, hi)
    if cue == "interest" and e < len(doc) and doc[e].lower_ in ("rates", "rate"):
        return False
    if cue == "among" and s - 2 >= lo and doc[s - 1].text == "," and doc[s - 2].lower_ in _NOUNS:
        return False  # 'faces rivals, among them X': the list rule reads the noun's people
    if cue in _POSSESSED:
        words = {doc[i].lower_ for i in range(lo, hi)}
        return bool(words & _ACTED_ON)
    # 'the other candidates include X': the list rule declares them
    return not (cue in _INCLUDE and plain_candidates(v, lo, hi, s))


def _candidates(
    v: SentenceView, s: int, e: int, cue: str, lo: int, hi: int
) -> tuple[list[str], str]:
    doc = v.sent.doc
    end = v.sent.end if e < v.sent.end and doc[min(e, len(doc) - 1)].text == ":" else hi
    if (
        status_of(cue) == "withdrawn"
        and e + 1 < hi
        and doc[e].lower_ in _OWNERS
        and doc[e + 1].lower_ in ("candidate", "nominee")
    ):
        named = after(v, e + 2, min(hi, e + 10))  # 'Ruritania withdrew its candidate, X'
        if named:
            return named[:1], "own"  # one candidate: not the one 'in favour of' whom
    if cue in _WITHDRAW_VERBS:
        named = _withdrawn_bid(v, e, hi)  # 'Ruritania withdrew X's candidacy'
        if named:
            return named, "object"
    if cue.endswith(("bid", "candidacy", "candidature")) and e < hi and doc[e].lower_ == "of":
        return after(v, e + 1, min(hi, e + 8)), "of"  # 'submitted the candidacy of X'
    if cue in _RENEWAL:
        near = after(v, e, min(hi, e + 4)) if e < hi and doc[e].lower_ in ("for", "of") else []
        return near or before(v, s, max(lo, s - 3)), "renewal"
    if cue in _BOTH_WAYS:
        return before(v, s, lo) + after(v, e, end), "both"
    if cue in _OBJECT or (cue == "withdrawal" and e < hi and doc[e].lower_ == "of"):
        found = after(v, e, end)
        last = series_end(v, end) if found else end  # 'they include A, a minister; B; and C'
        if last > end:
            found = list(dict.fromkeys(found + named_between(v, end, last)))
        return found, "after"
    if cue in _POSSESSED:
        return before(v, s, max(lo, s - 3)), "possessive"
    reach = 8 if cue in _SHORT_REACH else 12
    found = before(v, s, lo, reach=reach)
    if not found and hi < v.sent.end and doc[hi].text == ":":
        # 'three quit the race today: A, B and C'; 'are seeking the post: A, ...; B; and C'
        first = next((k for k in range(hi + 1, v.sent.end) if doc[k].text == ";"), v.sent.end)
        last = series_end(v, first)
        if last > first:
            return named_between(v, hi, last), "list"
        return after(v, hi + 1, v.sent.end, reach=60), "list"

    if not found and cue in _EITHER:
        return after(v, e, min(hi, e + 6)), "after"
    return found, "before"


_WITHDRAW_VERBS = {c for c in _WITHDRAWALS if c.startswith("withdr") and c != "withdrawal"}
_BIDS = {"bid", "candidacy", "candidature", "nomination"}
_NOT_THE_BID = lx.SUPPORT_NOUNS | {"for", "from", "and", "but", "as"}


def _withdrawn_bid(v: SentenceView, e: int, hi: int) -> list[str]:
    """The candidate whose bid a withdrawing verb takes as its object, within eight words:
    "withdrew X's candidacy", "withdrawing the candidacy of X"."""
    doc = v.sent.doc
    end = min(hi, e + 8)
    for i in range(e, end):
        m = v.at(i)
        if m is not None and m.candidate:
            j = m.end
            if j + 1 < hi and doc[j].lower_ in ("'s", "’s") and doc[j + 1].lower_ in _BIDS:
                return [m.candidate]
            return []
        if doc[i].is_punct or doc[i].lower_ in _NOT_THE_BID:
            return []  # 'withdrew its support for X's bid', 'withdrawing, and A backed X'
        if doc[i].lower_ in _BIDS:
            if i + 1 < hi and doc[i + 1].lower_ == "of":
                return after(v, i + 2, min(hi, i + 10))
            return []
    return []


def _reported(v: SentenceView, i: int, lo: int) -> bool:
    doc = v.sent.doc
    return doc[i].lower_ == "would" and any(
        doc[j].lower_ in lx.REPORTING for j in range(max(lo, i - 6), i)
    )


def _job_follows(v: SentenceView, e: int, hi: int) -> bool:
    for i in range(e, min(hi, e + 5)):
        m = v.at(i)
        if (m is not None and m.kind == "post") or v.sent.doc[i].lower_ in _JOB:
            return True
    return False


NAMED = "candidacy.named"


def named_events(views: list[SentenceView]) -> list[Event]:
    """A candidate the race's news keeps naming (in two sentences or more), with no status
    stated anywhere in the article, is most likely running: one low-confidence 'declared'
    per candidate, from the first sentence that names them, unless a sentence says they
    are not ('X and Y not candidates', 'X is not running'). Consolidation keeps it only
    where no other candidacy of that person was read, and the evidence stores it as a
    mention (``evidence.py``): a name alone never raises a candidate's standing. In the
    development gold, of the candidates named without a stated status, about half are
    declared, a fifth mentioned, the rest not annotated."""
    first: dict[str, SentenceView] = {}
    times: dict[str, int] = {}
    denied: set[str] = set()
    for v in views:
        for c in {m.candidate for m in v.mentions if m.candidate}:
            first.setdefault(c, v)
            times[c] = times.get(c, 0) + 1
        denied |= {m.candidate for m in v.mentions if m.candidate and _denied(v, m.end)}
    return [
        v.event("candidacy", NAMED, 0.55, candidate=c, status="declared")
        for c, v in first.items()
        if times[c] > 1 and c not in denied
    ]


_RUNNING = lx.words("candidate candidates contender contenders running standing race")


def _denied(v: SentenceView, end: int) -> bool:
    """'X and Y not candidates', 'X is not running', 'X is no longer in the race': a
    negation, then a word of running, within six words after the name."""
    doc = v.sent.doc
    words = [doc[i].lower_ for i in range(end, min(v.sent.end, end + 6))]
    neg = next((k for k, w in enumerate(words) if w in lx.NEG_WORDS), None)
    return neg is not None and any(w in _RUNNING for w in words[neg + 1 :])
