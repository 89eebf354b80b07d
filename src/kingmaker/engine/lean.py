"""The body's revealed lean: public backing read as a sample of how the whole body leans.

Members who say whom they back are a sample of the body; the silent majority is more
likely to lean the same way than not. With backing counts ``n`` (each option's public
backing plus one, as in the endorsement share), the body's shares of preference are
uncertain, distributed Dirichlet(``n``) (the posterior of a uniform prior after those
observations: a Polya urn). Each sample of a voting body draws one such set of shares
and multiplies every member's vote propensity by ``(shares x options) ** lean_power``,
so that in a large body whose members mostly keep quiet the best-backed candidate draws
the silent votes as often as the public backing warrants, with the uncertainty a few
backers leave. ``lean_power`` 0 turns the lean off; 1 is the urn itself.

The Dirichlet draw is made of Gamma(``n``) quantiles of fixed uniforms (one stream per
option), so more backing for a candidate raises its share in every sample and lowers the
others': the lean keeps the forecast monotone in support under common random numbers.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy.special import gammaincinv

from kingmaker.engine.params import Params


def lean_counts(endorse: np.ndarray | None) -> np.ndarray | None:
    """(C,) each option's public backing plus one, from the endorsement share (the field,
    the last column, always has exactly one); withdrawn options get the prior's one."""
    if endorse is None or endorse.size == 0 or endorse[-1] <= 0:
        return None
    counts: np.ndarray = endorse / endorse[-1]
    return np.where(counts > 0, counts, 1.0)


def sample_lean(counts: np.ndarray, samples: int, seed: int, params: Params) -> np.ndarray | None:
    """(C, S) float32 multipliers of vote propensity, one draw of the body's lean per
    sample; None when ``lean_power`` is 0."""
    if params.lean_power <= 0:
        return None
    seq = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(b"lean"),))
    u = np.random.Generator(np.random.SFC64(seq)).random((counts.size, samples))
    draw = np.empty_like(u)
    for ci, n in enumerate(counts):
        # Gamma(1) is the exponential: most options have no backers, and this is exact.
        draw[ci] = -np.log1p(-u[ci]) if n == 1.0 else gammaincinv(n, u[ci])
    shares = draw / np.maximum(draw.sum(axis=0, keepdims=True), 1e-300)
    out: np.ndarray = (np.maximum(shares * counts.size, 1e-12) ** params.lean_power).astype(
        np.float32
    )
    return out
