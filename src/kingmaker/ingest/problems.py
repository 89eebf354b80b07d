"""What a reader reports instead of an article: a one-line problem naming the file and line.

Readers never raise for bad input; they yield a ``Problem`` and go on with the next input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with an input.

    Attributes:
        path: The file (or ``<stdin>``, or a glob pattern) it concerns.
        line: The line (JSONL) or entry number (feeds), where there is one.
        message: One line: what is wrong and what was done about it.
        skipped: True when the input was dropped; False for a note on an article
            that was still read (an encoding guessed, a text cut, no date found).
    """

    path: str
    line: int | None
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
