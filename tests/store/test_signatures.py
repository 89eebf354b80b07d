"""Near-duplicate signatures of articles in every store (stored with the articles, put,
listed when missing, looked up by band key), evidence of many articles in one
transaction, and the migration that adds the signatures (0007_article_signatures) to a
database of the schema before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kingmaker.errors import StoreError
from kingmaker.store import SQLiteStore, Store, open_store
from kingmaker.store.base import ArticleSignature
from kingmaker.store.migrations import MIGRATIONS

from .conftest import evidence, make_article, make_race, sample_evidence

SCHEME = "minhash-5gram.v1"
LOW, HIGH = -(2**63), 2**63 - 1


def sig(article_id: str, *bands: int, scheme: str = SCHEME, size: int = 7) -> ArticleSignature:
    return ArticleSignature(article_id, scheme, bytes(range(8)) * 2, size, bands)


def stored_pair(store: Store) -> tuple[str, str]:
    """A race with two articles, the second a copy of the first, signed; their ids."""
    store.put_race(make_race())
    a = make_article("Ann leads the race.", date="2024-02-01")
    b = make_article("Ann leads the race!", duplicate_of=a.id)
    store.add_articles(
        [(a, ["race-1"]), (b, ["race-1"])], signatures=[sig(a.id, 1, 2, HIGH), sig(b.id, 2, LOW)]
    )
    return a.id, b.id


def held(store: Store, keys: list[int], scheme: str = SCHEME) -> dict[int, str]:
    """Band key -> id of its first holder."""
    return {k: m.signature.article_id for k, m in store.band_holders(scheme, keys).items()}


def test_a_band_key_is_answered_with_its_first_holder(store: Store) -> None:
    a, b = stored_pair(store)
    assert store.band_holders(SCHEME, []) == {} and held(store, [99]) == {}
    only = store.band_holders(SCHEME, [1, 99])
    assert list(only) == [1] and only[1].signature == sig(a, 1, 2, HIGH)
    assert (only[1].date and only[1].date.isoformat(), only[1].duplicate_of) == ("2024-02-01", None)
    assert held(store, [2, LOW, HIGH]) == {2: a, LOW: b, HIGH: a}  # undated b comes last
    copy = store.band_holders(SCHEME, [LOW])[LOW]
    assert (copy.date, copy.duplicate_of, copy.signature.bands) == (None, a, (2, LOW))
    # an earlier article holds the key before a; on the same day, the smaller id first
    early = [make_article(f"Early {n}.", date="2023-12-01") for n in range(3)]
    store.add_articles(
        [(e, ["race-1"]) for e in early],
        signatures=[sig(e.id, 2, 50 + n) for n, e in enumerate(early)],
    )
    assert held(store, [2, 1]) == {2: min(e.id for e in early), 1: a}
    assert held(store, [2], scheme="other.v2") == {}


def test_unsigned_articles_are_listed_until_signed(store: Store) -> None:
    a, b = stored_pair(store)
    c = make_article("Bob is out.")
    store.add_articles([(c, ["race-1"])])
    assert [x.id for x in store.unsigned_articles(SCHEME)] == [c.id]
    assert [x.id for x in store.unsigned_articles("other.v2")] == sorted([a, b, c.id])
    store.put_signatures([sig(c.id, 5)])
    assert list(store.unsigned_articles(SCHEME)) == []
    assert held(store, [5]) == {5: c.id}


def test_a_new_signature_replaces_the_old_one_and_its_bands(store: Store) -> None:
    a, _ = stored_pair(store)
    store.put_signatures([sig(a, 7, 8, scheme="other.v2")])
    assert held(store, [1, HIGH]) == {}
    assert store.band_holders("other.v2", [8])[8].signature == sig(a, 7, 8, scheme="other.v2")
    assert [x.id for x in store.unsigned_articles(SCHEME)] == [a]


def test_signatures_of_an_article_re_added_are_left_as_they_are(store: Store) -> None:
    a, _ = stored_pair(store)
    store.add_articles([(store.get_article(a), ["race-1"])], signatures=[sig(a, 42)])
    assert held(store, [42, 1]) == {1: a}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (sig("x" * 64, 1), "not in the batch"),
        (sig("A", 2**63), "64-bit"),
        (sig("A", 1, scheme=" "), "scheme"),
        (sig("A", 1, size=-1), "shingles"),
        ("not a signature", "not an ArticleSignature"),
    ],
)
def test_bad_signatures_write_nothing(store: Store, bad: object, message: str) -> None:
    store.put_race(make_race())
    article = make_article("Ann leads.")
    if isinstance(bad, ArticleSignature) and bad.article_id == "A":
        bad = ArticleSignature(article.id, bad.scheme, bad.minhash, bad.shingles, bad.bands)
    with pytest.raises(StoreError, match=message):
        store.add_articles([(article, ["race-1"])], signatures=[bad])  # type: ignore[list-item]
    assert store.article_count() == 0
    store.add_articles([(article, ["race-1"])])
    with pytest.raises(StoreError):
        store.put_signatures([sig(article.id, 3), bad])  # type: ignore[list-item]
    assert held(store, [3]) == {}


def test_signatures_of_unknown_articles_are_refused(store: Store) -> None:
    a, _ = stored_pair(store)
    with pytest.raises(StoreError, match="no article"):
        store.put_signatures([sig(a, 3), sig("f" * 64, 3)])
    assert held(store, [3]) == {}
    with pytest.raises(StoreError, match="twice"):
        store.put_signatures([sig(a, 3), sig(a, 4)])


def test_evidence_of_many_articles_goes_in_all_together_or_not_at_all(store: Store) -> None:
    store.put_race(make_race())
    store.put_race(make_race("race-2"))
    a, b = make_article("Ann leads."), make_article("Bob trails.")
    store.add_articles([(a, ["race-1", "race-2"]), (b, ["race-1"])])
    e1, e2 = evidence("e1"), evidence("e2", member="BBB")
    clash = evidence("e1", member="CCC")  # e1 again, with other content
    with pytest.raises(StoreError, match="e1"):
        store.add_evidence_batch([("race-1", [e1], a.id), ("race-1", [clash], b.id)])
    assert store.get_race("race-1").evidence == ()
    assert store.unread_races(a.id) == ["race-1", "race-2"]
    with pytest.raises(StoreError, match="not linked"):
        store.add_evidence_batch([("race-2", [e1], a.id), ("race-2", [e2], b.id)])
    assert store.get_race("race-2").evidence == ()
    counts = store.add_evidence_batch(
        [("race-1", [e1], a.id), ("race-1", [e1, e2], b.id), ("race-2", [], a.id)]
    )
    assert counts == [1, 1, 0]
    assert [e.id for e in store.get_race("race-1").evidence] == ["e1", "e2"]
    assert store.unread_races(a.id) == [] and store.unread_races(b.id) == []
    assert store.add_evidence_batch([]) == []


def test_a_re_add_compares_with_the_stored_item_of_that_id_only(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    fingerprint = store.fingerprint("race-1")
    assert store.add_evidence("race-1", [sample_evidence()[1]]) == 0  # identical re-add
    assert store.fingerprint("race-1") == fingerprint
    changed = sample_evidence()[1].model_copy(update={"stance": "support"})
    with pytest.raises(StoreError, match="e2"):
        store.add_evidence("race-1", [changed.model_dump(mode="json")])  # a dict, too
    with pytest.raises(StoreError, match="malformed"):
        store.add_evidence("race-1", [{"id": "e9"}])  # type: ignore[list-item]


# The migration -------------------------------------------------------------------------


def _back_to_schema_0006(execute: Callable[[str], object]) -> None:
    execute("DROP TABLE article_bands")
    execute("DROP TABLE article_signatures")
    execute("DELETE FROM schema_migrations WHERE name = '0007_article_signatures'")


def _fill(store: Store) -> str:
    store.put_race(make_race(ev=sample_evidence()))
    article = make_article("Ann leads the race.")
    store.add_articles([(article, ["race-1"])])
    return article.id


def _check_upgraded(store: Store, article_id: str) -> None:
    assert store.schema_version() == MIGRATIONS[-1][0]
    assert "0007_article_signatures" in dict(MIGRATIONS)
    race = store.get_race("race-1")  # the data from before are intact
    assert [e.id for e in race.evidence] == [e.id for e in sample_evidence()]
    assert [a.id for a in store.unsigned_articles(SCHEME)] == [article_id]
    store.put_signatures([sig(article_id, 11)])
    assert store.band_holders(SCHEME, [11])[11].signature == sig(article_id, 11)


def test_a_schema_0006_sqlite_database_gains_signatures(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        article_id = _fill(store)
    conn = sqlite3.connect(path, isolation_level=None)
    _back_to_schema_0006(conn.execute)
    conn.close()
    with SQLiteStore(path) as store:
        _check_upgraded(store, article_id)


def test_a_schema_0006_postgres_database_gains_signatures(
    pg_database: Callable[..., str],
) -> None:
    import psycopg

    url = pg_database()
    with open_store(url) as store:
        article_id = _fill(store)
    with psycopg.connect(url, autocommit=True) as conn:
        _back_to_schema_0006(conn.execute)
    with open_store(url) as store:
        _check_upgraded(store, article_id)


def test_the_signatures_of_removed_articles_are_not_found(store: Store) -> None:
    a, _ = stored_pair(store)
    store.put_race(make_race("race-2"))
    kept = make_article("Cy is in.")
    store.add_articles([(kept, ["race-2"])], signatures=[sig(kept.id, 2)])
    assert store.delete_race("race-1", articles=True) == 2
    assert held(store, [1, 2, LOW]) == {2: kept.id}
    store.put_race(make_race())
    store.add_articles([(make_article("Ann leads the race.", date="2024-02-01"), ["race-1"])])
    store.put_signatures([sig(a, 9)])  # stored again, and signed again
    assert held(store, [1, 9]) == {9: a}
