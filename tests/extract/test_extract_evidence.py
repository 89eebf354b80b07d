"""Evidence from events, the model check, pipeline caching and the public API."""

from __future__ import annotations

import re
from typing import cast

import pytest

import kingmaker.extract as extract
from kingmaker.extract import ExtractionError, Extractor, modelcheck, pipeline, to_evidence
from kingmaker.records import Race, StanceEvidence

from .conftest import article, require_mode


def test_public_api_is_sorted_and_importable() -> None:
    assert extract.__all__ == sorted(extract.__all__)
    assert all(hasattr(extract, name) for name in extract.__all__)


def test_to_evidence(nato: Race) -> None:
    a = article(
        "Hungary cannot support Mark Rutte as NATO chief. Turkey may back Rutte.", "2024-03-05"
    )
    ex = Extractor(nato, mode="fallback")
    events = [e for e in ex.extract(a) if e.kind == "stance"]
    strong = next(e for e in events if e.member == "HUN")
    item = to_evidence(strong, a, nato, threshold=0.5)
    assert isinstance(item, StanceEvidence)
    assert (item.member, item.candidate, item.stance, item.lifted) == (
        "HUN",
        "rutte",
        "oppose",
        False,
    )
    assert re.fullmatch(r"x-[0-9a-f]{12}", item.id)
    assert item.id == to_evidence(strong, a, nato, threshold=0.5).id, "ids are deterministic"
    assert item.source == a.source and item.date == a.date
    assert item.quote == strong.sentence and item.span == strong.span
    assert a.text[item.span[0] : item.span[1]] == item.quote
    assert item.producer == f"{strong.extractor}@{strong.version}:fallback" == strong.producer
    assert item.review == "pending" and item.confidence == strong.confidence
    weak = next(e for e in events if e.member == "TUR")
    assert to_evidence(weak, a, nato, threshold=0.5).review == "rejected"
    assert to_evidence(weak, a, nato, threshold=0.1).review == "pending"


def test_every_kind_becomes_valid_evidence(nato: Race) -> None:
    text = (
        "Jens Stoltenberg will step down in October. Rutte is backed by 28 of 32 allies. "
        "Kallas has expressed interest in the post. "
        "NATO appointed Mark Rutte as secretary general on Wednesday."
    )
    a = article(text, "2024-06-26")
    kinds = {
        to_evidence(e, a, nato, threshold=0.5).kind
        for e in Extractor(nato, mode="fallback").extract(a)
    }
    assert (
        {"vacancy", "count", "candidacy", "appointment", "stance"}
        >= kinds
        >= {"vacancy", "count", "candidacy", "appointment"}
    )


def test_to_evidence_needs_a_dated_article(nato: Race) -> None:
    a = article("Hungary cannot support Mark Rutte.", None)
    (e,) = [e for e in Extractor(nato, mode="fallback").extract(a) if e.kind == "stance"]
    with pytest.raises(ExtractionError, match="no date"):
        to_evidence(e, a, nato, threshold=0.5)


def test_a_model_that_fails_its_hash_check_is_refused(
    nato: Race, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_mode("model")
    real = modelcheck.expected()
    files = dict(cast(dict[str, str], real["files"]))
    files["config.cfg"] = "0" * 64
    monkeypatch.setattr(modelcheck, "expected", lambda: {**real, "files": files})
    modelcheck.check_model.cache_clear()
    try:
        check = modelcheck.check_model()
        assert not check.ok and "config.cfg" in check.reason
        assert Extractor(nato, mode="auto").mode == "fallback"
        with pytest.raises(ExtractionError, match="model mode unavailable"):
            Extractor(nato, mode="model")
    finally:
        modelcheck.check_model.cache_clear()


def test_a_missing_model_package_is_refused() -> None:
    modelcheck.check_model.cache_clear()
    try:
        check = modelcheck.check_model("no_such_model_package_xyz")
        assert not check.ok and "not installed" in check.reason
    finally:
        modelcheck.check_model.cache_clear()


def test_pipelines_are_cached_per_race_and_mode(nato: Race) -> None:
    a = Extractor(nato, mode="fallback")
    b = Extractor(nato, mode="fallback")
    assert a.nlp is b.nlp
    assert a.nlp.pipe_names[-2:] == ["entity_ruler", pipeline.FUZZY]
