"""The simulation's inner loops, compiled with numba: one pass over a candidate's draws.

numpy would make several passes over each (members x samples) array, and move each
candidate's columns into sample order with index arrays; these loops do it in one pass
each, so a simulation costs little more than drawing its random numbers
(``benchmarks/engine.py``). Imported on first use (numba takes a moment to load);
compiled once and cached beside the module.
"""

from __future__ import annotations

import numba
import numpy as np

_SFC64 = "SFC64"


def stream_state(bit_generator: np.random.BitGenerator) -> np.ndarray:
    """The (4,) uint64 state (a, b, c, counter) of an SFC64 stream, a copy, for
    ``accept_drawn`` to draw from as numpy would (``put_state`` hands it back)."""
    state = bit_generator.state
    if state["bit_generator"] != _SFC64:
        raise ValueError(f"the simulation's streams are SFC64, not {state['bit_generator']}")
    return np.array(state["state"]["state"], dtype=np.uint64)


def put_state(bit_generator: np.random.BitGenerator, words: np.ndarray) -> None:
    """Move an SFC64 stream on to ``words`` (from ``stream_state``, advanced)."""
    state = bit_generator.state
    state["state"]["state"] = words.copy()
    bit_generator.state = state


@numba.njit(cache=True, nogil=True)
def sort_by_level(latent: np.ndarray, k: int, sample_of: np.ndarray, bounds: np.ndarray) -> None:
    """Lay out the columns of a candidate from its 16-bit common latents x (one per sample):
    sorted by level floor(k x), stably (a counting sort), so ``sample_of[j]`` is the sample
    of column j and columns ``bounds[i]:bounds[i + 1]`` sit at level i."""
    level = np.empty(latent.size, dtype=np.uint16)  # k <= 1024
    kk = np.uint32(k)
    for s in range(latent.size):  # vectorised: the levels first, counted after
        level[s] = np.uint16((np.uint32(latent[s]) * kk) >> 16)
    bounds[:] = 0
    for s in range(latent.size):
        bounds[level[s] + 1] += 1
    for i in range(k):
        bounds[i + 1] += bounds[i]
    nxt = bounds[:k].copy()
    for s in range(latent.size):
        lv = level[s]
        sample_of[nxt[lv]] = s
        nxt[lv] += 1


@numba.njit(cache=True, nogil=True, inline="always")
def momentum(latent: np.uint16) -> np.float32:
    """A sample's momentum from its common latent x: 0.5 (1 - x) with x = (latent + 0.5) /
    65536, in float32 (a lower latent: a body leaning toward the candidate)."""
    return np.float32(0.5) - (np.float32(latent) + np.float32(0.5)) * np.float32(0.5 / 65536)


@numba.njit(cache=True, nogil=True, inline="always")
def _accept_block(draws: np.ndarray, threshold: int, acc: np.ndarray, count: np.ndarray) -> None:
    """One member's acceptances of a block of columns at one level (its draws below the
    threshold) into ``acc``, each added to ``count``: two loops the compiler vectorises."""
    for j in range(draws.size):
        acc[j] = draws[j] < threshold
    for j in range(draws.size):
        count[j] += acc[j]


@numba.njit(cache=True, nogil=True, inline="always")
def _count_block(draws: np.ndarray, threshold: int, count: np.ndarray) -> None:
    """``_accept_block`` keeping only the count."""
    for j in range(draws.size):
        count[j] += draws[j] < threshold


@numba.njit(cache=True, nogil=True, inline="always")
def _block(
    draws: np.ndarray, threshold: int, acc: np.ndarray, row: int, lo: int, count: np.ndarray
) -> None:
    """A block of columns from ``lo`` on: acceptances into ``acc[row]`` where ``row`` is
    not -1, and always into ``count``."""
    hi = lo + draws.size
    if row < 0:
        _count_block(draws, threshold, count[lo:hi])
    else:
        _accept_block(draws, threshold, acc[row, lo:hi], count[lo:hi])


@numba.njit(cache=True, nogil=True)
def accept_column(
    rows: np.ndarray,
    row_of: np.ndarray,
    table: np.ndarray,
    bounds: np.ndarray,
    acc: np.ndarray,
    keep: np.ndarray,
    count: np.ndarray,
) -> None:
    """How many members accept each column into ``count`` (S,), and the acceptances of
    the members kept (``keep[m]``, their row of ``acc``, -1 for a member not kept) in
    column order into ``acc`` (K, S).

    ``rows[row_of[m]]`` are member m's 16-bit draws (column order), ``table[m, i]`` its
    threshold at level i: it accepts where its draw is below (``_accept_block``, one
    level's block of columns at a time).
    """
    count[:] = 0
    for m in range(row_of.size):
        r = rows[row_of[m]]
        for i in range(bounds.size - 1):
            lo, hi = bounds[i], bounds[i + 1]
            _block(r[lo:hi], table[m, i], acc, keep[m], lo, count)


