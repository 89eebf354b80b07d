"""A stance moves a member from where it would be silent, in the stance's direction, at
every level of the body's common mood (``threshold_table`` with a reference)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kingmaker.engine import Params
from kingmaker.engine.simulate import threshold_table

probabilities = st.floats(0.01, 0.99)


@given(p=probabilities, ref=probabilities)
@settings(max_examples=200, deadline=None)
def test_on_record_thresholds_never_cross_the_silent_ones(p: float, ref: float) -> None:
    params = Params()
    on_record = threshold_table(
        np.array([p]), params, silent=np.array([False]), reference=np.array([ref])
    )[0]
    silent = threshold_table(np.array([ref]), params, silent=np.array([True]))[0]
    if p < ref:
        assert (on_record <= silent).all()
    if p > ref:
        assert (on_record >= silent).all()


@given(lo=probabilities, hi=probabilities, ref=probabilities)
@settings(max_examples=200, deadline=None)
def test_more_acceptance_on_record_never_lowers_a_threshold(
    lo: float, hi: float, ref: float
) -> None:
    lo, hi = min(lo, hi), max(lo, hi)
    params, no = Params(), np.array([False])
    low = threshold_table(np.array([lo]), params, silent=no, reference=np.array([ref]))[0]
    high = threshold_table(np.array([hi]), params, silent=no, reference=np.array([ref]))[0]
    assert (high >= low).all()


def test_without_a_reference_the_member_on_record_keeps_its_own_correlation() -> None:
    params = Params()
    p, ref = np.array([0.74]), np.array([0.81])  # a mild objection, as in the known case
    own = threshold_table(p, params, silent=np.array([False]))
    coupled = threshold_table(p, params, silent=np.array([False]), reference=ref)
    silent_rows = threshold_table(ref, params, silent=np.array([True]))
    assert (coupled <= own).all()
    assert (coupled == np.minimum(own, silent_rows)).all()
    # the objector rejects where the silent member would: a strictly lower threshold
    # somewhere (the body's coolest levels), and its own elsewhere
    assert (coupled < own).any() and (coupled == own).any()
