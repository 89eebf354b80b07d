"""Normalising, decoding and dating text: the rules every reader shares."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kingmaker.ingest.dates import DateError, leading_date, parse_date_value
from kingmaker.ingest.text import NotText, article_id, decode, html_to_text, normalise_text

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("\u201cRutte\u201d said \u2018yes\u2019", "\"Rutte\" said 'yes'"),
        ("\u00abNon\u00bb, dit-il", '"Non", dit-il'),
        ("2023\u201324 race \u2014 or not\u2015", "2023-24 race \u2014 or not\u2014"),
        ("minus\u2212sign non\u2011breaking", "minus-sign non-breaking"),
        ("Cafe\u0301 Orba\u0301n", "Caf\u00e9 Orb\u00e1n"),  # NFC
        ("a\u00a0\u00a0b\u2003c\t\td", "a b c d"),
        ("line one  \r\n  line two\rthree", "line one\nline two\nthree"),
        ("para\n\n\n\n\npara", "para\n\npara"),
        ("soft\u00adhyphen zero\u200bwidth \ufeffbom", "softhyphen zerowidth bom"),
        ("bell\x07 and\x00 nul\x1b", "bell and nul"),
        ("  \n padded \n  ", "padded"),
    ],
)
def test_normalise(raw: str, normal: str) -> None:
    assert normalise_text(raw) == normal


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\t" not in once and "  " not in once


def test_article_id_is_the_sha256_of_the_utf8_text() -> None:
    assert article_id("Rutte") == hashlib.sha256(b"Rutte").hexdigest()


@pytest.mark.parametrize(
    ("data", "text", "note"),
    [
        ("Orbán".encode(), "Orbán", None),
        (codecs.BOM_UTF8 + "Orbán".encode(), "Orbán", None),
        (codecs.BOM_UTF16_LE + "Orbán".encode("utf-16-le"), "Orbán", None),
        (codecs.BOM_UTF16_BE + "Orbán".encode("utf-16-be"), "Orbán", None),
        ("Orbán \u201cno\u201d".encode("cp1252"), "Orbán \u201cno\u201d", "read as cp1252"),
        ("Orbán".encode("latin-1") + b"\x81", "Orbán\ufffd", "1 undefined byte replaced"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "cp1252-undefined"],
)
def test_decode(data: bytes, text: str, note: str | None) -> None:
    got, got_note = decode(data)
    assert got == text
    if note is None:
        assert got_note is None
    else:
        assert got_note is not None and note in got_note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x00def", "binary data (NUL bytes)"),
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (bytes(range(1, 32)) * 4, "binary data (control characters)"),
    ],
)
def test_decode_refuses_binary(data: bytes, message: str) -> None:
    with pytest.raises(NotText, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data)


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    got = html_to_text("<p>One &amp; two</p><script>var x;</script><p>Three<br>four</p>")
    assert normalise_text(got) == "One & two\n\nThree\n\nfour"
    assert html_to_text("no tags &lt;here&gt;") == "no tags <here>"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-11-16 Kallas said", "2023-11-16"),
        ("16 November 2023 - Kallas said", "2023-11-16"),
        ("16th Nov. 2023: Kallas", "2023-11-16"),
        ("November 16, 2023 Kallas", "2023-11-16"),
        ("Sept 3, 2024 -", "2024-09-03"),
        ("Published: 01.12.2023 Rutte", "2023-12-01"),
        ("  date: 2024-06-26\nRutte", "2024-06-26"),
        ("Kallas said on 16 November 2023", None),
        ("2023-11-165 is not a date", None),
        ("Monday 16 Foo 2023", None),
        ("16 Foo 2023 Kallas", None),
    ],
)
def test_leading_date(text: str, day: str | None) -> None:
    assert leading_date(text) == (D(day) if day else None)


@pytest.mark.parametrize("text", ["2023-02-30 x", "31 February 2024 x", "31.04.2024 x"])
def test_an_impossible_leading_date_is_an_error(text: str) -> None:
    with pytest.raises(DateError, match="impossible date"):
        leading_date(text)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-06-26", "2024-06-26"),
        ("2024-06-26T23:10:00Z", "2024-06-26"),
        ("2024-06-26 08:00:00+02:00", "2024-06-26"),
        (None, None),
        ("", None),
    ],
)
def test_parse_date_value(value: str | None, day: str | None) -> None:
    assert parse_date_value(value) == (D(day) if day else None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "impossible date '2023-02-30'"),
        ("26/06/2024", "is not YYYY-MM-DD"),
        (20240626, "must be a 'YYYY-MM-DD' string"),
    ],
)
def test_parse_date_value_refuses(value: object, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date_value(value)
