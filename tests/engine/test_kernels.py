"""The simulation's compiled loops against plain numpy: same numbers, same stream use."""

from __future__ import annotations

import numpy as np
import pytest

from kingmaker.engine import kernels


def _layout(samples: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    latent = rng.integers(0, 65536, samples, dtype=np.uint16)
    latent[(latent.astype(np.uint32) * k >> 16) == 1] = 65535  # an empty level
    sample_of, bounds = np.empty(samples, dtype=np.intp), np.empty(k + 1, dtype=np.intp)
    kernels.sort_by_level(latent, k, sample_of, bounds)
    return (latent.astype(np.uint32) * k) >> 16, sample_of, bounds


@pytest.mark.parametrize("samples", [1, 7, 4099, 20_003])
def test_the_counting_sort_is_numpys_stable_argsort(samples: int) -> None:
    level, sample_of, bounds = _layout(samples, 8, samples)
    assert np.array_equal(sample_of, np.argsort(level, kind="stable"))
    assert np.array_equal(bounds, np.r_[0, np.cumsum(np.bincount(level, minlength=8))])


@pytest.mark.parametrize("samples", [5, 4099, 20_003])
def test_drawing_as_it_goes_gives_the_stored_draws_acceptances(samples: int) -> None:
    """Unseated slots, an empty level, a sample count that is not a multiple of four and
    rows longer than one chunk: the same acceptances, and the stream left in the same
    place, as drawing every row first."""
    k, slots, words = 8, 9, -(-samples // 4)
    _, _, bounds = _layout(samples, k, 1)
    rng = np.random.default_rng(2)
    row_of = np.array([7, 0, 4, 2, 8])  # seated members' slots, not in slot order
    table = rng.integers(0, 65536, (row_of.size, k), dtype=np.uint16)
    stored_gen = np.random.Generator(np.random.SFC64(3))
    drawn_gen = np.random.Generator(np.random.SFC64(3))
    rows = stored_gen.bit_generator.random_raw(slots * words).view(np.uint16)
    stored = np.empty((row_of.size, samples), dtype=bool)
    counted = np.empty(samples, dtype=np.uint16)
    every = np.arange(row_of.size)
    rows2d = rows.reshape(slots, 4 * words)
    kernels.accept_column(rows2d, row_of, table, bounds, stored, every, counted)
    member_of_slot = np.full(slots, -1, dtype=np.intp)
    member_of_slot[row_of] = np.arange(row_of.size)
    drawn, drawn_count = np.empty_like(stored), np.empty_like(counted)
    state = kernels.stream_state(drawn_gen.bit_generator)
    kernels.accept_drawn(state, member_of_slot, words, table, bounds, drawn, every, drawn_count)
    kernels.put_state(drawn_gen.bit_generator, state)
    assert np.array_equal(drawn, stored)
    assert np.array_equal(counted, stored.sum(axis=0))
    assert np.array_equal(drawn_count, counted)
    # Keeping two members' rows only (members 3 and 1, in that order): the same count.
    keep = np.array([-1, 1, -1, 0, -1])
    some, some_count = np.empty((2, samples), dtype=bool), np.empty_like(counted)
    kernels.accept_column(rows2d, row_of, table, bounds, some, keep, some_count)
    assert np.array_equal(some, stored[[3, 1]]) and np.array_equal(some_count, counted)
    some[:], some_count[:] = False, 0
    again = np.random.Generator(np.random.SFC64(3)).bit_generator
    state = kernels.stream_state(again)
    kernels.accept_drawn(state, member_of_slot, words, table, bounds, some, keep, some_count)
    assert np.array_equal(some, stored[[3, 1]]) and np.array_equal(some_count, counted)
    assert stored.any() and not stored.all()
    assert stored_gen.bit_generator.random_raw() == drawn_gen.bit_generator.random_raw()
    level = np.repeat(np.arange(k), np.diff(bounds))
    u = rows.reshape(slots, 4 * words)[row_of, :samples]
    assert np.array_equal(stored, u < table[np.arange(row_of.size)[:, None], level[None, :]])


def test_pick_is_argmax_over_candidates() -> None:
    rng = np.random.default_rng(4)
    score = rng.random((5, 3000)).astype(np.float32) + 0.01
    feasible, stood = rng.random((5, 3000)) < 0.2, rng.random((5, 3000)) < 0.6
    winners, best = np.empty(3000, np.int16), np.empty(3000, np.int16)
    blocked = np.empty(3000, bool)
    kernels.pick(score, feasible, stood, winners, best, blocked)
    assert np.array_equal(winners, np.argmax(score * feasible, axis=0))
    assert np.array_equal(best, np.argmax(score * stood, axis=0))
    assert np.array_equal(blocked, ~feasible.any(axis=0))
    assert blocked.any() and not blocked.all()


def test_columns_go_back_to_sample_order() -> None:
    _, sample_of, _ = _layout(1000, 4, 5)
    x = np.random.default_rng(6).random((2, 1000)) < 0.5
    out = np.empty_like(x)
    kernels.scatter_rows(x, np.stack([sample_of, sample_of[::-1]]), out)
    assert np.array_equal(out[0][sample_of], x[0])
    assert np.array_equal(out[1][sample_of[::-1]], x[1])


def test_scores_go_to_sample_order_with_each_samples_momentum() -> None:
    """score[s] = support x scale + offset + 0.5 (1 - x), x = (latent + 0.5) / 65536, in
    float32; standing by the draw below the threshold, in both orders."""
    rng = np.random.default_rng(8)
    raw = rng.integers(0, 65536, 3001, dtype=np.uint16)
    sample_of, bounds = np.empty(3001, dtype=np.intp), np.empty(9, dtype=np.intp)
    kernels.sort_by_level(raw, 8, sample_of, bounds)
    support = rng.integers(0, 40, 3001).astype(np.uint16)
    stand_u = rng.integers(0, 65536, 3001).astype(np.uint16)
    score, stands, stood = np.empty(3001, np.float32), np.empty(3001, bool), np.empty(3001, bool)
    scale, offset = np.float32(0.25), np.float32(1.5)
    kernels.to_sample_order(
        support, scale, offset, raw, stand_u, 30000, sample_of, score, stands, stood
    )
    momentum = np.float32(0.5) - (raw + np.float32(0.5)) * np.float32(0.5 / 65536)
    want = np.empty(3001, np.float32)
    want[sample_of] = support.astype(np.float32) * scale + offset
    assert np.array_equal(score, want + momentum)
    assert np.array_equal(stands, stand_u < 30000)
    assert np.array_equal(stood[sample_of], stands)


def test_a_state_moves_a_stream_and_other_generators_are_refused() -> None:
    """``put_state`` moves a stream to a state ``stream_state`` copied (here from a stream
    seven words further on); any bit generator but SFC64 is refused with a clear message."""
    ahead = np.random.SFC64(11)
    ahead.random_raw(7)
    behind = np.random.SFC64(11)
    kernels.put_state(behind, kernels.stream_state(ahead))
    assert behind.random_raw(5).tolist() == ahead.random_raw(5).tolist()
    with pytest.raises(ValueError, match="SFC64, not PCG64"):
        kernels.stream_state(np.random.PCG64(1))
