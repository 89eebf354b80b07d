"""Parameter files: the bundled one loads; values of a model with the same parameters are
read as they are; those of another model are refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kingmaker.engine.params import (
    FITTED_UNDER,
    MODEL,
    SAME_PARAMETERS,
    bundled_params_path,
    load_params_file,
)
from kingmaker.errors import ForecastError


def _written(tmp_path: Path, model: str) -> Path:
    data = json.loads(bundled_params_path().read_text())
    path = tmp_path / f"{model}.json"
    path.write_text(json.dumps({**data, "model": model}))
    return path


def test_the_bundled_values_are_for_a_model_with_this_models_parameters() -> None:
    assert FITTED_UNDER in {MODEL, *SAME_PARAMETERS}
    assert load_params_file(bundled_params_path()).model == FITTED_UNDER


@pytest.mark.parametrize("model", sorted(SAME_PARAMETERS | {MODEL}))
def test_values_of_v5_to_v8_are_read_as_they_are(tmp_path: Path, model: str) -> None:
    bundled = load_params_file(bundled_params_path())
    assert load_params_file(_written(tmp_path, model)).values == bundled.values


def test_values_of_another_model_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ForecastError, match=r"values are for model kingmaker-mc\.v4") as err:
        load_params_file(_written(tmp_path, "kingmaker-mc.v4"))
    assert "\n" not in str(err.value)


def test_values_written_before_a_parameter_existed_keep_their_behaviour(tmp_path: Path) -> None:
    """A v7 file has no ``objector_relent``: it is read at 1, where v8 is v7; the bundled
    file names its value and keeps it."""
    data = json.loads(bundled_params_path().read_text())
    assert "objector_relent" in data["values"]
    old = {**data, "model": "kingmaker-mc.v7"}
    old["values"] = {k: v for k, v in data["values"].items() if k != "objector_relent"}
    path = tmp_path / "v7.json"
    path.write_text(json.dumps(old))
    assert load_params_file(path).values.objector_relent == 1.0
    assert load_params_file(bundled_params_path()).values.objector_relent == 0.0


def test_a_v9_file_without_the_vote_pull_forecasts_as_v9_did(tmp_path: Path) -> None:
    """``vote_endorsement_pull`` is new in v10: a file that does not name it reads 0."""
    data = json.loads(bundled_params_path().read_text())
    assert data["values"]["vote_endorsement_pull"] == 0.4
    old = {**data, "model": "kingmaker-mc.v9"}
    old["values"] = {k: v for k, v in data["values"].items() if k != "vote_endorsement_pull"}
    path = tmp_path / "v9.json"
    path.write_text(json.dumps(old))
    assert load_params_file(path).values.vote_endorsement_pull == 0.0
