"""What every rule sees: the sentence, its mentions, its clauses, and the article around it.

``SentenceView`` holds one sentence of a parsed chunk with its resolved mentions and
its clauses (split at semicolons, colons, dashes and contrastive conjunctions); it
answers the questions rules share: which mention covers a token, what a pronoun
refers to, how hedged a stretch of text is, and it builds events with provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from kingmaker.extract.events import COMPONENTS, Event, EventKind, Mode
from kingmaker.extract.gazetteer import Gazetteer
from kingmaker.extract.lexicon import HEDGE_MILD, HEDGE_STRONG, REPORTING
from kingmaker.extract.mentions import Mention

_CLAUSE_PUNCT = {";", ":"}
_DASHES = {"—", "–", "-", "--"}
_SCOPE = {
    "that",
    "because",
    "which",
    "who",
    "while",
    "when",
    "after",
    "before",
    "since",
    "as",
    "if",
    "whether",
    "whom",
}
_CLAUSE_CONJ = {"but", "while", "although", "though", "whereas", "however"}
MALE = {"him", "his", "he", "himself"}
FEMALE = {"her", "hers", "she", "herself"}
MEMBER_PRONOUNS = {"it", "its", "they", "their", "we", "our"}


@dataclass
class ArticleContext:
    """Article-level facts the rules need: date, gazetteer, mode, earlier candidates."""

    gaz: Gazetteer
    day: dt.date | None
    mode: Mode
    earlier: Callable[[int, str | None], str | None]
    text: str = ""  # the article, at the offsets of ``SentenceView.offset``


@dataclass
class SentenceView:
    """One sentence with its mentions and clauses, and helpers for the rules."""

    sent: Span
    offset: int
    text: str
    mentions: list[Mention]
    ctx: ArticleContext
    clauses: list[tuple[int, int]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    _by_token: dict[int, Mention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            for i in range(m.start, m.end):
                self._by_token[i] = m
        self.clauses = split_clauses(self.sent)
        self.words = merge_words(self.sent)

    def find(self, cues: Sequence[tuple[str, ...]], lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Cue phrases (word tuples) found in tokens [lo, hi): (first token, end token, cue)."""
        index = _index(cues)
        out = []
        ws = [w for w in self.words if lo <= w.start and w.end <= hi]
        for k, w in enumerate(ws):
            for cue in index.get(w.lower, ()):
                n = len(cue)
                if k + n <= len(ws) and all(ws[k + j].lower == cue[j] for j in range(1, n)):
                    out.append((w.start, ws[k + n - 1].end, " ".join(cue)))
        return sorted(out)

    def words_in(self, vocab: frozenset[str] | set[str], lo: int, hi: int) -> list[Word]:
        """Words of [lo, hi) whose lower-case form is in ``vocab``."""
        return [w for w in self.words if lo <= w.start and w.end <= hi and w.lower in vocab]

    @property
    def model(self) -> bool:
        """Whether a dependency parse is available."""
        return self.ctx.mode == "model"

    def at(self, i: int) -> Mention | None:
        """The mention covering token ``i``, if any."""
        return self._by_token.get(i)

    def clause_of(self, i: int) -> tuple[int, int]:
        """The clause (token range) containing token ``i``."""
        for s, e in self.clauses:
            if s <= i < e:
                return s, e
        return self.sent.start, self.sent.end

    def pronoun_candidate(self, tok: Token) -> str | None:
        """The candidate a third-person pronoun refers to (nearest earlier, gender-aware)."""
        gender = "male" if tok.lower_ in MALE else "female" if tok.lower_ in FEMALE else None
        for m in reversed(self.mentions):
            if m.end <= tok.i and m.candidate and _gender_ok(m.gender, gender):
                return m.candidate
        char = self.offset + (tok.idx - self.sent.start_char)
        return self.ctx.earlier(char, gender)

    def hedge(self, start: int, end: int, anchor: int | None = None) -> tuple[float, list[str]]:
        """A confidence factor for hedges in [start, end) and attribution in the sentence.

        Strong hedges (may, likely, expected to, if...) count from the last clause
        opener (that, because, which...) before ``anchor`` (default ``end``); mild ones
        (reportedly, according to, anonymous sources) anywhere in the sentence.
        """
        factor, why = 1.0, []
        doc = self.sent.doc
        lo = max(start, self.sent.start)
        top = min(end if anchor is None else anchor + 1, self.sent.end)
        for i in range(top - 1, lo - 1, -1):
            if doc[i].lower_ in _SCOPE and i < top - 1:
                lo = i
                break
        for i in range(lo, min(end, self.sent.end)):
            w = doc[i].lower_
            if w in HEDGE_STRONG and not (w == "would" and self._reported(i)):
                if w == "expected" and i + 1 < len(doc) and doc[i + 1].lower_ != "to":
                    continue
                if w == "likely" and doc[i - 1].lower_ == "most":
                    continue
                factor *= 0.45
                why.append(w)
        for tok in self.sent:
            if tok.lower_ in HEDGE_MILD and tok.lower_ not in why:
                factor *= 0.85
                why.append(tok.lower_)
        return factor, why

    def _reported(self, i: int) -> bool:
        """Whether ``would`` at ``i`` is a reported ``will`` ('said it would back')."""
        doc = self.sent.doc
        lo = self.clause_of(i)[0]
        return any(doc[j].lower_ in REPORTING for j in range(max(lo, i - 8), i))

    def event(self, kind: EventKind, rule: str, confidence: float, **fields: Any) -> Event:
        """An event of this sentence with provenance filled in."""
        name, version = COMPONENTS[kind]
        return Event(
            kind=kind,
            sentence=self.text,
            span=(self.offset, self.offset + len(self.text)),
            rule=rule,
            extractor=name,
            version=version,
            mode=self.ctx.mode,
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            **fields,
        )


