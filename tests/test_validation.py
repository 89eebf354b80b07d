"""Records and models built from Python with bad values raise an error of kingmaker's
tree (that is still a pydantic ValidationError), with one line naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from conftest import make_race
from kingmaker.errors import ForecastError, KingmakerError, RaceFileError
from kingmaker.records import Member, Race
from kingmaker.validation import Checked, InvalidParamsError, InvalidRecordError


def race_data(**changes: Any) -> dict[str, Any]:
    data = make_race().model_dump()
    data.update(changes)
    return data


def test_a_bad_race_raises_a_kingmaker_error_that_is_still_a_validation_error() -> None:
    data = race_data()
    data["bodies"][0]["members"][1]["weight"] = -1
    with pytest.raises(InvalidRecordError) as caught:
        Race(**data)
    exc = caught.value
    assert isinstance(exc, RaceFileError) and isinstance(exc, ValidationError)
    assert exc.status == 422 and exc.param == "bodies"
    assert str(exc).startswith("Race: bodies.0.members.1.weight: Input should be greater than 0")
    assert exc.errors()[0]["loc"] == ("bodies", 0, "members", 1, "weight")


def test_model_validate_and_rule_errors_are_wrapped_too() -> None:
    data = race_data()
    data["candidates"] = [*data["candidates"], data["candidates"][0]]
    with pytest.raises(RaceFileError, match=r"^Race: candidate id 'a' appears twice$"):
        Race.model_validate(data)
    with pytest.raises(KingmakerError, match=r"^Member: id: .* \(and 1 more\)$") as caught:
        Member(id="not an id")  # type: ignore[call-arg]
    assert "\n" not in str(caught.value) and caught.value.message_for({"id": "--x"}) == str(
        caught.value
    )


def test_a_model_names_its_own_error_class() -> None:
    class Knobs(Checked):
        invalid = InvalidParamsError
        rate: float

    with pytest.raises(ForecastError, match=r"^Knobs: rate: Input should be a valid number"):
        Knobs(rate="fast")  # type: ignore[arg-type]
    assert Knobs(rate=0.5).rate == 0.5


def test_bad_params_raise_a_forecast_error_naming_the_field() -> None:
    from kingmaker.engine import Params
    from kingmaker.errors import ForecastError

    with pytest.raises(ForecastError, match="stand_declared"):
        Params(stand_declared=2)