@numba.njit(cache=True, nogil=True)
def to_sample_order(
    support: np.ndarray,
    scale: np.float32,
    offset: np.float32,
    latent: np.ndarray,
    stand_u: np.ndarray,
    stand_below: int,
    sample_of: np.ndarray,
    score: np.ndarray,
    stands: np.ndarray,
    stood: np.ndarray,
) -> None:
    """A candidate's choice score in sample order: ``score[s] = support x scale + offset
    + momentum(latent[s])`` (float32, in that order) with ``support`` per column (a count
    of members or a weighted sum); and whether it stands (its draw in ``stand_u`` below
    ``stand_below``) in column order (``stands``) and in sample order (``stood``). The
    scattered pass reads columns in order; the momentum is added after, in sample order
    (the same sums: addition runs left to right)."""
    for j in range(sample_of.size):
        st = stand_u[j] < stand_below
        stands[j] = st
        s = sample_of[j]
        score[s] = np.float32(support[j]) * scale + offset
        stood[s] = st
    for s in range(score.size):
        score[s] += momentum(latent[s])


@numba.njit(cache=True, nogil=True)
def scatter_rows(x: np.ndarray, sample_of: np.ndarray, out: np.ndarray) -> None:
    """``out[c, sample_of[c, j]] = x[c, j]``: each candidate's columns in sample order."""
    for c in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[c, sample_of[c, j]] = x[c, j]


@numba.njit(cache=True, nogil=True)
def pick(
    score: np.ndarray,
    feasible: np.ndarray,
    stood: np.ndarray,
    winners: np.ndarray,
    best: np.ndarray,
    blocked: np.ndarray,
) -> None:
    """Per sample (all (C, S), sample order): the feasible candidate with the best score
    (``winners``), the standing one with the best score (``best``; the first of equal
    maxima, 0 where none scores), and whether no candidate is feasible (``blocked``).
    One candidate at a time, so that each pass is a vectorised select."""
    n = score.shape[1]
    w_val = np.zeros(n, dtype=score.dtype)
    b_val = np.zeros(n, dtype=score.dtype)
    winners[:] = 0
    best[:] = 0
    blocked[:] = True
    for c in range(score.shape[0]):
        sc, ok, st = score[c], feasible[c], stood[c]
        for s in range(n):
            x = sc[s]
            xf = x if ok[s] else 0.0
            better = xf > w_val[s]
            winners[s] = c if better else winners[s]
            w_val[s] = xf if better else w_val[s]
            blocked[s] = blocked[s] and not ok[s]
            xs = x if st[s] else 0.0
            above = xs > b_val[s]
            best[s] = c if above else best[s]
            b_val[s] = xs if above else b_val[s]


@numba.njit(cache=True, nogil=True)
def heir(
    score: np.ndarray,
    blocked: np.ndarray,
    best: np.ndarray,
    u: np.ndarray,
    chance: np.ndarray,
    out: np.ndarray,
    took: np.ndarray,
) -> None:
    """Where a sample is ``blocked``, the blockers give way to its best-scored column
    (``best[s]``, or where ``best`` is empty the first of the equal maxima of
    ``score[:, s]``) if its draw ``u[s]`` is below that column's ``chance`` and some
    column scores above 0: ``out[s]`` is then that column and ``took[s]`` true; else
    ``out[s]`` stays as given (the field). ``score`` is (C, S), zero where a candidate
    does not stand."""
    n_c = score.shape[0]
    for s in range(blocked.size):
        if not blocked[s]:
            continue
        top = 0
        high = score[0, s]
        for c in range(1, n_c):
            if score[c, s] > high:
                high = score[c, s]
                top = c
        if best.size:
            top = best[s]
        if u[s] < chance[top] and high > 0:
            out[s] = top
            took[s] = True


