"""Score the extractor against hand-annotated articles: precision, recall, F1 per event type.

Gold rows use the annotators' conventions (``data/news/*/README.md``): English member
names and normalised person names, mapped here to the race's ids. Matching is per
article on the event key: stance on member, candidate, stance and lifted; candidacy on
person and status; count on candidate, what and count (the older ``support_count`` is
a ``count`` of what ``support``); appointment on person; vacancy on the incumbent.
Scoring is strict and member-level by default: stances of a bloc (``group``) or framed
as over (``past``), and events about another post of a package (``post``), are left
out (``keep_all`` keeps group and past stances), and so is what the extractor reads
about people the article's gold places only under another post. Events below
``threshold`` confidence count as not extracted. Each article is read against its own
``race`` (gold ids use underscores, race ids hyphens).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from kingmaker.errors import ExtractionError
from kingmaker.extract.events import KINDS, Event
from kingmaker.extract.gazetteer import fold
from kingmaker.records import Article, Race

Key = tuple[str | int | bool | None, ...]
WHATS = ("support", "oppose", "encourage", "discourage", "no opinion", "votes", "against",
         "abstain")  # fmt: skip
_NEEDS = {
    "candidacy": ("person", "status"),
    "stance": ("member", "candidate", "stance"),
    "count": ("count",),
    "support_count": ("count",),
    "vacancy": (),
    "appointment": ("person",),
}


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
    def empty(self) -> bool:
        """Nothing to score: no gold and nothing extracted."""
        return self.tp + self.fp + self.fn == 0

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

    def add(self, other: Score) -> None:
        """Pool ``other`` into this score."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int | None]:
        """Rates (None when there is nothing to score) and counts, for JSON."""
        rates = (None, None, None) if self.empty else (self.precision, self.recall, self.f1)
        return {"precision": rates[0], "recall": rates[1], "f1": rates[2],
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass
class Report:
    """Scores per event type, every miss and false alarm, and warnings about the gold."""

    mode: str
    threshold: float
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        """Pool ``other`` (another race's report) into this one."""
        for k, s in other.scores.items():
            self.scores.setdefault(k, Score()).add(s)
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.warnings += other.warnings

    def table(self, title: str) -> list[str]:
        """The score table under ``title``; "n/a" for a kind with nothing to score."""
        lines = [title, f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
        for kind, s in self.scores.items():
            rates = (
                f"{'n/a':>7}" * 3 if s.empty else f"{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}"
            )
            lines.append(f"{kind:<14}{rates}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
        return lines

    def render(self, *, details: bool = False, title: str | None = None) -> str:
        """A plain-text table (and, with ``details``, the misses and false alarms)."""
        head = title or f"extraction ({self.mode} mode, threshold {self.threshold:.2f})"
        lines = self.table(head)
        lines += [f"warning: {w}" for w in self.warnings]
        if details:
            lines.append("misses:")
            lines += [f"  {m.article}  {' '.join(map(str, m.key))}" for m in self.misses]
            lines.append("false alarms:")
            lines += [
                f"  {f.article}  {f.event.describe()}  | {f.event.sentence[:120]}"
                for f in self.false_alarms
            ]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Scores, misses, false alarms and warnings, for JSON."""
        return {
            "mode": self.mode,
            "threshold": self.threshold,
            "scores": {k: s.as_dict() for k, s in self.scores.items()},
            "warnings": self.warnings,
            "misses": [{"article": m.article, "key": list(m.key)} for m in self.misses],
            "false_alarms": [
                {"article": f.article, "event": f.event.describe(), "sentence": f.event.sentence}
                for f in self.false_alarms
            ],
        }


@dataclass
class Evaluation:
    """Reports per race and pooled over all of them."""

    pooled: Report
    races: dict[str, Report]

    def render(self, *, details: bool = False) -> str:
        """Every race's table, then the pooled one with its details."""
        if len(self.races) == 1:
            return self.pooled.render(details=details)
        lines: list[str] = []
        for rid, rep in self.races.items():
            lines += [*rep.table(f"{rid} ({rep.mode} mode)"), ""]
        p = self.pooled
        title = f"pooled over {len(self.races)} races ({p.mode} mode, threshold {p.threshold:.2f})"
        return "\n".join(lines) + "\n" + p.render(details=details, title=title)

    def as_dict(self) -> dict[str, Any]:
        """The pooled report, with each race's scores under ``races``."""
        out = self.pooled.as_dict()
        out["races"] = {rid: {"scores": r.as_dict()["scores"]} for rid, r in self.races.items()}
        return out


@dataclass
class Corpus:
    """An annotated set: its articles, gold rows by article id, and each article's race."""

    articles: list[Article]
    gold: dict[str, list[dict[str, Any]]]
    races: dict[str, str] = field(default_factory=dict)


def evaluate(
    articles: Sequence[Article],
    gold: Mapping[str, Sequence[Mapping[str, Any]]],
    race: Race,
    extractor: _Extracts,
    *,
    threshold: float = 0.5,
    keep_all: bool = False,
) -> Report:
    """Run ``extractor`` on ``articles`` and compare with ``gold`` (keyed by article id).

    Args:
        articles: the articles to read.
        gold: article id -> gold event rows (the ``gold.jsonl`` format).
        race: the race, to map gold names to member and candidate ids.
        extractor: anything with ``extract(article)`` and ``mode``.
        threshold: events with a lower confidence are ignored, as forecasts would.
        keep_all: also score stances of blocs (``group``) and stances framed as over.

    Returns:
        A Report with a Score per event type, the misses and false alarms, and a warning
        for each gold name the race does not know.
    """
    report = Report(mode=extractor.mode, threshold=threshold)
    unknown: dict[str, str] = {}
    seats = _seats(race)
    for a in articles:
        label = article_label(a)
        want = set()
        rows = gold.get(a.id, ())
        for g in rows:
            k = gold_key(g, race, keep_all=keep_all, unknown=unknown)
            if k is not None:
                want.add(k)
        elsewhere = _other_posts(rows, race)
        got: dict[Key, Event] = {}
        for e in extractor.extract(a):
            if e.confidence >= threshold and (e.candidate or e.incumbent) not in elsewhere:
                if e.member is not None:  # the same state seated in two bodies is one member
                    e = dataclasses.replace(e, member=seats.get(e.member, e.member))
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
    report.warnings += [
        f"{race.id}: gold {what} '{name}' is not in the race (scored as a miss)"
        for name, what in sorted(unknown.items())
    ]
    return report


def evaluate_corpora(
    corpora: Sequence[Corpus],
    race_of: Callable[[str], Race],
    extractor_of: Callable[[Race], _Extracts],
    *,
    default_race: str | None = None,
    threshold: float = 0.5,
    keep_all: bool = False,
) -> Evaluation:
    """Score several annotated sets, each article against its own race, per race and pooled.

    Args:
        corpora: the annotated sets.
        race_of: race id -> Race (raises ExtractionError or another KingmakerError if unknown).
        extractor_of: Race -> an extractor for it.
        default_race: the race of articles whose row names none; it also overrides none.
        threshold: events with a lower confidence are ignored.
        keep_all: also score group and past stances.

    Raises:
        ExtractionError: an article with no race and no ``default_race``.
    """
    by_race: dict[str, tuple[list[Article], dict[str, Any]]] = {}
    for c in corpora:
        for a in c.articles:
            rid = c.races.get(a.id) or default_race
            if rid is None:
                raise ExtractionError(
                    f"article {article_label(a)} names no race; give default_race",
                    param="default_race",
                )
            arts, gold = by_race.setdefault(race_id(rid), ([], {}))
            arts.append(a)
            gold[a.id] = c.gold.get(a.id, [])
    races: dict[str, Report] = {}
    pooled: Report | None = None
    for rid, (arts, gold) in by_race.items():
        race = race_of(rid)
        rep = evaluate(arts, gold, race, extractor_of(race), threshold=threshold, keep_all=keep_all)
        races[rid] = rep
        if pooled is None:
            pooled = Report(mode=rep.mode, threshold=threshold)
        pooled.add(rep)
    return Evaluation(pooled or Report(mode="none", threshold=threshold), races)


def evaluate_files(
    files: Sequence[tuple[Path, Path]],
    race_of: Callable[[str], Race],
    *,
    mode: Literal["auto", "model", "fallback"] = "auto",
    default_race: str | None = None,
    threshold: float = 0.5,
    keep_all: bool = False,
) -> Evaluation:
    """``evaluate_corpora`` over (articles JSONL, gold JSONL) pairs, one Extractor a race."""
    from kingmaker.extract.extractor import Extractor  # the pipeline loads on use only

    corpora = [load_corpus(a, g) for a, g in files]
    return evaluate_corpora(
        corpora,
        race_of,
        lambda race: Extractor(race, mode=mode),
        default_race=default_race,
        threshold=threshold,
        keep_all=keep_all,
    )


def race_id(name: str) -> str:
    """A race id from an article's ``race`` field: annotators write ``who_dg_2017``,
    race ids are ``who-dg-2017``."""
    return name.strip().replace("_", "-").lower()


def article_label(a: Article) -> str:
    """A short name for an article in reports: its file anchor, URL or id."""
    if a.file and "#" in a.file:
        return a.file.rsplit("#", 1)[1]
    return a.file or a.url or a.id[:12]


def gold_key(
    g: Mapping[str, Any],
    race: Race,
    *,
    keep_all: bool = False,
    unknown: dict[str, str] | None = None,
) -> Key | None:
    """The matching key of one gold row, with names mapped to the race's ids; None for a
    row strict scoring leaves out (another post; a group or past stance unless ``keep_all``).
    Names the race does not know are kept as written and noted in ``unknown``."""
    kind = str(g["type"])
    if g.get("post"):
        return None
    seen = {} if unknown is None else unknown
    if kind == "stance":
        if not keep_all and (g.get("group") or g.get("past")):
            return None
        return (
            kind,
            _member(race, g["member"], seen),
            _person(race, g["candidate"], seen),
            g["stance"],
            bool(g.get("lifted")),
        )
    if kind == "candidacy":
        return (kind, _person(race, g["person"], seen), g["status"])
    if kind in ("count", "support_count"):
        cand = g.get("candidate")
        who = _person(race, cand, seen) if cand else None
        return ("count", who, g.get("what", "support"), g.get("count"))
    if kind == "appointment":
        return (kind, _person(race, g["person"], seen))
    return (kind, g.get("incumbent"))


def _seats(race: Race) -> dict[str, str]:
    """Member id -> the id of the first member with the same name (a state seated in two
    bodies, such as an EU stage and a board stage, is named once in the gold)."""
    first: dict[str, str] = {}
    out: dict[str, str] = {}
    for b in race.bodies:
        for m in b.members:
            out[m.id] = first.setdefault(fold(m.name), m.id)
    return out


def _other_posts(rows: Sequence[Mapping[str, Any]], race: Race) -> set[str | None]:
    """People the article's gold places only under another post of a package: what is
    read about them belongs to that post's race, and is scored in neither direction."""
    seen: dict[bool, set[str | None]] = {True: set(), False: set()}
    for g in rows:
        for f in ("person", "candidate", "incumbent"):
            name = g.get(f)
            if isinstance(name, str):
                who = name if f == "incumbent" else _person(race, name, {})
                seen[bool(g.get("post"))].add(who)
    return seen[True] - seen[False]


def _member(race: Race, name: str, unknown: dict[str, str]) -> str:
    for b in race.bodies:
        for m in b.members:
            if fold(name) in (fold(m.name), fold(m.id), *(fold(a) for a in m.aliases)):
                return m.id
    unknown[name] = "member"
    return name


def _person(race: Race, name: str | None, unknown: dict[str, str]) -> str | None:
    if not isinstance(name, str):
        return None
    for c in race.candidates:
        if fold(name) in (fold(c.name), fold(c.id), *(fold(a) for a in c.aliases)):
            return c.id
    unknown[name] = "candidate"
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
        ExtractionError: a file that cannot be read, a line that is not a JSON object, or
            a gold event of an unknown type or without the fields of its type.
    """
    c = load_corpus(articles_path, gold_path)
    return c.articles, c.gold


def load_corpus(articles_path: Path | str, gold_path: Path | str) -> Corpus:
    """Read an annotated set as a Corpus (see ``load_gold_files``), with each article's
    ``race`` field when it has one."""
    apath, gpath = Path(articles_path), Path(gold_path)
    out = Corpus([], {})
    ids: dict[str, str] = {}
    for n, row in _jsonl(apath):
        if "text" not in row or "id" not in row or not isinstance(row["text"], str):
            raise ExtractionError(f"{apath}:{n}: an article needs 'id' and a string 'text'")
        text = unicodedata.normalize("NFC", row["text"]).strip()
        aid = hashlib.sha256(text.encode()).hexdigest()
        ids[str(row["id"])] = aid
        date = row.get("date")
        try:
            art = Article(
                id=aid,
                text=text,
                date=date,
                date_basis=row.get("date_basis") or "",
                url=row.get("url"),
                file=f"{apath.parent.name}/{apath.name}#{row['id']}",
            )
        except ValueError as exc:
            msg = str(exc).splitlines()[0]
            raise ExtractionError(f"{apath}:{n}: not a valid article ({msg})") from None
        out.articles.append(art)
        if isinstance(row.get("race"), str) and row["race"].strip():
            out.races[aid] = race_id(row["race"])
    for n, row in _jsonl(gpath):
        if "id" not in row or not isinstance(row.get("events"), list):
            raise ExtractionError(f"{gpath}:{n}: a gold row needs 'id' and a list of 'events'")
        for k, ev in enumerate(row["events"], start=1):
            _check_gold(ev, f"{gpath}:{n}: event {k}")
        out.gold[ids.get(str(row["id"]), str(row["id"]))] = list(row["events"])
    return out


def _check_gold(ev: Any, where: str) -> None:
    """Raise a one-line ExtractionError for a gold event the scorer cannot read."""
    if not isinstance(ev, dict):
        raise ExtractionError(f"{where} is not a JSON object")
    kind = ev.get("type")
    if kind not in _NEEDS:
        known = ", ".join(k for k in _NEEDS if k != "support_count")
        raise ExtractionError(f"{where} has type {kind!r}; expected one of {known}")
    missing = [f for f in _NEEDS[kind] if f not in ev]
    if missing:
        raise ExtractionError(f"{where} ({kind}) lacks {', '.join(repr(f) for f in missing)}")
    if kind == "count" and ev.get("what", "support") not in WHATS:
        raise ExtractionError(
            f"{where} has what {ev.get('what')!r}; expected one of {', '.join(WHATS)}"
        )
    for f in ("person", "member", "candidate"):
        if f in ev and ev[f] is not None and not isinstance(ev[f], str):
            raise ExtractionError(f"{where} ({kind}): {f!r} must be a name, got {ev[f]!r}")


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
