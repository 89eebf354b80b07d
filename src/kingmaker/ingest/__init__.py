"""Ingest: news files in, normalised, dated, de-duplicated articles about tracked races out.

A pure stage: it never imports the store. ``read_paths`` reads (articles and problems,
as a stream); ``match_races``, ``NearDuplicateIndex`` and ``NearDuplicates`` (against a
persisted ``SignatureIndex``) are its parts. ``kingmaker.pipeline.run`` runs the
stage end to end into a store, and reports what it did as an ``IngestReport``.
"""

from kingmaker.ingest.build import MAX_BYTES, MAX_CHARS, ReadOptions
from kingmaker.ingest.dedup import MinHasher, NearDuplicateIndex
from kingmaker.ingest.formats import Format, detect_format
from kingmaker.ingest.matching import Matched, RaceMatcher, match_races
from kingmaker.ingest.neardup import NearDuplicates, SignatureIndex, Signed
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.readers import read_bytes, read_document
from kingmaker.ingest.report import IngestReport
from kingmaker.ingest.sources import Document, read_paths
from kingmaker.ingest.text import article_id, normalise_text

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "Document",
    "Format",
    "IngestReport",
    "Matched",
    "MinHasher",
    "NearDuplicateIndex",
    "NearDuplicates",
    "Problem",
    "RaceMatcher",
    "ReadOptions",
    "SignatureIndex",
    "Signed",
    "article_id",
    "detect_format",
    "match_races",
    "normalise_text",
    "read_bytes",
    "read_document",
    "read_paths",
]
