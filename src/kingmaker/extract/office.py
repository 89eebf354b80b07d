"""Office rules: the incumbent's term ending (vacancy) and the body's choice (appointment).

A vacancy needs the incumbent and a leaving cue ("steps down", "term ends", "stay on
until"); its end is the latest future date or month in the sentence. An appointment
needs a candidate and either a selection verb (appointed, chosen, elected, confirmed)
near the post, or taking over / becoming the post; hedged or future-conditional forms
do not count ("is expected to be nominated", "would take over"), and neither does a
selection verb in a clause about a nomination ("confirmed that Ruritania nominated X").
"""

from __future__ import annotations

from kingmaker.extract.context import SentenceView
from kingmaker.extract.dates import find_dates, month_of
from kingmaker.extract.events import Event
from kingmaker.extract.lexicon import (
    DATED_LEAVE_CUES,
    LEAVE_CUES,
    SELECT_VERBS,
    TAKEOVER_CUES,
    words,
)

_PAST_HANDOVER = {"took", "stepped", "handed", "left", "replaced"}
_APPOINT_BLOCK = words(
    "expected expect could may might would likely can set hope hopes if whether"
    " predictions should aim aiming plan plans pending certain secure way once until"
    " before formality coming"
)
# a nomination, a candidacy or a shortlist is a step before the choice, not the choice
NOMINATION = words(
    "nominate nominated nominates nominating nomination nominations nominee nominees candidate"
    " candidates candidacy candidature bid propose proposed proposes proposing shortlist"
    " shortlisted short-listed recommend recommended"
)
_OPENERS = words("after before while when because since although though whereas")
_NOUN_OK = words(
    "formalised formalized welcome welcomes welcomed consensus official sealed"
    " approved congratulated"
)
_JOB = words(
    "post job chief head secretary secretary-general leader role director director-general"
    " president presidency chair chairman chairwoman commissioner managing-director"
)
_TAKEN = {"post", "job", "role", "helm", "reins", "position", "office"}
BASE = {"model": 0.85, "fallback": 0.8}


def vacancy_events(v: SentenceView) -> list[Event]:
    """The vacancy stated in this sentence, if any."""
    incs = [m for m in v.mentions if m.kind == "incumbent"]
    if not incs or v.ctx.gaz.incumbent is None:
        return []
    cues = []
    for lo, hi in v.clauses:
        if any(lo <= m.start < hi for m in incs) or (lo > incs[0].start and _he(v, lo, hi)):
            cues += v.find(LEAVE_CUES, lo, hi)
    day = v.ctx.day
    dates = [d for d in find_dates(v.text, day, future=True) if d.precision != "weekday"]
    here = month_of(day.isoformat()) if day else None
    for s, _, cue in sorted(cues, key=lambda c: (c[2] in DATED_LEAVE_CUES, c[0])):
        usable = [
            d for d in dates if cue not in ("extended", "extension") or _until(v.text, d.start)
        ]
        future = [d.value[:7] for d in usable if here is None or _month(d.value) >= here]
        ends = max(future, default=None)
        undated_ok = cue not in ("extended", "extension") and not _successor_named(v, s)
        if cue in DATED_LEAVE_CUES and (
            (ends is None and not undated_ok)
            or (ends is not None and (day is None or month_of(ends) == here))
        ):
            continue  # 'X, the favourite to succeed Y': the successor's bid, undated
        if ends is None and len(future) < len(usable):
            continue
        if ends is not None and month_of(ends) == here and v.sent.doc[s].lower_ in _PAST_HANDOVER:
            continue
        vac = v.ctx.gaz.vacancy_date
        if ends is None and day is not None and vac is not None and day >= vac:
            continue
        rule = "vacancy." + cue.replace(" ", "-") + (".dated" if ends else "")
        start = min(m.start for m in incs)
        conf = BASE[v.ctx.mode] * v.hedge(min(start, s), s)[0] ** 0.5
        return [v.event("vacancy", rule, conf, incumbent=v.ctx.gaz.incumbent, ends=ends)]
    return []


def _successor_named(v: SentenceView, s: int) -> bool:
    """A candidate or a pronoun named before the succession cue at ``s``: the sentence is
    about who may succeed, not that the post falls vacant ('the race to succeed Y' is)."""
    doc = v.sent.doc
    return any(m.candidate and m.start < s for m in v.mentions) or any(
        doc[i].lower_ in ("he", "she", "his", "her", "him") for i in range(v.sent.start, s)
    )


def _month(value: str) -> tuple[int, int]:
    return int(value[:4]), int(value[5:7])


def _he(v: SentenceView, lo: int, hi: int) -> bool:
    """A clause about 'he' or 'his term' after the incumbent was named."""
    return any(
        v.sent.doc[i].lower_ in ("he", "his", "she", "her") for i in range(lo, min(hi, lo + 4))
    )


def _until(text: str, pos: int) -> bool:
    before = text[max(0, pos - 12) : pos].lower().split()
    return bool(before) and before[-1] in ("to", "until", "till", "through")


