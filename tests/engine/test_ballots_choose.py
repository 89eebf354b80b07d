"""Vote draws made one candidate at a time are the draws of the stacked weights."""

from __future__ import annotations

import numpy as np

from kingmaker.engine.ballots import choose, choose_factored


def reference(g: np.random.Generator, weight: np.ndarray) -> np.ndarray:
    """The stacked form: one exponential draw per cell, the largest weight / draw wins."""
    e = g.standard_exponential(weight.shape, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.argmax(weight / e, axis=0).astype(np.int16)


def test_choosing_one_candidate_at_a_time_draws_as_the_stacked_weights() -> None:
    rng = np.random.default_rng(1)
    weight = rng.random((5, 7, 300)).astype(np.float32)
    weight[2, :, :100] = 0.0  # a candidate not standing in some samples never wins there
    a = reference(np.random.Generator(np.random.SFC64(3)), weight)
    b = choose_factored(np.random.Generator(np.random.SFC64(3)), 5, lambda c: weight[c])
    c = choose(np.random.Generator(np.random.SFC64(3)), weight)
    assert (a == b).all() and (b == c).all()
    assert not (b[:, :100] == 2).any()
    shares = np.bincount(b.ravel(), minlength=5) / b.size
    expected = weight.sum(axis=(1, 2)) / weight.sum()
    assert np.abs(shares - expected).max() < 0.05
