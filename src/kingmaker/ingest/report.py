"""What one ingest did: the counts of articles read, new, repeated, near copies and off
topic, the problems met, and the time, as one paragraph for a person."""

from __future__ import annotations

from dataclasses import dataclass, field

from kingmaker.ingest.problems import Problem


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did.

    Attributes:
        read: Articles read (every format; problems not counted); always
            ``new + exact_duplicates + off_topic``.
        new: Articles newly stored.
        exact_duplicates: Articles whose text was already stored (also by a concurrent
            ingest) or read in this run.
        near_duplicates: New articles stored as near copies (``duplicate_of`` set).
        off_topic: Articles about no tracked race (or not about ``race_id``); not stored.
        relinked: Already stored articles linked to a race they were not linked to.
        problems: Problems met, in order; ``skipped`` ones dropped an input.
        files: Files opened (standard input counts as one).
        seconds: Wall time of the whole ingest.
    """

    read: int = 0
    new: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    off_topic: int = 0
    relinked: int = 0
    problems: tuple[Problem, ...] = field(default=())
    files: int = 0
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        """Articles read per second of wall time."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def skipped(self) -> int:
        """Inputs dropped because of a problem (notes on kept articles not counted)."""
        return sum(p.skipped for p in self.problems)

    def render(self, *, show: int = 3) -> str:
        """One paragraph for a person, naming the first ``show`` skipped inputs."""
        files = f"{self.files:,} file{'' if self.files == 1 else 's'}"
        text = (
            f"Read {self.read:,} article{'' if self.read == 1 else 's'} from {files} in "
            f"{self.seconds:.1f} s ({self.articles_per_second:,.0f}/s): {self.new:,} new"
        )
        if self.near_duplicates:
            text += f" ({self.near_duplicates:,} of them near copies of earlier articles)"
        text += (
            f", {self.exact_duplicates:,} already stored or repeated, "
            f"{self.off_topic:,} about no tracked race"
        )
        if self.relinked:
            text += f", {self.relinked:,} stored articles linked to another race"
        notes = len(self.problems) - self.skipped
        text += f"; {self.skipped:,} input{'' if self.skipped == 1 else 's'} skipped"
        text += f" and {notes:,} note{'' if notes == 1 else 's'}" if notes else ""
        shown = [str(p) for p in self.problems if p.skipped][:show]
        if shown:
            more = self.skipped - len(shown)
            text += " (" + "; ".join(shown) + (f"; and {more:,} more" if more else "") + ")"
        return text + "."