def appointment_events(v: SentenceView) -> list[Event]:
    """Appointments stated in this sentence."""
    out: list[Event] = []
    doc = v.sent.doc
    for lo, hi in v.clauses:
        nominating = any(not _acted_on(v, w.start, lo) for w in v.words_in(NOMINATION, lo, hi))
        for w in v.words_in(SELECT_VERBS, lo, hi):
            if nominating or not _job_near(v, lo, hi) or _blocked(v, lo, w.start):
                continue
            if w.lower == "appointment" and not _noun_ok(v, lo, w.start, hi):
                continue
            if (
                w.start > lo
                and doc[w.start - 1].lower_ == "to"
                and doc[w.start - 2].lower_ != "decision"
            ):
                continue
            cand = _candidate(v, w.start, w.end, lo, hi, backward=_passive(v, w.start, lo))
            if cand:
                out.append(_appointment(v, cand, "appointment.select", lo, hi))
        for s, e, cue in v.find(TAKEOVER_CUES, lo, hi):
            if _blocked(v, lo, s) or (s > lo and doc[s - 1].lower_ == "to"):
                continue
            handover = cue.startswith(("hand", "handover"))
            if not handover and not _post_after(v, e, hi):
                continue
            cand = _candidate(v, s, e, lo, hi, backward=not handover)
            if cand:
                out.append(_appointment(v, cand, "appointment.takeover", lo, hi, takeover=True))
    for m in v.mentions:
        if m.kind == "post" and m.start > v.sent.start and doc[m.start - 1].lower_ == "new":
            nxt = v.at(m.end) or v.at(m.end + 1)
            if nxt is not None and nxt.candidate:
                out.append(
                    _appointment(v, nxt.candidate, "appointment.new-post", *v.clause_of(m.start))
                )
    return out


def _passive(v: SentenceView, s: int, lo: int) -> bool:
    """Whether the subject is the appointee: 'X was appointed', 'X, confirmed', 'X appointed as'."""
    doc = v.sent.doc
    i = s - 1
    while i >= lo and doc[i].lower_ in ("formally", "officially", "unanimously", "been", "finally"):
        i -= 1
    if i >= lo and doc[i].lower_ in ("was", "is", "been", "be", ",", "being"):
        return True
    k = s + 1
    while k < v.sent.end and doc[k].lower_ in ("new", "next", "the", "its"):
        k += 1
    nxt = v.at(k) if k < v.sent.end else None
    headline = s + 1 < v.sent.end and (
        doc[s + 1].lower_ in ("as", "by") or (nxt is not None and nxt.kind == "post")
    )
    return i >= lo and v.at(i) is not None and headline


def _appointment(
    v: SentenceView, cand: str, rule: str, lo: int, hi: int, *, takeover: bool = False
) -> Event:
    base = v.sent.start_char
    lo_c = v.sent.doc[lo].idx - base
    hi_c = v.sent.doc[hi - 1].idx + len(v.sent.doc[hi - 1]) - base
    dates = [d for d in find_dates(v.text, v.ctx.day) if lo_c <= d.start < hi_c]
    days = [d.value for d in dates if d.precision in ("day", "weekday")]
    ahead = find_dates(v.text, v.ctx.day, future=True)
    future = [d.value for d in ahead if d.precision != "weekday" and lo_c <= d.start < hi_c]
    takes = max(future, default=None) if takeover else None
    date = None if takeover else (days[0] if days else None)
    conf = BASE[v.ctx.mode] * v.hedge(lo, hi)[0] ** 0.5
    return v.event("appointment", rule, conf, candidate=cand, date=date, takes_office=takes)


def _acted_on(v: SentenceView, i: int, lo: int) -> bool:
    """A nomination the body confirms: 'approved the nomination of X' is the choice."""
    doc = v.sent.doc
    if doc[i].lower_ not in ("nomination", "nominations", "candidacy", "candidature", "bid"):
        return False
    back = [doc[j].lower_ for j in range(max(lo, i - 7), i)]
    verbs = [k for k, w in enumerate(back) if w in SELECT_VERBS]
    return bool(verbs) and "that" not in back[verbs[-1] :]  # not 'confirmed that it received'


def _job_near(v: SentenceView, lo: int, hi: int) -> bool:
    doc = v.sent.doc
    return any(m.kind == "post" for m in v.mentions) or any(
        doc[i].lower_ in _JOB for i in range(lo, hi)
    )


def _post_after(v: SentenceView, e: int, hi: int) -> bool:
    """The post (or its incumbent) follows the cue; an acting or interim head ('became
    acting director-general') is standing in, not appointed to the post."""
    doc = v.sent.doc
    for i in range(e, min(hi, e + 6)):
        m = v.at(i)
        if m is not None and m.kind in ("post", "incumbent"):
            return not any(doc[j].lower_ in _STAND_IN for j in range(e, m.start))
    return False


_STAND_IN = frozenset({"acting", "interim", "caretaker", "temporary"})


def _blocked(v: SentenceView, lo: int, s: int) -> bool:
    doc = v.sent.doc
    return any(doc[i].lower_ in _APPOINT_BLOCK for i in range(lo, s)) or (
        s > lo + 1 and doc[s - 1].lower_ == "be" and doc[s - 2].lower_ in ("will", "to")
    )


def _noun_ok(v: SentenceView, lo: int, s: int, hi: int) -> bool:
    doc = v.sent.doc
    if any(doc[i].lower_ in _NOUN_OK for i in range(max(lo, s - 6), s)):
        return True
    return any(d.precision == "day" for d in find_dates(doc[s:hi].text, v.ctx.day))


def _candidate(v: SentenceView, s: int, e: int, lo: int, hi: int, *, backward: bool) -> str | None:
    for i in range(e, min(hi, e + 10)):
        m = v.at(i)
        if m is not None and m.candidate:
            return m.candidate
        if (m is not None and m.kind in ("post", "incumbent")) or v.sent.doc[i].lower_ in _OPENERS:
            break
    if not backward:
        return None
    for i in range(s - 1, lo - 1, -1):
        m = v.at(i)
        if m is not None and m.candidate:
            return m.candidate
        if v.sent.doc[i].lower_ in ("he", "she") and m is None:
            return v.pronoun_candidate(v.sent.doc[i])
    return None
