"""``add_batch`` (every implementation): an ingest batch's articles, race links, evidence
and read marks in one transaction, all or nothing; a batch whose fresh articles another
writer stored first is not written, and the call says which."""

from __future__ import annotations

import pytest

from kingmaker.errors import ConflictError, StoreError, UnknownRaceError
from kingmaker.store import Store

from .conftest import evidence, make_article, make_race


def item(eid: str, article_id: str, stance: str = "support") -> object:
    """A stance item read from an article."""
    source = {"url": "https://example.org/a", "content_hash": article_id}
    return evidence(eid, source=source, stance=stance)


def test_a_batch_stores_articles_evidence_and_read_marks_together(store: Store) -> None:
    store.put_race(make_race())
    store.put_race(make_race("race-2"))
    old, first, second = (make_article(f"Ann leads, story {n}.") for n in range(3))
    store.add_articles([(old, ["race-1"])])
    done = store.add_batch(
        [(first, ["race-1"]), (old, ["race-2"]), (second, ["race-1"])],
        [
            ("race-1", [item("a1", first.id)], first.id),
            ("race-2", [item("o1", old.id)], old.id),
            ("race-1", [], second.id),  # read, nothing found
            ("race-1", [item("a1", first.id)], first.id),  # a re-add: skipped
        ],
        fresh=[first.id, second.id],
    )
    assert (done.new, done.added, done.taken) == ((first.id, second.id), (1, 1, 0, 0), ())
    assert store.article_races(old.id) == ["race-1", "race-2"]
    assert store.unread_races(old.id) == ["race-1"]  # linked before, not read in this batch
    assert store.unread_races(first.id) == store.unread_races(second.id) == []
    assert [e.id for e in store.get_race("race-1").evidence] == ["a1"]
    assert [e.id for e in store.get_race("race-2").evidence] == ["o1"]


def test_a_batch_whose_fresh_article_was_stored_meanwhile_writes_nothing(store: Store) -> None:
    store.put_race(make_race())
    first, second = (make_article(f"Ann leads, story {n}.") for n in range(2))
    store.add_articles([(second, ["race-1"])])  # another writer, since it was read
    batch = [(first, ["race-1"]), (second, ["race-1"])]
    entries = [("race-1", [item("a1", first.id)], first.id), ("race-1", [], second.id)]
    done = store.add_batch(batch, entries, fresh=[first.id, second.id])
    assert (done.new, done.added, done.taken) == ((), (), (second.id,))
    assert not store.has_article(first.id) and store.get_race("race-1").evidence == ()
    assert store.unread_races(second.id) == ["race-1"]
    # read again as a stored article, the batch goes in
    done = store.add_batch(batch, entries, fresh=[first.id])
    assert (done.new, done.added, done.taken) == ((first.id,), (1, 0), ())
    assert store.unread_races(second.id) == []


@pytest.mark.parametrize("failure", ["conflict", "not linked", "unknown race"])
def test_a_batch_whose_evidence_is_refused_writes_none_of_its_articles(
    store: Store, failure: str
) -> None:
    store.put_race(make_race())
    old, new = make_article("Ann leads, story 0."), make_article("Ann leads, story 1.")
    store.add_articles([(old, ["race-1"])])
    store.add_evidence("race-1", [item("a1", old.id)])
    bad = {
        "conflict": ("race-1", [item("a1", old.id, stance="oppose")], new.id),
        "not linked": ("race-1", [], make_article("Elsewhere.").id),
        "unknown race": ("race-9", [], new.id),
    }[failure]
    store.put_race(make_race("race-2"))
    with pytest.raises((ConflictError, StoreError, UnknownRaceError)):
        store.add_batch(
            [(new, ["race-1"]), (old, ["race-2"])],
            [("race-1", [item("n1", new.id)], new.id), bad],
            fresh=[new.id],
        )
    assert not store.has_article(new.id)
    assert store.article_races(old.id) == ["race-1"]  # the batch's new link is not kept
    assert [e.id for e in store.get_race("race-1").evidence] == ["a1"]
    assert store.unread_races(old.id) == ["race-1"]
