"""Text handling for ingest: decode bytes, tell text from binary, normalise, hash, strip HTML.

``normalise_text`` is what an article's id is computed over (``article_id``), so the same
story saved with curly or straight quotes, CRLF or LF, NBSP or spaces gets the same id.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import re
import unicodedata
from html.parser import HTMLParser

_QUOTES_DASHES_SPACES: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u2039\u203a"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'),
    # Hyphens, minus signs and the en dash become '-'; the long dashes become one em dash.
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2043\u2212\ufe63\uff0d"), "-"),
    **dict.fromkeys(map(ord, "\u2014\u2015\u2e3a\u2e3b"), "\u2014"),
    # Invisible characters: soft hyphen, zero-width space and joiner-free marks, BOM, bidi.
    **dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u200e\u200f"), None),
    **dict.fromkeys(range(0x202A, 0x202F), None),
    **dict.fromkeys(range(0x2066, 0x206A), None),
    ord("\t"): " ",
    ord("\r"): "\n",
    ord("\x0b"): "\n",
    ord("\x0c"): "\n",
    ord("\x85"): "\n",
    ord("\u2028"): "\n",
    ord("\u2029"): "\n\n",
}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")
_COMBINING = re.compile(r"[\u0300-\u036f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt/.xlsx file)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG\r\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BINARY_CONTROL_SHARE = 0.02


class NotText(ValueError):
    """The bytes are not text (binary data, an image, an archive); the message says what."""


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``data``, if any."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def check_not_binary(data: bytes) -> None:
    """Refuse bytes that are plainly not text: known binary formats, or NUL bytes.

    Raises:
        NotText: naming what the bytes look like.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotText(f"{what}, not text; convert it to text, HTML or JSONL first")
    if bom_encoding(data) is None and b"\x00" in data:
        raise NotText("binary data (NUL bytes), not text")


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode text bytes: by byte-order mark, else UTF-8, else cp1252 (covers Latin-1).

    Args:
        data: The bytes of a whole document.

    Returns:
        The text (BOM removed) and a note when the encoding had to be guessed.

    Raises:
        NotText: for binary data (see ``check_not_binary``), or text that decodes to
            mostly control characters.
    """
    check_not_binary(data)
    note: str | None = None
    codec = bom_encoding(data)
    if codec is not None:
        bom_len = 4 if codec.startswith("utf-32") else 3 if codec == "utf-8" else 2
        text = data[bom_len:].decode(codec, errors="replace")
        if "\ufffd" in text:
            note = f"invalid {codec.upper()} sequences replaced with U+FFFD"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # cp1252 is Latin-1 with printable characters where Latin-1 has C1 controls,
            # so it reads every Latin-1 text too; five bytes are undefined in it.
            text = data.decode("cp1252", errors="replace")
            bad = text.count("\ufffd")
            note = "not UTF-8; read as cp1252 (Windows-1252, a superset of Latin-1)"
            if bad:
                note += f", {bad} undefined byte{'' if bad == 1 else 's'} replaced with U+FFFD"
    controls = len(_CONTROL.findall(text))
    if controls > 1 and controls > _BINARY_CONTROL_SHARE * len(text):
        raise NotText("binary data (control characters), not text")
    return text, note


def normalise_text(text: str) -> str:
    """The canonical form of an article text, over which its id is computed.

    Unicode NFC; curly quotes and guillemets become straight quotes; hyphens, minus signs
    and en dashes become '-', long dashes one em dash; invisible and control characters
    go; runs of spaces become one space, lines are trimmed, and at most one blank line
    separates paragraphs. Idempotent.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").translate(_QUOTES_DASHES_SPACES))
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", _LINE_EDGES.sub("\n", text))
    return text.strip(" \n")


def article_id(text: str) -> str:
    """sha256 (hex) of the UTF-8 bytes of an already normalised text."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def fold(text: str) -> str:
    """Lower case without accents, for matching names spelled with or without them."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    return text.casefold()


def cut(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, at a space where one is near."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    space = head.rfind(" ", max(0, max_chars - 200))
    return (head[:space] if space > 0 else head).rstrip()


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment (a feed entry's summary), paragraphs kept.

    Plain text without tags comes back unescaped and otherwise unchanged.
    """
    if "<" not in fragment:
        return html.unescape(fragment)
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except AssertionError:  # html.parser raises it on some malformed declarations
        return html.unescape(re.sub(r"<[^>]*>", " ", fragment))
    return "".join(collector.parts)
