"""``add_articles_new_ids`` (every implementation): the ids of the articles a call newly
stored, in batch order, leaving out those already stored; ``add_articles`` counts them."""

from __future__ import annotations

from kingmaker.store import Store

from .conftest import make_article, make_race


def test_only_the_newly_stored_ids_come_back_in_batch_order(store: Store) -> None:
    store.put_race(make_race())
    old, first, second = (make_article(f"Ann leads, story {n}.") for n in range(3))
    assert store.add_articles([(old, ["race-1"])]) == 1
    batch = [(second, ["race-1"]), (old, ["race-1"]), (first, ["race-1"]), (second, [])]
    assert store.add_articles_new_ids(batch) == [second.id, first.id]
    assert store.add_articles_new_ids(batch) == []
    assert store.add_articles(batch) == 0
    assert store.article_count("race-1") == 3
