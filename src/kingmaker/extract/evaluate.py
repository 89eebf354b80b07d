"""Score the extractor against hand-annotated articles: precision, recall, F1 per event type.

Gold rows use the annotators' conventions (``data/news/*/README.md``): English member
names and normalised person names, mapped here to the race's ids. Matching is per
article on the event key: stance on member, candidate, stance and lifted; candidacy on
person and status; count on candidate and count; appointment on person; vacancy on
the incumbent. Events below ``threshold`` confidence count as not extracted.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kingmaker.errors import ExtractionError
from kingmaker.extract.events import KINDS, Event
from kingmaker.extract.gazetteer import fold
from kingmaker.records import Article, Race

Key = tuple[str | int | bool | None, ...]


class _Extracts(Protocol):
    @property
    def mode(self) -> str: ...

    def extract(self, article: Article) -> list[Event]: ...


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold event the extractor did not produce."""

    article: str
    key: Key


@dataclass(frozen=True, slots=True)
class FalseAlarm:
    """An extracted event the gold does not have."""

    article: str
    event: Event


@dataclass
class Score:
    """Counts and rates for one event type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was extracted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when the gold has none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per event type, and every miss and false alarm."""

    mode: str
    threshold: float
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)

    def render(self, *, details: bool = False) -> str:
        """A plain-text table (and, with ``details``, the misses and false alarms)."""
        lines = [f"extraction ({self.mode} mode, threshold {self.threshold:.2f})",
                 f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]  # fmt: skip
        for kind, s in self.scores.items():
            lines.append(
                f"{kind:<14}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
            )
        if details:
            lines.append("misses:")
            lines += [f"  {m.article}  {' '.join(map(str, m.key))}" for m in self.misses]
            lines.append("false alarms:")
            lines += [
                f"  {f.article}  {f.event.describe()}  | {f.event.sentence[:120]}"
                for f in self.false_alarms
            ]
        return "\n".join(lines)


def evaluate(
    articles: Sequence[Article],
    gold: Mapping[str, Sequence[Mapping[str, Any]]],
    race: Race,
    extractor: _Extracts,
    *,
    threshold: float = 0.5,
) -> Report:
    """Run ``extractor`` on ``articles`` and compare with ``gold`` (keyed by article id).

    Args:
        articles: the articles to read.
        gold: article id -> gold event rows (the ``gold.jsonl`` format).
        race: the race, to map gold names to member and candidate ids.
        extractor: anything with ``extract(article)`` and ``mode``.
        threshold: events with a lower confidence are ignored, as forecasts would.

    Returns:
        A Report with a Score per event type and the misses and false alarms.
    """
    report = Report(mode=extractor.mode, threshold=threshold)
    for a in articles:
        label = article_label(a)
        want = {gold_key(g, race) for g in gold.get(a.id, ())}
        got: dict[Key, Event] = {}
        for e in extractor.extract(a):
            if e.confidence >= threshold:
                got.setdefault(e.key(), e)
        for k in want | set(got):
            s = report.scores[str(k[0])]
            if k in want and k in got:
                s.tp += 1
            elif k in got:
                s.fp += 1
                report.false_alarms.append(FalseAlarm(label, got[k]))
            else:
                s.fn += 1
                report.misses.append(Miss(label, k))
    return report


def article_label(a: Article) -> str:
    """A short name for an article in reports: its file anchor, URL or id."""
    if a.file and "#" in a.file:
        return a.file.rsplit("#", 1)[1]
    return a.file or a.url or a.id[:12]


def gold_key(g: Mapping[str, Any], race: Race) -> Key:
    """The matching key of one gold row, with names mapped to the race's ids."""
    kind = str(g["type"])
    if kind == "stance":
        return (
            kind,
            _member(race, g["member"]),
            _person(race, g["candidate"]),
            g["stance"],
            bool(g.get("lifted")),
        )
    if kind == "candidacy":
        return (kind, _person(race, g["person"]), g["status"])
    if kind == "support_count":
        return (kind, _person(race, g["candidate"]), g.get("count"))
    if kind == "appointment":
        return (kind, _person(race, g["person"]))
    return (kind, g.get("incumbent"))


def _member(race: Race, name: str) -> str:
    for b in race.bodies:
        for m in b.members:
            if fold(name) in (fold(m.name), fold(m.id), *(fold(a) for a in m.aliases)):
                return m.id
    return name


def _person(race: Race, name: str) -> str:
    for c in race.candidates:
        if fold(name) in (fold(c.name), fold(c.id), *(fold(a) for a in c.aliases)):
            return c.id
    return name


def load_gold_set(directory: Path | str) -> tuple[list[Article], dict[str, list[dict[str, Any]]]]:
    """Read ``articles.jsonl`` and ``gold.jsonl`` of an annotated set (one directory)."""
    d = Path(directory)
    return load_gold_files(d / "articles.jsonl", d / "gold.jsonl")


def load_gold_files(
    articles_path: Path | str, gold_path: Path | str
) -> tuple[list[Article], dict[str, list[dict[str, Any]]]]:
    """Read an annotated set: articles JSONL (``id``, ``url``, ``date``, ``text``) and gold
    JSONL (``id``, ``events``).

    Returns:
        The articles (id = sha256 of the NFC text; ``file`` ends in ``#<row id>``) and
        the gold rows keyed by article id.

    Raises:
        ExtractionError: a file that cannot be read or a line that is not a JSON object.
    """
    apath, gpath = Path(articles_path), Path(gold_path)
    articles: list[Article] = []
    ids: dict[str, str] = {}
    for n, row in _jsonl(apath):
        if "text" not in row or "id" not in row:
            raise ExtractionError(f"{apath}:{n}: an article needs 'id' and 'text'")
        text = unicodedata.normalize("NFC", row["text"]).strip()
        aid = hashlib.sha256(text.encode()).hexdigest()
        ids[row["id"]] = aid
        articles.append(
            Article(
                id=aid,
                text=text,
                date=row.get("date"),
                date_basis=row.get("date_basis", ""),
                url=row.get("url"),
                file=f"{apath.parent.name}/{apath.name}#{row['id']}",
            )
        )
    gold: dict[str, list[dict[str, Any]]] = {}
    for n, row in _jsonl(gpath):
        if "id" not in row or not isinstance(row.get("events"), list):
            raise ExtractionError(f"{gpath}:{n}: a gold row needs 'id' and a list of 'events'")
        gold[ids.get(row["id"], row["id"])] = list(row["events"])
    return articles, gold


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractionError(f"{path}: cannot read ({exc})") from None
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExtractionError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ExtractionError(f"{path}:{n}: expected a JSON object")
        out.append((n, row))
    return out
