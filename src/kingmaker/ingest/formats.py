"""Which reader an input needs: from its suffix, checked against its first bytes.

Formats: ``seed`` (a text whose first tokens are ``date YYYY-MM-DD``), ``text``,
``jsonl`` (one JSON object a line), ``json`` (one object or an array of them), ``html``
and ``feed`` (RSS or Atom).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from kingmaker.ingest.text import bom_encoding

Format = Literal["seed", "text", "jsonl", "json", "html", "feed"]

SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
}
SEED_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{1,2}-\d{1,2})(?=\s|\Z)")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div)[\s>]", re.IGNORECASE)


def _start(head: bytes) -> bytes:
    """The first bytes as an ASCII-compatible sniff: BOM and UTF-16 NULs removed."""
    codec = bom_encoding(head)
    if codec is not None and codec != "utf-8":
        head = head.decode(codec, errors="ignore").encode("utf-8", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:4096]


def is_seed(head: bytes) -> bool:
    """Whether the text starts with the seed's ``date YYYY-MM-DD`` line."""
    return SEED_LINE.match(_start(head)[:64].decode("latin-1")) is not None


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes contain an RSS, Atom or RDF root element."""
    start = _start(head)
    return start.startswith(b"<") and _FEED_ROOT.search(start) is not None


def detect_format(name: str, head: bytes) -> Format:
    """The format of an input from its name and its first bytes (a few KB suffice).

    A known suffix decides, except that markup says whether it is a feed or a page, and a
    text file may be in the seed format. Without a known suffix (or for standard input)
    the content decides: ``{`` JSONL, ``[`` JSON, ``<`` a feed or HTML, else text.
    """
    start = _start(head)
    by_suffix = SUFFIXES.get(PurePath(name).suffix.lower())
    if by_suffix == "text":
        return "seed" if is_seed(start) else "text"
    if by_suffix is not None:
        if by_suffix in ("html", "feed"):
            if looks_like_feed(start):
                return "feed"
            if _HTML_ROOT.search(start):
                return "html"
        return by_suffix
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        return "feed" if looks_like_feed(start) else "html"
    return "seed" if is_seed(start) else "text"
