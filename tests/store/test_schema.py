"""The schema is written once (kingmaker.store.migrations.SCHEMA) and rendered in SQLite's
and PostgreSQL's words; the golden databases (test_golden.py) check that each rendering is
the released one."""

from __future__ import annotations

import re

from kingmaker.store.migrations import (
    MIGRATIONS,
    POSTGRES_WORDS,
    SCHEMA,
    SQLITE_WORDS,
    render,
)
from kingmaker.store.postgres import MIGRATIONS as PG_MIGRATIONS


def test_both_databases_have_a_word_for_every_name_the_schema_uses() -> None:
    used = {m for _, sql in SCHEMA for m in re.findall(r"\{(\w+)\}", sql)}
    assert used == set(SQLITE_WORDS) == set(POSTGRES_WORDS)
    names = [name for name, _ in SCHEMA]
    assert [n for n, _ in MIGRATIONS] == [n for n, _ in PG_MIGRATIONS] == names
    for _, sql in (*MIGRATIONS, *PG_MIGRATIONS):
        assert "{" not in sql and "}" not in sql


def test_render_puts_in_words_and_leaves_out_lines_whose_word_is_none() -> None:
    schema = [("0009_x", "{note} only here\n-- in both\nCREATE TABLE x (id {key}, n {bigint});")]
    ((_, sqlite),) = render(SQLITE_WORDS, schema)
    ((_, postgres),) = render(POSTGRES_WORDS, schema)
    assert sqlite == "-- only here\n-- in both\nCREATE TABLE x (id TEXT, n INTEGER);"
    assert postgres == '-- in both\nCREATE TABLE x (id TEXT COLLATE "C", n BIGINT);'
