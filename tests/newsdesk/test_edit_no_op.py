"""An edit that changes nothing is refused by the newsdesk itself (``newsdesk.edit`` and
``Kingmaker.edit``), not only by the CLI and the web: the store is left as it was, and
an edit that does change a field still stores its correction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kingmaker.errors import ReviewError
from kingmaker.newsdesk import check_edit, edit
from kingmaker.service import Kingmaker
from kingmaker.store import open_store

NATO = "nato-sg-2024"


@pytest.fixture
def km(tmp_path: Path) -> Iterator[Kingmaker]:
    k = Kingmaker(open_store(tmp_path / "km.db"))
    yield k
    k.close()


def stored(km: Kingmaker) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in km.race(NATO).evidence]


def a_stance(km: Kingmaker) -> Any:
    return next(e for e in km.race(NATO).evidence if e.kind == "stance" and e.review != "rejected")


def test_the_newsdesk_refuses_an_edit_that_changes_nothing(km: Kingmaker) -> None:
    item = a_stance(km)
    before = stored(km)
    for changes in (
        {"stance": item.stance},
        {"stance": item.stance, "member": item.member, "date": item.date.isoformat()},
        {"confidence": str(item.confidence)},  # the same value, as text from a form
    ):
        with pytest.raises(ReviewError, match="the edit changes nothing; nothing stored"):
            edit(km.store, km.race(NATO), item.id, changes, "tester")
        with pytest.raises(ReviewError, match="the edit changes nothing"):
            km.edit(NATO, item.id, changes, "tester")
    assert stored(km) == before


def test_an_edit_naming_no_field_is_refused(km: Kingmaker) -> None:
    item = a_stance(km)
    before = stored(km)
    with pytest.raises(ReviewError, match=f"the edit of {item.id} names no field to change"):
        km.edit(NATO, item.id, {}, "tester")
    assert stored(km) == before


def test_check_edit_stores_nothing_and_edit_stores_what_it_checked(km: Kingmaker) -> None:
    item = a_stance(km)
    before = stored(km)
    other = "oppose" if item.stance != "oppose" else "support"
    planned = check_edit(km.race(NATO), item.id, {"stance": other}, "tester")
    assert stored(km) == before  # a check only
    new = km.edit(NATO, item.id, {"stance": other}, "tester")
    assert new == planned and new.stance == other and new.id == f"{item.id}.r1"
    by_id = {e.id: e for e in km.race(NATO).evidence}
    assert by_id[item.id].review == "rejected" and by_id[new.id].review == "accepted"


def test_a_rejected_item_can_be_restored_with_its_own_values(km: Kingmaker) -> None:
    """Not 'nothing': the accepted copy counts where the rejected original did not."""
    item = a_stance(km)
    km.decide(NATO, item.id, "rejected", "tester")
    new = km.edit(NATO, item.id, {"stance": item.stance}, "tester")
    assert new.review == "accepted" and new.stance == item.stance
