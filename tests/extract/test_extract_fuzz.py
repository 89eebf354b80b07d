"""Invariants on arbitrary text: extraction never crashes, spans are inside the text and
always quote their sentence exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kingmaker.extract import Extractor
from kingmaker.extract.prefilter import _Spans, split_sentences
from kingmaker.records import Race

from .conftest import MODES, article, require_mode

WORDS = [
    "Hungary", "Turkey's", "Rutte", "Mark Rutte", "Iohannis", "Kallas", "Orbán", "backs", "cannot",
    "support", "oppose", "lifted", "its", "veto", "by", "of", "28", "of 32", "allies", "two-thirds",
    "not", "yet", "may", "reportedly", "withdrew", "NATO chief", "Stoltenberg", "steps down", "in",
    "October", "appointed", "on Wednesday", "the", "US", "UK", "and", ",", ".", ";", " - ", "(",
    ")", "'", "\"", "he", "him", "his", "her", "who", "which", "did so", "\n\n", "Mr.", "U.S.",
    "Oct. 1", "votes", "won", "²", "³", "½", "①", "٣٠", "round",
]  # fmt: skip
texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), min_size=1, max_size=40).map(
        "".join
    ),
).filter(lambda s: s.strip() != "")


@pytest.fixture(scope="module", params=MODES)
def extractor(request: pytest.FixtureRequest, nato: Race) -> Extractor:
    require_mode(request.param)
    return Extractor(nato, mode=request.param)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
def test_arbitrary_text_never_crashes_and_spans_quote_the_sentence(
    extractor: Extractor, text: str
) -> None:
    a = article(text.strip() or "x")
    for events in (extractor.extract_all(a), extractor.extract(a)):
        for e in events:
            start, end = e.span
            assert 0 <= start < end <= len(a.text)
            assert a.text[start:end] == e.sentence
            assert 0.0 <= e.confidence <= 1.0


@given(text=st.text(max_size=400))
def test_sentence_spans_are_ordered_trimmed_and_inside(text: str) -> None:
    last = 0
    for s, e in split_sentences(text):
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e


@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=40),
    probe=st.tuples(st.integers(0, 220), st.integers(1, 20)),
)
def test_kept_spans_answer_overlaps_like_a_scan(
    spans: list[tuple[int, int]], probe: tuple[int, int]
) -> None:
    kept = _Spans()
    plain: list[tuple[int, int]] = []
    for start, length in spans:
        end = start + length
        if not any(start < e and s < end for s, e in plain):
            kept.add(start, end)
            plain.append((start, end))
    start, end = probe[0], probe[0] + probe[1]
    assert kept.overlaps(start, end) == any(start < e and s < end for s, e in plain)


def test_long_articles_split_like_short_ones() -> None:
    # abbreviations are told from sentence ends however far into the text they are
    text = "Gen. Smith met Mr. Rutte. " + "Word " * 5000 + "He left. The U.S. envoys came."
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert len(spans) == 3 and spans[0] == "Gen. Smith met Mr. Rutte."
    assert spans[1].endswith("Word He left.") and spans[2] == "The U.S. envoys came."


def test_a_member_list_ending_at_a_title_finishes(extractor: Extractor) -> None:
    """The list of backers ends at a title that opens a candidate's or official's name;
    reading it once looped for ever on this sentence."""
    import threading

    text = (
        "He won the backing of Britain, France and Germany, "
        "Secretary-General Jens Stoltenberg said."
    )
    done: list[object] = []
    worker = threading.Thread(
        target=lambda: done.append(extractor.extract(article(text))), daemon=True
    )
    worker.start()
    worker.join(timeout=60)
    assert done, "extraction did not finish within 60 s"


@pytest.mark.parametrize("digit", ["²", "³", "½", "①", "٣٠"])
def test_characters_that_look_like_digits_never_crash_a_count(
    extractor: Extractor, digit: str
) -> None:
    """'²'.isdigit() is true but int('²') fails: counts read decimal digits only (the
    Arabic-Indic '٣٠' is one, 30)."""
    text = (
        "Hungary's prime minister Viktor Orbán said Hungary would back Mark Rutte. "
        f"{digit} Rutte won {digit} votes in the first round, and Kallas, {digit}."
    )
    extractor.extract(article(text))
