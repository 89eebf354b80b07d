"""The article part of the store contract, run against every implementation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kingmaker.errors import StoreError, UnknownRaceError
from kingmaker.records import Article
from kingmaker.store import Store

from .conftest import evidence, make_article, make_race

D = dt.date.fromisoformat


def two_races(store: Store) -> None:
    store.put_race(make_race("race-1"))
    store.put_race(make_race("race-2"))


def test_add_and_read_back(store: Store) -> None:
    two_races(store)
    a = make_article(
        "Ann leads.",
        date=D("2024-02-01"),
        date_basis="'date' field",
        url="https://example.org/a",
        file="news.jsonl#a",
        title="Ann leads",
        publisher="Example",
    )
    assert store.add_articles([(a, ["race-2", "race-1"])]) == 1
    assert store.get_article(a.id) == a
    assert store.has_article(a.id)
    assert store.article_races(a.id) == ["race-1", "race-2"]
    assert store.article_count() == 1
    assert store.article_count("race-1") == store.article_count("race-2") == 1
    assert list(store.articles()) == [a]


def test_re_adding_is_a_no_op_that_keeps_the_first_metadata(store: Store) -> None:
    two_races(store)
    first = make_article(url="https://example.org/first")
    assert store.add_articles([(first, ["race-1"])]) == 1
    again = make_article(url="https://example.org/other")
    assert store.add_articles([(again, ["race-1"])]) == 0
    assert store.get_article(first.id).url == "https://example.org/first"
    assert store.article_count() == 1


def test_re_adding_with_a_new_race_adds_the_link(store: Store) -> None:
    two_races(store)
    a = make_article()
    store.add_articles([(a, ["race-1"])])
    assert store.add_articles([(a, ["race-2"])]) == 0
    assert store.article_races(a.id) == ["race-1", "race-2"]
    assert store.article_count("race-2") == 1


def test_repeats_within_a_batch_merge_their_links(store: Store) -> None:
    two_races(store)
    a = make_article()
    assert store.add_articles([(a, ["race-1"]), (a, ["race-2", "race-1"])]) == 1
    assert store.article_races(a.id) == ["race-1", "race-2"]


def test_an_article_may_concern_no_race(store: Store) -> None:
    a = make_article()
    assert store.add_articles([(a, [])]) == 1
    assert store.article_races(a.id) == []
    assert store.article_count() == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ((make_article("Bob."), ["race-9"]), r"race 'race-9' is not stored"),
        (
            (make_article("Bob.", duplicate_of=make_article("Nobody.").id), ["race-1"]),
            r"duplicate_of .* is not a stored or earlier article",
        ),
        ((make_article("Bob.").model_copy(update={"text": "Robert."}), []), r"not the sha256"),
        (("not an article", ["race-1"]), r"is a str, not an Article"),
        ((make_article("Bob."), "race-1"), r"race ids must be a list"),
        (make_article("Bob."), r"must be an \(Article, race ids\) pair"),
    ],
    ids=["unknown-race", "dangling-duplicate", "id-not-hash", "not-article", "str-races", "bare"],
)
def test_a_bad_item_writes_nothing(store: Store, bad: Any, message: str) -> None:
    store.put_race(make_race())
    good = make_article("Ann.")
    with pytest.raises(StoreError, match=message):
        store.add_articles([(good, ["race-1"]), bad])
    assert store.article_count() == 0
    assert not store.has_article(good.id)


def test_duplicate_of_may_name_a_stored_or_an_earlier_article(store: Store) -> None:
    store.put_race(make_race())
    first, stored_copy = make_article("Ann wins."), make_article("Ann wins!")
    store.add_articles([(first, ["race-1"])])
    later = make_article("Ann wins!!", duplicate_of=first.id)
    copy_of_copy = make_article("Ann wins?", duplicate_of=stored_copy.id)
    batch = [(stored_copy, ["race-1"]), (copy_of_copy, ["race-1"]), (later, ["race-1"])]
    assert store.add_articles(batch) == 3
    assert store.get_article(later.id).duplicate_of == first.id
    with pytest.raises(StoreError, match="duplicate_of"):
        store.add_articles([(make_article("Ann won.", duplicate_of="0" * 64), [])])


def test_articles_come_by_date_undated_last_then_id(store: Store) -> None:
    two_races(store)
    dated = [
        make_article(f"Story {n}.", date=D(day))
        for n, day in enumerate(["2024-03-01", "2024-01-01", "2024-03-01", "2024-02-01"])
    ]
    undated = [make_article(f"Undated {n}.") for n in range(3)]
    store.add_articles([(a, ["race-1"]) for a in [*undated, *dated]])
    store.add_articles([(a, ["race-2"]) for a in dated[:2]])
    want = sorted(dated, key=lambda a: (a.date, a.id)) + sorted(undated, key=lambda a: a.id)
    assert list(store.articles()) == want
    assert list(store.articles("race-1")) == want
    assert list(store.articles("race-2")) == sorted(dated[:2], key=lambda a: (a.date, a.id))


def test_articles_are_read_in_pages_without_losing_any(store: Store) -> None:
    store.put_race(make_race())
    batch = [
        (
            make_article(
                f"Item {n}.", date=D("2024-01-01") + dt.timedelta(days=n % 7) if n % 5 else None
            ),
            ["race-1"],
        )
        for n in range(1203)
    ]
    assert store.add_articles(batch) == 1203
    got = list(store.articles("race-1"))
    assert len(got) == len({a.id for a in got}) == 1203
    keys = [(a.date is None, a.date or dt.date.min, a.id) for a in got]
    assert keys == sorted(keys)


def test_unknown_ids_are_refused(store: Store) -> None:
    store.put_race(make_race())
    with pytest.raises(StoreError, match="no article"):
        store.get_article("f" * 64)
    with pytest.raises(StoreError, match="no article"):
        store.article_races("f" * 64)
    assert not store.has_article("f" * 64)
    with pytest.raises(UnknownRaceError, match="race-1"):
        store.articles("nope")  # at the call, not at the first item
    with pytest.raises(UnknownRaceError):
        store.article_count("nope")


def test_replacing_a_race_keeps_its_article_links(store: Store) -> None:
    store.put_race(make_race())
    a = make_article()
    store.add_articles([(a, ["race-1"])])
    store.put_race(make_race(name="Renamed"))
    assert store.article_races(a.id) == ["race-1"]


def test_deleting_a_race_removes_its_links_not_its_articles(store: Store) -> None:
    two_races(store)
    a, b = make_article("Ann."), make_article("Bob.")
    store.add_articles([(a, ["race-1", "race-2"]), (b, ["race-1"])])
    store.delete_race("race-1")
    assert store.article_count() == 2
    assert store.article_races(a.id) == ["race-2"]
    assert store.article_races(b.id) == []
    assert [x.id for x in store.articles("race-2")] == [a.id]


def test_evidence_marks_its_article_read_for_the_race(store: Store) -> None:
    two_races(store)
    a, b = make_article("Ann."), make_article("Bob.")
    store.add_articles([(a, ["race-1", "race-2"]), (b, ["race-1"])])
    assert store.unread_races(a.id) == ["race-1", "race-2"]
    assert store.add_evidence("race-1", [], read=a.id) == 0  # read, and it said nothing
    assert store.unread_races(a.id) == ["race-2"]
    assert store.add_evidence("race-2", [evidence("x1")], read=a.id) == 1
    assert store.unread_races(a.id) == [] and store.unread_races(b.id) == ["race-1"]
    assert store.add_evidence("race-2", [evidence("x1")], read=a.id) == 0  # idempotent


def test_a_read_mark_is_written_with_its_evidence_or_not_at_all(store: Store) -> None:
    two_races(store)
    a, b = make_article("Ann."), make_article("Bob.")
    store.add_articles([(a, ["race-1"]), (b, [])])
    store.add_evidence("race-1", [evidence("x1")])
    clash = evidence("x1", stance="oppose")
    with pytest.raises(StoreError, match="already stored with other content"):
        store.add_evidence("race-1", [evidence("x2"), clash], read=a.id)
    assert store.unread_races(a.id) == ["race-1"]
    for article, race in ((b.id, "race-1"), (a.id, "race-2"), ("f" * 64, "race-1")):
        with pytest.raises(StoreError, match="is not linked to race"):
            store.add_evidence(race, [evidence("x3")], read=article)
    assert [e.id for e in store.get_race("race-1").evidence] == ["x1"]
    with pytest.raises(StoreError, match="no article"):
        store.unread_races("f" * 64)


def test_linked_articles_picks_the_race_s_own(store: Store) -> None:
    two_races(store)
    batch = [
        (make_article(f"Story {n}."), ["race-1"] if n % 3 else ["race-2"]) for n in range(1100)
    ]
    store.add_articles(batch)
    ids = [a.id for a, _ in batch] + ["f" * 64]  # more ids than one query's page, one unknown
    want = {a.id for a, races in batch if races == ["race-1"]}
    assert store.linked_articles("race-1", ids) == want
    assert store.linked_articles("race-1", []) == set()
    assert store.linked_articles("race-9", ids) == set()


def test_a_race_deleted_and_stored_again_reads_its_articles_again(store: Store) -> None:
    store.put_race(make_race())
    a = make_article()
    store.add_articles([(a, ["race-1"])])
    store.add_evidence("race-1", [], read=a.id)
    store.delete_race("race-1")
    assert store.unread_races(a.id) == []
    store.put_race(make_race())
    store.add_articles([(a, ["race-1"])])
    assert store.unread_races(a.id) == ["race-1"]


def test_a_closed_store_refuses_article_calls(store: Store) -> None:
    store.close()
    for call in (
        lambda: store.add_articles([]),
        lambda: store.has_article("a" * 64),
        lambda: store.article_count(),
        lambda: list(store.articles()),
    ):
        with pytest.raises(StoreError, match="closed"):
            call()


POOL = tuple(
    make_article(f"Pool article {n}.", date=D("2024-01-01") + dt.timedelta(days=n))
    for n in range(6)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(
        st.lists(
            st.tuples(st.sampled_from(POOL), st.lists(st.sampled_from(["race-1", "race-2"]))),
            max_size=5,
        ),
        max_size=4,
    )
)
def test_batches_in_any_order_store_their_union(
    make_store: Callable[[], Store], batches: list[list[tuple[Article, list[str]]]]
) -> None:
    store = make_store()
    two_races(store)
    added = sum(store.add_articles(b) for b in batches)
    links: dict[str, set[str]] = {}
    for batch in batches:
        for article, races in batch:
            links.setdefault(article.id, set()).update(races)
    assert added == len(links) == store.article_count()
    for aid, races in links.items():
        assert store.article_races(aid) == sorted(races)
    assert [a.id for a in store.articles()] == [a.id for a in POOL if a.id in links]
    everything = [(store.get_article(aid), sorted(r)) for aid, r in links.items()]
    assert store.add_articles(list(reversed(everything))) == 0
