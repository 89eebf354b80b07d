"""The extractor reads a race it was never tuned on: a fictional harbour board electing
its chair, whose members are people (one of them a candidate). No code change needed."""

from __future__ import annotations

from typing import Any

import pytest

from kingmaker.extract import Extractor

from .conftest import MODES, article, fictional_race, require_mode

TEXT = (
    "Harbour Authority Board to pick a new chair. "
    "Owen Blake backs Victor Stahl for board chair. "
    "Nadia Ferreira and Rosa Lind will not support Stahl. "
    "Quentin Hale has not yet backed anyone. "
    "Priya Raman announced her candidacy for chair of the board on Monday. "
    "Greta Moss will step down in June 2031. "
    "Stahl is reportedly backed by Quentin Hale. "
    "Lind, who had opposed Raman, now backs her. "
    "Victor Stahll may withdraw if Raman wins more support."
)


@pytest.mark.parametrize("mode", MODES)
def test_fictional_race(mode: str) -> None:
    require_mode(mode)
    events = [
        e for e in Extractor(fictional_race(), mode=mode).extract(article(TEXT, "2031-03-05"))
    ]
    kept = [e for e in events if e.confidence >= 0.5]
    got: set[tuple[Any, ...]] = {e.key() for e in kept}
    assert {
        ("stance", "OB", "stahl", "support", False),
        ("stance", "NF", "stahl", "oppose", False),
        ("stance", "RL", "stahl", "oppose", False),
        ("stance", "QH", "stahl", "support", False),
        ("stance", "RL", "raman", "support", True),
        ("candidacy", "raman", "declared"),
        ("candidacy", "stahl", "declared"),
        ("vacancy", "Greta Moss"),
    } <= got
    assert not [k for k in got if k[0] == "stance" and k[1] == "QH" and k[2] != "stahl"]
    assert not [k for k in got if k[0] == "candidacy" and k[2] == "withdrawn"], (
        "a hedged withdrawal is no withdrawal"
    )
    (vac,) = [e for e in kept if e.kind == "vacancy"]
    assert vac.ends == "2031-06"
    reported = next(e for e in kept if e.key() == ("stance", "QH", "stahl", "support", False))
    direct = next(e for e in kept if e.key() == ("stance", "OB", "stahl", "support", False))
    assert reported.confidence < direct.confidence
