"""The cheap first stage: split an article into sentences and keep those that name the race.

Sentences are found with a regular expression (abbreviations and initials do not end a
sentence); one compiled pattern of every gazetteer name, plus an edit-distance check
on capitalised words for misspelt candidates, tells which sentences mention a member,
a person, a group, the post or the incumbent. Only those go on to spaCy.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kingmaker.extract.gazetteer import REGION_WORDS, Gazetteer, Ref
from kingmaker.extract.lexicon import words

_END = re.compile(r"[.!?]+[\"'’”)\]]*(?:\s+|$)|\n\s*\n")
_NEXT = re.compile(r"[\"'‘“(\[]?[A-Z0-9À-ÝŠŽČĽ]")
_ABBREV = words(
    "mr mrs ms dr gen sen rep st jan feb mar apr jun jul aug sep sept oct nov dec no"
    " vs etc inc ltd co corp jr sr prof gov lt col capt u.s u.k e.g i.e approx est fig"
    " p.m a.m adm maj sgt rev hon"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WINDOW = 64  # characters before a full stop searched for the word it ends
_CAPWORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÝŠŽČĽ][\w'’-]{3,}")


@dataclass(frozen=True, slots=True)
class Hit:
    """A gazetteer name found in the text (character offsets)."""

    start: int
    end: int
    ref: Ref
    surface: str | None = None  # the name as the race writes it, where the text's case differs
    local: bool = False  # an office this article gives a member (roles.py), not a race name


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if end < len(text) and not m.group().startswith("\n"):
            if not _NEXT.match(text, end):
                continue
            # the word before the stop, looked for in a short window (not the whole text
            # before it: that made long articles quadratic)
            word = _WORD_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start() + 1)
            w = word.group(1).lower().rstrip(".") if word else ""
            if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


class Prefilter:
    """Find gazetteer names in raw text, fast, without spaCy."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        exact = sorted((s for s in gaz.surfaces if s), key=len, reverse=True)
        cased = [s for s in exact if gaz.surfaces[s].kind != "post" and s != s.lower()]
        loose = [s for s in exact if s not in set(cased)]
        self._cased = _alternation(cased, 0)
        self._loose = _alternation(loose, re.IGNORECASE)
        self._lower = {s.lower(): gaz.surfaces[s] for s in loose}
        # names in text whose case is lost (all lower case, or shouted in capitals)
        self._anycase = _alternation([s for s in cased if len(s) >= 4], re.IGNORECASE)
        self._folded = {s.lower(): s for s in cased}
        self._name_words = {w.lower() for s in cased for w in s.split() if len(w) >= 4}
        # names whatever their accents ('Pejčinović' for 'Pejcinovic' and back): every
        # cased name on a text with accents, the accented names on one without
        plain: dict[str, str] = {}
        for s in cased:
            plain.setdefault(fold_chars(s), s)
        self._accentless = {k: v for k, v in plain.items() if k != v and len(k) >= 4}
        self._by_plain = plain
        self._plain_all = _alternation([k for k in plain if len(k) >= 4], 0)
        self._plain_accented = _alternation(list(self._accentless), 0)

    def _shouted(self, text: str) -> bool:
        """Whether a word in capitals is part of a name ('VON DER LEYEN'), not an acronym."""
        return any(m.group().lower() in self._name_words for m in _SHOUT.finditer(text))

    def hits(self, text: str) -> list[Hit]:
        """Every name in ``text``, longest first where they overlap, in text order."""
        found: list[Hit] = []
        taken = _Spans()
        for rx in (self._cased, self._loose):
            if rx is None:
                continue
            for m in rx.finditer(text):
                if taken.overlaps(m.start(), m.end()):
                    continue
                surface = m.group()
                ref = self.gaz.surfaces.get(surface) or self._lower.get(surface.lower())
                if ref is not None and ref.kind == "member" and _in_region(text, m.start()):
                    continue  # 'Latin America', 'Northern Ireland': not the member
                if ref is not None:
                    found.append(Hit(m.start(), m.end(), ref))
                    taken.add(m.start(), m.end())
        flat = _caseless(text)
        if self._anycase is not None and (flat or self._shouted(text)):
            for m in self._anycase.finditer(text):
                got = m.group()
                if taken.overlaps(m.start(), m.end()) or not (flat or got.isupper()):
                    continue
                surface = self._folded.get(got.lower(), "")
                if surface and len(surface) == len(got):
                    found.append(Hit(m.start(), m.end(), self.gaz.surfaces[surface], surface))
                    taken.add(m.start(), m.end())
        self._accent_hits(text, taken, found)
        for m in _CAPWORD.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            key = self.gaz.fuzzy(m.group())
            if key is not None:
                found.append(Hit(m.start(), m.end(), Ref("person", key)))
        return sorted(found, key=lambda h: h.start)

    def _accent_hits(self, text: str, taken: _Spans, found: list[Hit]) -> None:
        """Names the text spells with other accents than the race: found on the text with
        its accents dropped (same length), and written as the race writes them."""
        accented = not text.isascii()
        rx = self._plain_all if accented else self._plain_accented
        if rx is None:
            return
        flat = fold_chars(text) if accented else text
        for m in rx.finditer(flat):
            surface = self._by_plain.get(m.group())
            if surface is None or taken.overlaps(m.start(), m.end()):
                continue
            if text[m.start() : m.end()] != surface:
                found.append(Hit(m.start(), m.end(), self.gaz.surfaces[surface], surface))
                taken.add(m.start(), m.end())


_WORD_END = re.compile(r"([A-Z][a-z]+) $")


def _in_region(text: str, start: int) -> bool:
    """Whether the name starting at ``start`` follows a compass word ('Latin ' America)."""
    before = _WORD_END.search(text, max(0, start - 12), start)
    return before is not None and before.group(1) in REGION_WORDS


def fold_chars(text: str) -> str:
    """``text`` without accents, letter for letter (same length): 'Burić' -> 'Buric'."""
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c.isascii():
        return c
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return base if len(base) == 1 else c


def _caseless(text: str) -> bool:
    """Whether ``text`` has lost its capitals (machine-spun or all lower-case copy)."""
    letters = [c for c in text[:4000] if c.isalpha()]
    return len(letters) > 40 and sum(c.isupper() for c in letters) < len(letters) / 70


def recased(text: str, hits: list[Hit]) -> str:
    """``text`` with each name whose case was lost written as the race writes it (same
    length, so every offset still holds)."""
    fixes = [h for h in hits if h.surface is not None]
    if not fixes:
        return text
    parts, last = [], 0
    for h in fixes:
        parts += [text[last : h.start], h.surface or ""]
        last = h.end
    return "".join([*parts, text[last:]])


_SHOUT = re.compile(r"(?<![\w'’-])[A-ZÀ-Ý][A-ZÀ-Ý'’-]{3,}(?![\w'’-])")


class _Spans:
    """Disjoint character spans, sorted, with a logarithmic overlap test."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a kept span."""
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        """Keep ``[start, end)``, which overlaps no kept span."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def _alternation(words: list[str], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


def select(text: str, hits: list[Hit]) -> list[tuple[int, int]]:
    """The sentence spans of ``text`` that contain at least one hit."""
    spans = split_sentences(text)
    out: list[tuple[int, int]] = []
    i = 0
    for s, e in spans:
        while i < len(hits) and hits[i].end <= s:
            i += 1
        if i < len(hits) and hits[i].start < e:
            out.append((s, e))
    return out