@dataclass(frozen=True, slots=True)
class Word:
    """A word: one token, or tokens joined by hyphens without spaces ('front-runner')."""

    lower: str
    start: int
    end: int


def merge_words(sent: Span) -> list[Word]:
    """The words of ``sent`` with hyphenated compounds joined."""
    out: list[Word] = []
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        j = i + 1
        while (
            j + 1 < sent.end
            and doc[j].text == "-"
            and not doc[j - 1].whitespace_
            and not doc[j].whitespace_
        ):
            j += 2
        out.append(Word("".join(t.lower_ for t in doc[i:j]), i, j))
        i = j
    return out


_INDEXES: dict[int, tuple[Sequence[tuple[str, ...]], dict[str, list[tuple[str, ...]]]]] = {}


def _index(cues: Sequence[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Cue phrases by first word, built once per cue list (the lists are module constants)."""
    hit = _INDEXES.get(id(cues))
    if hit is not None and hit[0] is cues:
        return hit[1]
    index: dict[str, list[tuple[str, ...]]] = {}
    for cue in dict.fromkeys(cues):
        index.setdefault(cue[0], []).append(cue)
    _INDEXES[id(cues)] = (cues, index)
    return index


def _gender_ok(have: str | None, want: str | None) -> bool:
    return want is None or have is None or have == want


def split_clauses(sent: Span) -> list[tuple[int, int]]:
    """Token ranges of the clauses of ``sent`` (a pair of dashes encloses an aside)."""
    out: list[tuple[int, int]] = []
    start = sent.start
    doc = sent.doc
    dashes = [t for t in sent if t.text in _DASHES and _spaced(t)]
    for tok in sent:
        if tok.text in _DASHES:
            cut = _spaced(tok) and len(dashes) == 1
        else:
            cut = tok.text in _CLAUSE_PUNCT or (
                tok.lower_ in _CLAUSE_CONJ and tok.i > start and doc[tok.i - 1].text == ","
            )
        if cut and tok.i > start:
            out.append((start, tok.i))
            start = tok.i + 1 if tok.text in _CLAUSE_PUNCT or tok.text in _DASHES else tok.i
    if start < sent.end:
        out.append((start, sent.end))
    return out or [(sent.start, sent.end)]


def _spaced(tok: Token) -> bool:
    """A dash with spaces on both sides (an aside), not a hyphen inside a word."""
    return bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)
