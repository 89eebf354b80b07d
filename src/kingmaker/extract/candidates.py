"""Find the candidates a candidacy cue is about: the subject list before it, or a list after.

"Estonian Prime Minister Kaja Kallas and Latvian Foreign Minister Krišjānis Kariņš have
shown interest": titles and demonyms between coordinated names are skipped. A pronoun
("he", "she", "his") stands for the candidate it refers to; a relative "who" after a
comma for the name before the comma.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kingmaker.extract.context import FEMALE, MALE, SentenceView

_STOP = {"that", "because", "which", "while", "whether", "if", "when", "after", "since", ";"}
_GLUE = {",", "and", "or", "nor", "'", "’", "'s", "’s"}


def before(v: SentenceView, s: int, lo: int, *, reach: int = 12) -> list[str]:
    """The candidate (or coordinated candidates) nearest before token ``s`` in [lo, s)."""
    doc = v.sent.doc
    found: list[str] = []
    i, gap = s - 1, 0
    while i >= lo:
        m = v.at(i)
        if m is not None:
            if m.candidate and m.candidate not in found:
                found.append(m.candidate)
            elif found and not m.members and not m.candidate:
                break
            i = m.start - 1
            continue
        w = doc[i].lower_
        if not found:
            if _subject_pronoun(doc, i, s):
                c = v.pronoun_candidate(doc[i])
                return [c] if c else []
            if w == "who" and i - 1 >= lo and doc[i - 1].text == ",":
                i -= 2
                continue
            aside = _relative_aside(doc, i, lo)
            if aside is not None:  # 'X, who became acting head in July, has put himself forward'
                i = aside
                continue
            gap += 1
            if w in _STOP or gap > reach:
                return []
        elif w not in _GLUE and not (doc[i].is_title and doc[i].is_alpha):
            opened = _apposition(v, i, lo)
            if opened is None:
                break
            i = opened  # 'A, a Borean diplomat, and B have withdrawn': A, past the aside
            continue
        i -= 1
    return found


def _apposition(v: SentenceView, i: int, lo: int) -> int | None:
    """If token ``i`` ends an aside ', a/an/the ...' (up to eight words, no candidate in it)
    that follows a candidate's name, the last token of that name; else None."""
    doc = v.sent.doc
    for j in range(i - 1, max(lo, i - 9), -1):
        inside = v.at(j)
        if inside is not None and inside.candidate:
            return None
        if doc[j].text == ",":
            named = v.at(j - 1) if j - 1 >= lo else None
            if doc[j + 1].lower_ in ("a", "an", "the") and named and named.candidate:
                return j - 1
            return None
    return None


def named_between(v: SentenceView, lo: int, hi: int) -> list[str]:
    """The candidates mentioned strictly between tokens ``lo`` and ``hi``, in order, once."""
    return list(dict.fromkeys(m.candidate for m in v.mentions if m.candidate and lo < m.start < hi))


def series_end(v: SentenceView, hi: int) -> int:
    """Where a semicolon series of candidates ends, if the clause ending at token ``hi`` (a
    semicolon) opens one: "A, the Dutch economist; B; C, a former minister; and D". Every
    segment after it names exactly one candidate, and the last opens with "and"; without
    that closing "and" (two clauses joined by a semicolon) the clause ends at ``hi``."""
    doc = v.sent.doc
    end = v.sent.end
    i = hi
    while i < end and doc[i].text == ";":
        j = next((k for k in range(i + 1, end) if doc[k].text in (";", ":")), end)
        if j - i > 30 or len(named_between(v, i, j)) != 1:
            return hi
        if doc[i + 1].lower_ == "and":
            return j
        i = j
    return hi


def _relative_aside(doc: Doc, i: int, lo: int) -> int | None:
    """If token ``i`` is the comma closing an aside opened by ', who/which/whose', the
    token just before that aside's opening comma; else None."""
    if doc[i].text != ",":
        return None
    for j in range(i - 1, max(lo, i - 30) - 1, -1):
        if doc[j].text == ",":
            if j + 1 < i and doc[j + 1].lower_ in ("who", "which", "whose"):
                return j - 1
            return None
    return None


def _subject_pronoun(doc: Doc, i: int, s: int) -> bool:
    w = doc[i].lower_
    if w in ("him", "her"):
        return i + 1 < s and doc[i + 1].lower_ == "as"
    return (w in MALE or w in FEMALE) and w not in ("herself", "himself")


def after(v: SentenceView, e: int, hi: int, *, reach: int = 36) -> list[str]:
    """Candidates listed after token ``e`` (up to ``reach`` tokens, before ``hi``)."""
    doc = v.sent.doc
    found: list[str] = []
    i = e
    while i < min(hi, e + reach):
        m = v.at(i)
        if m is not None:
            if m.candidate and m.candidate not in found:
                found.append(m.candidate)
            i = m.end
            continue
        w = doc[i].lower_
        if found and w in (".", ";", "who", "which", "that", "but"):
            break
        if not found and w in ("him", "her"):
            c = v.pronoun_candidate(doc[i])
            return [c] if c else []
        i += 1
    return found
