"""Ingest: news files in, normalised, dated, de-duplicated articles about tracked races out.

``ingest`` runs the stage end to end into a store; ``read_paths`` only reads (articles
and problems, as a stream); ``match_races`` and ``NearDuplicateIndex`` are its parts.
"""

from kingmaker.ingest.build import MAX_BYTES, MAX_CHARS, ReadOptions
from kingmaker.ingest.dedup import MinHasher, NearDuplicateIndex
from kingmaker.ingest.formats import Format, detect_format
from kingmaker.ingest.matching import RaceMatcher, match_races
from kingmaker.ingest.pipeline import IngestReport, ingest
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.readers import read_bytes, read_document
from kingmaker.ingest.sources import Document, read_paths
from kingmaker.ingest.text import article_id, normalise_text

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "Document",
    "Format",
    "IngestReport",
    "MinHasher",
    "NearDuplicateIndex",
    "Problem",
    "RaceMatcher",
    "ReadOptions",
    "article_id",
    "detect_format",
    "ingest",
    "match_races",
    "normalise_text",
    "read_bytes",
    "read_document",
    "read_paths",
]
