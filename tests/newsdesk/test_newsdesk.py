"""Reading the news end to end: ingest, extracted evidence in forecasts, review, eval."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app
from kingmaker.extract import Extractor
from shared_data import shared_path

SEED = Path(__file__).parents[2] / "src/kingmaker/data/races/nato-sg-2024/articles"
runner = CliRunner()


@pytest.fixture
def news() -> Path:
    """The annotated NATO news set in ../shared (skips, or fails when data are required)."""
    return shared_path("data/news/nato-sg-2024")


def km(db: Path, *args: str) -> Any:
    res = runner.invoke(app, ["--db", str(db), *args])
    assert res.exit_code == 0, res.output
    return res


def test_the_users_article_gives_the_vacancy_and_the_candidates(tmp_path: Path) -> None:
    db = tmp_path / "km.db"
    seed = next(SEED.glob("seed-*.txt"))
    path = tmp_path / "seed.txt"
    shutil.copy(seed, path)
    out = json.loads(
        km(db, "ingest", str(path), "--race", "nato-sg-2024", "--mode", "fallback", "--json").stdout
    )
    assert out["read"] == 1 and out["evidence"]["nato-sg-2024"] >= 3
    items = json.loads(km(db, "evidence", "nato-sg-2024", "--json").stdout)
    mine = [e for e in items if e["producer"].startswith(("candidacy", "office", "stance"))]
    kinds = {(e["kind"], e.get("candidate"), e.get("status")) for e in mine}
    assert ("candidacy", "kallas", "interested") in kinds
    assert ("candidacy", "rutte", "mentioned") in kinds
    assert any(e["kind"] == "vacancy" for e in mine)
    assert not any(e["kind"] == "stance" for e in mine)
    assert all(e["quote"] and e["review"] == "pending" for e in mine)
    again = json.loads(km(db, "ingest", str(path), "--race", "nato-sg-2024", "--json").stdout)
    assert again["new"] == 0 and again["exact_duplicates"] == 1  # re-ingesting is a no-op


def test_ingested_news_reaches_the_forecast_with_quotes_and_urls(
    tmp_path: Path, news: Path
) -> None:
    db = tmp_path / "km.db"
    km(db, "ingest", str(news / "articles.jsonl"), "--race", "nato-sg-2024", "--mode", "fallback")
    fc = json.loads(
        km(
            db, "forecast", "nato-sg-2024", "--as-of", "2024-06-20", "--samples", "3000", "--json"
        ).stdout
    )
    assert fc["unreviewed_used"] > 100
    top = fc["explanations"]["rutte"]
    quoted = [c for c in top if c["quote"]]
    assert quoted and all(c["sources"][0].startswith("https://") for c in quoted)


def test_review_accepts_rejects_and_corrects(tmp_path: Path, news: Path) -> None:
    db = tmp_path / "km.db"
    km(db, "ingest", str(news / "articles.jsonl"), "--race", "nato-sg-2024", "--mode", "fallback")
    queue = json.loads(km(db, "review", "nato-sg-2024", "--threshold", "0.99", "--json").stdout)
    stances = [e for e in queue["queue"] if e["kind"] == "stance"]
    assert len(stances) >= 3
    a, b, c = (e["id"] for e in stances[:3])
    res = json.loads(
        km(
            db,
            "review",
            "nato-sg-2024",
            "--accept",
            a,
            "--reject",
            b,
            "--edit",
            c,
            "--set",
            "stance=neutral",
            "--by",
            "ana",
            "--threshold",
            "0.99",
            "--json",
        ).stdout
    )
    assert res["done"] == [f"accepted {a}", f"rejected {b}", f"replaced {c} by {c}.r1"]
    items = {e["id"]: e for e in json.loads(km(db, "evidence", "nato-sg-2024", "--json").stdout)}
    assert items[a]["review"] == "accepted" and items[b]["review"] == "rejected"
    assert items[c]["review"] == "rejected"
    assert (
        items[f"{c}.r1"]["stance"] == "neutral" and items[f"{c}.r1"]["producer"] == "reviewed:ana"
    )
    left = {e["id"] for e in res["queue"]}
    assert not {a, b, c} & left
    bad = runner.invoke(app, ["--db", str(db), "review", "nato-sg-2024", "--accept", "nope"])
    assert bad.exit_code == 1 and "no evidence 'nope'" in bad.stderr


def test_eval_extract_prints_scores(tmp_path: Path, news: Path) -> None:
    res = km(
        tmp_path / "km.db",
        "eval-extract",
        "--articles",
        str(news / "articles.jsonl"),
        "--gold",
        str(news / "gold.jsonl"),
        "--race",
        "nato-sg-2024",
        "--mode",
        "fallback",
        "--json",
    )
    scores = json.loads(res.stdout)["scores"]
    assert scores["stance"]["f1"] >= 0.75 and scores["candidacy"]["f1"] >= 0.8


def _service(tmp_path: Path) -> Any:
    from kingmaker.service import Kingmaker
    from kingmaker.store import open_store

    return Kingmaker(open_store(tmp_path / "km.db"))


def test_an_ingest_stopped_while_writing_a_batch_leaves_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = next(SEED.glob("seed-*.txt"))
    k = _service(tmp_path)
    before = len(k.race("nato-sg-2024").evidence)

    def crash(*args: Any) -> None:
        raise RuntimeError("power cut")

    # the batch's article is written, then the power goes while its evidence is
    monkeypatch.setattr(type(k.store), "_insert_evidence", crash)
    with pytest.raises(RuntimeError):
        k.ingest([seed], race_id="nato-sg-2024", mode="fallback")
    monkeypatch.undo()
    # nothing of the batch: one transaction (before, the article stayed, unread)
    assert k.store.article_count() == 0
    assert len(k.race("nato-sg-2024").evidence) == before
    again = k.ingest([seed], race_id="nato-sg-2024", mode="fallback")
    assert again.ingest.new == 1 and again.evidence["nato-sg-2024"] >= 3
    k.close()


def test_a_stored_article_not_read_yet_is_read_by_the_next_ingest(tmp_path: Path) -> None:
    """An article stored without its evidence (by an ingest without extraction, or by a
    kingmaker that wrote articles and evidence in two transactions and stopped between
    them) is read by the next ingest, once."""
    from kingmaker.pipeline import run

    seed = next(SEED.glob("seed-*.txt"))
    k = _service(tmp_path)
    run(k.store, [seed], race_id="nato-sg-2024")  # the article, not read
    assert k.store.article_count("nato-sg-2024") == 1
    before = len(k.race("nato-sg-2024").evidence)
    again = k.ingest([seed], race_id="nato-sg-2024", mode="fallback")
    assert again.ingest.new == 0  # not new, but read
    assert again.evidence["nato-sg-2024"] >= 3
    assert len(k.race("nato-sg-2024").evidence) == before + again.evidence["nato-sg-2024"]
    third = k.ingest([seed], race_id="nato-sg-2024", mode="fallback")
    assert third.evidence == {} and third.articles == []  # read once it has evidence
    k.close()


def test_an_article_without_evidence_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "quiet.txt"
    text.write_text(
        "NATO Secretary General race: the alliance's foreign ministers met in Brussels on "
        "Tuesday and talked about ammunition, not about who will lead the alliance next."
    )
    k = _service(tmp_path)
    reads: list[str] = []
    real = Extractor.extract

    def counted(self: Extractor, article: Any) -> Any:
        reads.append(article.id)
        return real(self, article)

    monkeypatch.setattr(Extractor, "extract", counted)
    first = k.ingest([text], race_id="nato-sg-2024", default_date=dt.date(2024, 3, 1))
    assert first.ingest.new == 1 and first.evidence == {"nato-sg-2024": 0}
    assert k.store.unread_races(reads[0]) == []
    for _ in range(2):
        again = k.ingest([text], race_id="nato-sg-2024", default_date=dt.date(2024, 3, 1))
        assert again.ingest.exact_duplicates == 1 and again.articles == []
    assert len(reads) == 1  # read once, not on every ingest
    k.close()


def test_an_item_is_corrected_once_and_only_with_known_ids(tmp_path: Path) -> None:
    from kingmaker.errors import ReviewError

    seed = next(SEED.glob("seed-*.txt"))
    k = _service(tmp_path)
    k.ingest([seed], race_id="nato-sg-2024", mode="fallback")
    item = next(e for e in k.race("nato-sg-2024").evidence if e.kind == "candidacy" and e.candidate)
    with pytest.raises(ReviewError, match=r"candidate .nobody. is not in the race"):
        k.edit("nato-sg-2024", item.id, {"candidate": "nobody"}, "ana")
    new = k.edit("nato-sg-2024", item.id, {"status": "declared"}, "ana")
    assert new.id == f"{item.id}.r1"
    with pytest.raises(ReviewError, match=rf"corrected already as {item.id}\.r1"):
        k.edit("nato-sg-2024", item.id, {"status": "withdrawn"}, "ana")
    k.edit("nato-sg-2024", new.id, {"status": "withdrawn"}, "ana")  # the copy can be
    used = {e.id for e in k.race("nato-sg-2024").evidence if e.review != "rejected"}
    assert item.id not in used and new.id not in used and f"{new.id}.r1" in used
    k.close()


def test_a_decision_an_item_has_already_is_not_logged_again(tmp_path: Path) -> None:
    k = _service(tmp_path)
    item = k.race("nato-sg-2024").evidence[0]
    k.decide("nato-sg-2024", item.id, "rejected", "ana")
    k.decide("nato-sg-2024", item.id, "rejected", "bo")
    log = k.store.reviews("nato-sg-2024", item.id)
    assert [(r.review, r.reviewer) for r in log] == [("rejected", "ana")]
    k.close()
