"""WARC archives (web crawls, ``.warc`` or ``.warc.gz``): each HTML response is an article.

Records are streamed one at a time (a gzipped WARC is a series of gzip members, read as
one stream). ``response`` records (an HTTP response: status line, headers, body) and
``resource`` records (the bare document) whose content is HTML go through the HTML
reader (main text, title, canonical URL, date from the markup); the page's date falls
back to the record's ``WARC-Date`` (the crawl time, which for a news crawl is the day it
was published or just after). Other records (requests, metadata, redirects, images) are
passed over silently. Problems name the record by its number in the file (1 = first).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from kingmaker.ingest.build import Draft, Item, ReadOptions, build_article
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.web import extract_page

SUFFIXES = (".warc", ".warc.gz")
GZIP_MAGIC = b"\x1f\x8b"
_MAX_HEADER_LINES = 200


def is_warc(name: str, head: bytes) -> bool:
    """Whether a document is a WARC file: its first bytes, or a gzip named ``.warc.gz``."""
    if head.startswith(b"WARC/"):
        return True
    return head.startswith(GZIP_MAGIC) and name.lower().endswith(".warc.gz")


def read_warc(
    name: str, stream: BinaryIO, options: ReadOptions, *, gzipped: bool = False
) -> Iterator[Item]:
    """The articles of a WARC file (see the module docstring), and its problems.

    Args:
        name: How problems name the file.
        stream: Its bytes from the start (buffered).
        options: Dates, limits (``max_bytes`` applies to each record).
        gzipped: Whether it is a ``.warc.gz`` (gzip members, one or more records each).
    """
    raw: BinaryIO = gzip.GzipFile(fileobj=stream) if gzipped else stream  # type: ignore[assignment]
    number = 0
    try:
        while True:
            line = raw.readline()
            if not line:
                return
            if not line.strip():
                continue  # the blank lines between records
            number += 1
            if not line.startswith(b"WARC/"):
                yield Problem(name, number, "not a WARC record; the rest of the file skipped")
                return
            headers = _headers(raw)
            try:
                length = int(headers.get("content-length", ""))
            except ValueError:
                yield Problem(name, number, "WARC record without a Content-Length; rest skipped")
                return
            if length > options.max_bytes:
                _skip(raw, length)
                yield Problem(name, number, "record over the size limit for one document; skipped")
                continue
            block = raw.read(length)
            kind = headers.get("warc-type", "")
            if kind in ("response", "resource"):
                yield from _record(name, number, kind, headers, block, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield Problem(name, number or None, f"damaged WARC file ({exc}); the rest skipped")


def _headers(raw: BinaryIO) -> dict[str, str]:
    """A record's (or an HTTP message's) headers, names in lower case, up to a blank line."""
    out: dict[str, str] = {}
    for _ in range(_MAX_HEADER_LINES):
        line = raw.readline()
        if not line.strip():
            break
        key, _, value = line.decode("latin-1").partition(":")
        out[key.strip().lower()] = value.strip()
    return out


def _skip(raw: BinaryIO, n: int) -> None:
    while n > 0:
        chunk = raw.read(min(n, 1 << 20))
        if not chunk:
            return
        n -= len(chunk)


def _record(
    name: str, number: int, kind: str, headers: dict[str, str], block: bytes, options: ReadOptions
) -> Iterator[Item]:
    """The article of one response or resource record, if it is an HTML page."""
    content_type = headers.get("content-type", "")
    body = block
    if kind == "response":
        if not content_type.startswith("application/http"):
            return
        stream = io.BytesIO(block)
        status = stream.readline().split()
        http = _headers(stream)
        if len(status) < 2 or status[1] != b"200":
            return  # redirects, errors: no page
        content_type = http.get("content-type", "")
        body = stream.read()
        if "chunked" in http.get("transfer-encoding", "").lower():
            body = _dechunk(body)
        if http.get("content-encoding", "").lower() in ("gzip", "x-gzip", "deflate"):
            try:
                body = zlib.decompress(body, 47)  # gzip or zlib header, detected
            except zlib.error:
                yield Problem(name, number, "response body cannot be decompressed; skipped")
                return
    if "html" not in content_type.lower():
        return
    uri = headers.get("warc-target-uri", "").strip("<>") or None
    where = f"{name}#{number}"
    try:
        page = extract_page(body, options)
    except ImportError:
        yield Problem(name, number, "cannot read HTML: install trafilatura; skipped")
        return
    if page is None:
        return  # a page with no article text (an index, a search page): not news
    day, basis = page.date, "HTML metadata (htmldate)" if page.date else ""
    crawled = _warc_date(headers.get("warc-date", ""))
    if day is None and crawled is not None and crawled <= options.today:
        day, basis = crawled, "WARC-Date (when the page was crawled)"
    yield from build_article(
        Draft(
            text=page.text,
            path=where,
            date=day,
            date_basis=basis,
            url=page.url or uri,
            title=page.title,
            publisher=page.publisher,
        ),
        options,
    )


def _warc_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dechunk(body: bytes) -> bytes:
    """An HTTP body sent in chunks, put back together (what is left as it is if malformed)."""
    out, pos = bytearray(), 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            return body
        try:
            size = int(body[pos:end].split(b";")[0], 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)
