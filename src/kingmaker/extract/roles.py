"""'The minister said ...': an office named alone stands for the member whose office the
article named last.

"China's agriculture minister, Han Changfu, met Lund. The minister reaffirmed China's
support ...": a member's name right before an office noun ("Borea's foreign minister",
"the Borean ambassador") introduces the office; a later "the minister" (or "the
ambassador", "the president", ...) within a few sentences speaks for that member, the
member whose same office was named last. The pre-filter gets a member hit there, so the
sentence is read, and the rules see the office as a role mention of the member
(mentions.py). 'The minister of X' (another office) and an office followed by a name
(someone else, or a name the race gives) are left alone.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kingmaker.extract.gazetteer import Ref
from kingmaker.extract.lexicon import OFFICE_HEADS
from kingmaker.extract.prefilter import Hit

_HEAD = "|".join(sorted(OFFICE_HEADS))
# member (hit) + 's? + a few title words + office head: "Borea's foreign minister"
_TITLE = re.compile(
    rf"(?:['’]s)?(?:\s+(?:foreign|finance|trade|agriculture|health|prime|deputy|vice|"
    rf"new|current|acting|interim|outgoing|caretaker))*\s+(?P<head>{_HEAD})\b",
    re.IGNORECASE,
)
_LATER = re.compile(rf"\b[Tt]he (?P<head>{_HEAD})\b(?!\s+(?:of|for|to)\b)(?![\w'’-]*\s+[A-Z])")
_REACH = 600  # characters: a few sentences


def role_hits(text: str, hits: list[Hit]) -> list[Hit]:
    """Member hits at each 'the <office>' that the article introduced for a member."""
    offices: list[tuple[int, str, str]] = []  # (end, head, member)
    for h in hits:
        if h.ref.kind != "member" or h.local:
            continue
        m = _TITLE.match(text, h.end)
        if m and not re.search(r"\b(?:former|ex)\b", m.group(), re.IGNORECASE):
            offices.append((m.end(), m.group("head").lower(), h.ref.key))
    if not offices:
        return []
    taken = [(h.start, h.end) for h in hits]
    out: list[Hit] = []
    for m in _LATER.finditer(text, offices[0][0]):
        head = m.group("head").lower()
        before = [o for o in offices if o[0] <= m.start() and o[1] == head]
        if not before or m.start() - before[-1][0] > _REACH:
            continue
        s, e = m.start("head"), m.end("head")
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(Hit(s, e, Ref("member", before[-1][2]), local=True))
    return out


def add_role_entities(doc: Doc, offset: int, local: list[Hit]) -> None:
    """Mark the role hits inside ``doc`` (which starts at character ``offset`` of the
    article) as entities of the member's office, where no name is already marked."""
    end = offset + len(doc.text)
    mine = [h for h in local if offset <= h.start and h.end <= end]
    if not mine:
        return
    taken = {t.i for e in doc.ents for t in e}
    new: list[Span] = []
    for h in mine:
        span = doc.char_span(h.start - offset, h.end - offset)
        if span is None or any(t.i in taken for t in span):
            continue
        new.append(Span(doc, span.start, span.end, label="OFFICE_KM", span_id=h.ref.key))
        taken.update(t.i for t in span)
    if new:
        doc.ents = [*doc.ents, *new]