@numba.njit(cache=True, nogil=True)
def press(
    best: np.ndarray,
    winners: np.ndarray,
    blocked: np.ndarray,
    backed: np.ndarray,
    u: np.ndarray,
    chance: np.ndarray,
    flip: np.ndarray,
) -> None:
    """Where a sample is not ``blocked`` and its winner is not its best-scored column
    ``best[s]``, backed publicly more (``backed``), the holdouts give way if the draw
    ``u[s]`` is below ``chance[best, winner]``: ``winners[s]`` becomes ``best[s]`` and
    ``flip[s]`` is true (else false)."""
    for s in range(best.size):
        flip[s] = False
        b, w = best[s], winners[s]
        if blocked[s] or b == w or not backed[b] - backed[w] > 0:
            continue
        if u[s] < chance[b, w]:
            winners[s] = b
            flip[s] = True


@numba.njit(cache=True, nogil=True)
def accept_drawn(
    state: np.ndarray,
    member_of_slot: np.ndarray,
    words: int,
    table: np.ndarray,
    bounds: np.ndarray,
    acc: np.ndarray,
    keep: np.ndarray,
    count: np.ndarray,
) -> None:
    """``accept_column`` drawing the members' rows as it goes, a small chunk at a time,
    from an SFC64 stream whose ``state`` (a, b, c, counter; ``stream_state``) it advances:
    the same 64-bit words in the same order as ``random_raw(slots x words)`` of that
    stream (each word four 16-bit draws, low bits first), so the same acceptances,
    without writing and reading back the draws, and without a call per word.

    ``member_of_slot[i]`` is the seated member drawing row i, -1 for a slot whose member
    is not seated (its row is drawn and dropped, to keep the others in place).
    """
    chunk = 1024
    buf = np.empty(chunk, dtype=np.uint64)
    u16 = buf.view(np.uint16)
    a, b, c, w = state[0], state[1], state[2], state[3]
    one, s11, s3, s24, s40 = np.uint64(1), np.uint64(11), np.uint64(3), np.uint64(24), np.uint64(40)
    count[:] = 0
    n_cols = count.size
    top = bounds.size - 1
    for slot in range(member_of_slot.size):
        m = member_of_slot[slot]
        level = 0
        for w0 in range(0, words, chunk):
            n = min(chunk, words - w0)
            for i in range(n):  # SFC64's step, as numpy's (Chris Doty-Humphrey's design)
                tmp = a + b + w
                w += one
                a = b ^ (b >> s11)
                b = c + (c << s3)
                c = ((c << s24) | (c >> s40)) + tmp
                buf[i] = tmp
            if m < 0:
                continue
            j, end = 4 * w0, min(4 * (w0 + n), n_cols)
            while j < end:
                while level < top - 1 and bounds[level + 1] <= j:
                    level += 1
                hi = min(bounds[level + 1], end)
                src = u16[j - 4 * w0 : hi - 4 * w0]
                _block(src, table[m, level], acc, keep[m], j, count)
                j = hi
    state[0], state[1], state[2], state[3] = a, b, c, w


def warm() -> None:
    """Compile (or load from the cache) every loop now, on tiny inputs: a server calls it
    at start-up so that no request waits for it (numba's own memory, about 45 MiB of heap
    and 110 MiB of shared library pages, is then taken once, before the first request)."""
    n, latent = np.zeros(2, dtype=np.intp), np.zeros(4, dtype=np.uint16)
    sort_by_level(latent, 1, np.empty(4, dtype=np.intp), n)
    table, bounds = np.zeros((1, 1), dtype=np.uint16), np.array([0, 4])
    acc, rows = np.empty((1, 4), dtype=bool), np.zeros((1, 4), dtype=np.uint16)
    count = np.empty(4, dtype=np.uint16)
    one_row = np.zeros(1, dtype=np.intp)
    for keep in (one_row, one_row - 1):  # every member kept, or only counted
        accept_column(rows, one_row, table, bounds, acc, keep, count)
        state = stream_state(np.random.SFC64(0))
        accept_drawn(state, one_row, 1, table, bounds, acc, keep, count)
    score = np.zeros(4, dtype=np.float32)
    one = np.float32(1)
    for support in (count, score):  # a count of members, or weighted support
        to_sample_order(support, one, one, latent, rows[0], 1, np.arange(4), score, acc[0], acc[0])
    flags = np.zeros((1, 4), dtype=bool)
    scatter_rows(flags, np.arange(4)[None, :], flags.copy())
    out = np.empty(4, dtype=np.int16)
    pick(score[None, :], flags, flags, out, out.copy(), np.empty(4, dtype=bool))
    chance = np.ones(1)
    heir(score[None, :], flags[0], out[:0], chance, chance, out, flags[0])
    heir(score[None, :], flags[0], out, chance, chance, out, flags[0])
    press(out, out, flags[0], chance, chance, chance[None, :], flags[0])
