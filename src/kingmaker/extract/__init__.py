"""Extraction: read dated articles into sourced events of a race, and score that reading.

    extractor = Extractor(race)             # model mode if the verified model loads
    for event in extractor.extract(article):
        item = to_evidence(event, article, race, threshold=0.5)

Events: candidacy, stance, count, vacancy, appointment; each carries its
sentence, span, rule, extractor name and version, mode and confidence.
"""

from typing import TYPE_CHECKING

from kingmaker.errors import ExtractionError
from kingmaker.extract.evaluate import Report, evaluate, load_gold_set
from kingmaker.extract.events import Event
from kingmaker.extract.evidence import to_evidence
from kingmaker.lazy import attach

if TYPE_CHECKING:
    from kingmaker.extract.extractor import Extractor

# The extractor loads spaCy: imported when first used.
__getattr__, __dir__ = attach(__name__, {"Extractor": "kingmaker.extract.extractor"})

__all__ = [
    "Event",
    "ExtractionError",
    "Extractor",
    "Report",
    "evaluate",
    "load_gold_set",
    "to_evidence",
]
