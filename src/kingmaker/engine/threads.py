"""The simulation's candidate columns on several cores: threads, as the compiled loops
release the GIL.

Each candidate's column draws from its own random stream and writes its own rows, so
simulating the columns in any order, on any number of threads, gives the same numbers as
one thread (tested). Threads are used only in a process that is not itself a worker of a
pool (a backtest's or a cluster's workers already fill the cores) and only for work large
enough to repay starting them; ``KINGMAKER_THREADS`` caps them (1: never).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from kingmaker.errors import UsageError
from kingmaker.parallel import cpu_count

MIN_WORK = 2_000_000  # member-samples of all columns together below which one thread runs
_NAME = "kingmaker-sim"  # the pool's threads' name prefix
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_lock = threading.Lock()


def available() -> int:
    """How many threads a simulation may use here: the cores this process may use, at
    most ``KINGMAKER_THREADS``, and 1 in a worker process of a pool."""
    raw = os.environ.get("KINGMAKER_THREADS", "").strip()
    if raw:
        if not raw.isdecimal() or int(raw) < 1:
            raise UsageError(f"KINGMAKER_THREADS must be a whole number of 1 or more, got {raw!r}")
        cap = int(raw)
    else:
        cap = 1 << 30
    if multiprocessing.parent_process() is not None:
        return 1
    return max(1, min(cap, cpu_count()))


def _executor(size: int) -> ThreadPoolExecutor:
    """The process's pool of ``size`` threads (made once, remade if the size changes)."""
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(size, thread_name_prefix=_NAME)
            _pool_size = size
        return _pool


def each(fn: Callable[[int], None], items: Sequence[int], *, work: int) -> None:
    """``fn(i)`` for every item, on up to ``available()`` threads when ``work`` (the
    member-samples to simulate) is large enough; the first error is raised."""
    size = min(available(), len(items))
    if size <= 1 or work < MIN_WORK or threading.current_thread().name.startswith(_NAME):
        for i in items:
            fn(i)
        return
    for future in [_executor(size).submit(fn, i) for i in items]:
        future.result()
