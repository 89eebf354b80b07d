"""The shared data sets the tests read: ``../shared`` beside the repository root (annotated
news, the seed article), never an absolute machine path.

A test whose data set is missing is skipped, or fails when ``KINGMAKER_REQUIRE_SERVICES=1``
(CI sets it), so that a run missing the data cannot pass by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_VAR = "KINGMAKER_REQUIRE_SERVICES"
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "data" / "news"


def required() -> bool:
    """Whether missing services and data sets fail the tests instead of skipping them."""
    return os.environ.get(REQUIRE_VAR) == "1"


def unavailable(message: str) -> NoReturn:
    """Skip the calling test with ``message``, or fail it when services are required."""
    if required():
        pytest.fail(f"{message}, and {REQUIRE_VAR}=1 requires it", pytrace=False)
    pytest.skip(message)


def shared_path(relative: str) -> Path:
    """``../shared/<relative>`` beside the repository; skips (or fails) the test when the
    file or folder is not there."""
    path = SHARED / relative
    if not path.exists():
        unavailable(f"../shared/{relative} is not beside the repository")
    return path
