"""Readers: one document (a file's bytes, or standard input) to a stream of articles and problems.

``read_document`` sniffs the format and dispatches: the seed format and plain text here,
JSONL and JSON rows here (streamed line by line), HTML pages and RSS/Atom feeds in
``kingmaker.ingest.web``, WARC archives in ``kingmaker.ingest.warc``. Bad input never
raises: it becomes a ``Problem``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from kingmaker.ingest.build import Draft, Item, ReadOptions, build_article
from kingmaker.ingest.dates import DateError, leading_date, make_date, parse_date_value
from kingmaker.ingest.formats import SEED_LINE, Format, detect_format
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.text import NotText, bom_encoding, check_not_binary, decode
from kingmaker.ingest.warc import GZIP_MAGIC, is_warc, read_warc
from kingmaker.ingest.web import Page, extract_page, read_feed, read_html
from kingmaker.records import TooDeepError, load_json

HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_JSONL_CODECS: dict[str, tuple[str, str]] = {
    "utf-8": ("utf-8-sig", "surrogateescape"),
    "utf-16-le": ("utf-16", "replace"),
    "utf-16-be": ("utf-16", "replace"),
    "utf-32-le": ("utf-32", "replace"),
    "utf-32-be": ("utf-32", "replace"),
}


def read_document(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """Read one document: detect its format and yield its articles and problems.

    Args:
        name: How problems and ``Article.file`` name it (a path, or ``<stdin>``).
        stream: Its bytes; JSONL is streamed, other formats are read whole (up to
            ``options.max_bytes``).
        options: Dates, limits.
    """
    head = _read_up_to(stream, HEAD_BYTES)
    if not head:
        yield Problem(name, None, "empty file; skipped")
        return
    if is_warc(name, head):
        buffered = io.BufferedReader(_Chain(head, stream))
        yield from read_warc(name, buffered, options, gzipped=head.startswith(GZIP_MAGIC))
        return
    try:
        check_not_binary(head)
    except NotText as exc:
        yield Problem(name, None, f"{exc}; skipped")
        return
    fmt = detect_format(name, head)
    if fmt == "jsonl":
        buffered = io.BufferedReader(_Chain(head, stream))
        yield from read_jsonl(name, buffered, options, bom_encoding(head))
        return
    data = head + _read_up_to(stream, options.max_bytes + 1 - len(head))
    if len(data) > options.max_bytes:
        limit = options.max_bytes / 2**20
        yield Problem(name, None, f"over the {limit:g} MiB limit for one document; skipped")
        return
    yield from read_bytes(name, data, options, fmt)


def read_bytes(
    name: str, data: bytes, options: ReadOptions, fmt: Format | None = None
) -> Iterator[Item]:
    """Read a whole document given as bytes (format detected when ``fmt`` is None)."""
    if fmt is None:
        if not data:
            yield Problem(name, None, "empty file; skipped")
            return
        fmt = detect_format(name, data[:HEAD_BYTES])
    if fmt == "jsonl":
        yield from read_jsonl(name, io.BytesIO(data), options, bom_encoding(data))
    elif fmt == "html":
        yield from read_html(name, data, options)
    elif fmt == "feed":
        yield from read_feed(name, data, options)
    else:
        try:
            text, note = decode(data)
        except NotText as exc:
            yield Problem(name, None, f"{exc}; skipped")
            return
        if note:
            yield Problem(name, None, note, skipped=False)
        if fmt == "json":
            yield from read_json(name, text, options)
        else:
            yield from read_text(name, text, options, seed=fmt == "seed")


def read_text(name: str, text: str, options: ReadOptions, *, seed: bool) -> Iterator[Item]:
    """A seed-format or plain text document: one article.

    The seed's ``date YYYY-MM-DD`` line gives the date and is not part of the text. A
    plain text takes ``options.default_date``, else a date at its very start, else none.
    """
    day = None
    basis = ""
    match = SEED_LINE.match(text) if seed else None
    try:
        if match is not None:
            year, month, dd = (int(p) for p in match.group(1).split("-"))
            day = make_date(year, month, dd, match.group(1))
            basis = "date line at the top of the file"
            text = text[match.end() :]
        elif options.default_date is not None:
            day, basis = options.default_date, "default date given at ingest"
        else:
            day = leading_date(text)
            basis = "date at the start of the text" if day else ""
    except DateError as exc:
        yield Problem(name, 1, f"{exc}; skipped")
        return
    yield from build_article(Draft(text=text, path=name, date=day, date_basis=basis), options)


def read_jsonl(
    name: str, stream: BinaryIO, options: ReadOptions, codec: str | None = None
) -> Iterator[Item]:
    """One article per line, streamed; blank lines are skipped, bad lines are problems.

    Args:
        name: How problems name the file.
        stream: The file's bytes, from the start.
        options: Dates, limits.
        codec: The codec of a byte-order mark at the start, if any. Without one, lines are
            UTF-8, and a line that is not is read as cp1252 (one note per file).
    """
    encoding, errors = _JSONL_CODECS.get(codec or "", ("utf-8", "surrogateescape"))
    lines = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline=None)
    noted = False
    number = 0
    while True:
        line = lines.readline(options.max_bytes)
        if not line:
            break
        number += 1
        if len(line) >= options.max_bytes and not line.endswith("\n"):
            while (rest := lines.readline(options.max_bytes)) and not rest.endswith("\n"):
                pass
            limit = options.max_bytes / 2**20
            yield Problem(name, number, f"line is over the {limit:g} MiB limit; skipped")
            continue
        if not line.strip():
            continue
        if _has_escapes(line):
            line = line.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
            if not noted:
                noted = True
                yield Problem(
                    name, number, "not UTF-8; this and later such lines read as cp1252", False
                )
        try:
            row = load_json(line)
        except json.JSONDecodeError as exc:
            yield Problem(name, number, f"not JSON ({exc.msg} at column {exc.colno}); skipped")
            continue
        except TooDeepError as exc:
            yield Problem(name, number, f"{exc}; skipped")
            continue
        yield from read_row(row, name, number, options)


def read_json(name: str, text: str, options: ReadOptions) -> Iterator[Item]:
    """A JSON document: one article object, or an array of them (JSON lines are read too)."""
    try:
        data = load_json(text)
    except TooDeepError as exc:
        yield Problem(name, None, f"{exc}; skipped")
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            data_lines = io.BytesIO(text.encode("utf-8", "surrogatepass"))
            yield from read_jsonl(name, data_lines, options)
            return
        yield Problem(name, exc.lineno, f"not JSON ({exc.msg} at column {exc.colno}); skipped")
        return
    if isinstance(data, list):
        for n, row in enumerate(data, start=1):
            yield from read_row(row, name, None, options, item=n)
    else:
        yield from read_row(data, name, None, options)


def read_row(
    row: object, name: str, line: int | None, options: ReadOptions, *, item: int | None = None
) -> Iterator[Item]:
    """One JSON object: ``url``, ``date``, ``text`` or ``html``; ``title``, ``publisher``,
    ``id`` and ``date_basis`` optional; other keys are ignored."""
    where = f"item {item}: " if item is not None else ""

    def problem(message: str) -> Problem:
        return Problem(name, line, f"{where}{message}; skipped")

    if not isinstance(row, dict):
        yield problem(f"a JSON {_json_type(row)}, not an object with 'text'")
        return
    text, html = row.get("text"), row.get("html")
    for key, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            yield problem(f"'{key}' must be a string, got a JSON {_json_type(value)}")
            return
    try:
        day = parse_date_value(row.get("date"))
    except DateError as exc:
        yield problem(str(exc))
        return
    basis = row.get("date_basis")
    basis = basis if isinstance(basis, str) and basis.strip() else ("'date' field" if day else "")
    found: Page | None = None
    if not (text and text.strip()):
        if not (html and html.strip()):
            yield problem("no 'text' or 'html' field" if text is None else "'text' is empty")
            return
        found = extract_page(html.encode("utf-8"), options)
        if found is None:
            yield problem("no article text found in its 'html'")
            return
        text = found.text
        if day is None and found.date is not None:
            day, basis = found.date, "HTML metadata (htmldate)"
    rid = row.get("id")
    label = f"#{rid}" if isinstance(rid, str | int) and str(rid).strip() else ""
    if not label:
        label = f":{line}" if line is not None else (f"#{item}" if item is not None else "")
    yield from build_article(
        Draft(
            text=text,
            path=name,
            line=line,
            date=day,
            date_basis=basis,
            url=_string(row.get("url")) or (found.url if found else None),
            file=f"{name}{label}",
            title=_string(row.get("title")) or (found.title if found else None),
            publisher=_string(row.get("publisher")) or (found.publisher if found else None),
        ),
        options,
    )


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _has_escapes(line: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in line) if not line.isascii() else False


def _read_up_to(stream: BinaryIO, n: int) -> bytes:
    """Up to ``n`` bytes: reads until ``n`` or the end, as pipes return short reads.

    Reads in chunks: ``read(n)`` would set aside ``n`` bytes at once, even for a small file.
    """
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(min(n - got, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


class _Chain(io.RawIOBase):
    """The bytes already read (the sniffed head), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
