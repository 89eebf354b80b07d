"""Work spread over the cores of one machine or over a Dask cluster, with one process's results.

``Workers`` runs a module-level function over contiguous chunks of a list and returns the
results in the list's order, so whatever runs through it gives what a loop in one
process gives (every task here is a pure function of its input and its seed):

- ``Workers()`` (``jobs=1``, no scheduler): a plain loop in this process;
- ``Workers(jobs=4)``: a pool of 4 processes on this machine (started with ``spawn``);
- ``Workers(scheduler="tcp://host:8786")``: the workers of a running Dask cluster;
- ``Workers(scheduler="local", jobs=4)``: a Dask ``LocalCluster`` of 4 worker processes.

A task is called as ``fn(shared, chunk)`` and returns one result per item of the chunk.
``shared`` is what every chunk needs (races, settings): ``share`` sends it to a cluster's
workers once, and ``cached`` keeps what a worker builds from it (an extractor, a matcher)
for the chunks that follow. Dask is optional (``pip install 'kingmaker[cluster]'``).
"""

from __future__ import annotations

import importlib
import itertools
import multiprocessing
import os
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

from kingmaker.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")
Task = Callable[[Any, Sequence[Any]], list[Any]]

LOCAL = "local"  # the scheduler name of a LocalCluster started for the run
_CACHE_SIZE = 8
_cache: OrderedDict[tuple[str, int], Any] = OrderedDict()
_cache_lock = threading.Lock()


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_jobs(jobs: int) -> int:
    """``jobs`` checked (at least 1; 0 means every core)."""
    if jobs < 0:
        raise UsageError(f"jobs must be 1 or more (0: every core), got {jobs}", param="jobs")
    return jobs or cpu_count()


class Shared:
    """What every chunk of a task needs, sent once; a worker caches under ``key`` what it
    builds from it."""

    def __init__(self, value: Any, handle: Any = None) -> None:
        self.key = uuid.uuid4().hex
        self.value = value
        self.handle = value if handle is None else handle


def cached(key: str, build: Callable[[], T]) -> T:
    """What ``build`` makes, made once per worker thread for ``key`` (the last few kept)."""
    slot = (key, threading.get_ident())
    with _cache_lock:
        if slot in _cache:
            _cache.move_to_end(slot)
            return _cache[slot]  # type: ignore[no-any-return]
    value = build()
    with _cache_lock:
        _cache[slot] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def chunked(items: Sequence[T], parts: int) -> list[list[T]]:
    """``items`` in ``parts`` contiguous chunks of near-equal size (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for n in range(parts):
        end = start + size + (n < extra)
        out.append(list(items[start:end]))
        start = end
    return [c for c in out if c]


def _run(fn: Task, shared: Any, chunk: Sequence[Any]) -> list[Any]:
    out = fn(shared, chunk)
    if len(out) != len(chunk):
        raise RuntimeError(f"{fn.__name__} gave {len(out)} results for {len(chunk)} items")
    return out


class Workers:
    """Processes on this machine, or a Dask cluster's workers; see the module docstring.

    Args:
        jobs: Processes on this machine (0: every core); with ``scheduler="local"``, the
            LocalCluster's workers.
        scheduler: None (this machine), ``"local"`` (a LocalCluster for the run) or the
            address of a running Dask scheduler (``tcp://host:8786``).
        processes: Whether a LocalCluster's workers are processes (threads if not: a
            quick cluster for tests, no faster than one process).

    Raises:
        UsageError: a bad ``jobs``, Dask not installed, or a scheduler that cannot be reached.
    """

    def __init__(
        self, jobs: int = 1, scheduler: str | None = None, *, processes: bool = True
    ) -> None:
        self.jobs = check_jobs(jobs)
        self.scheduler = scheduler
        self._pool: Executor | None = None
        self._client: Any = None
        self._cluster: Any = None
        if scheduler is not None:
            self._client, self._cluster = _connect(scheduler, self.jobs, processes)
        elif self.jobs > 1:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx)

    @property
    def size(self) -> int:
        """How many tasks run at once."""
        if self._client is not None:
            threads: int = sum(self._client.nthreads().values())
            return max(1, threads)
        return self.jobs if self._pool is not None else 1

    @property
    def serial(self) -> bool:
        """Whether everything runs in this process, one task at a time."""
        return self._client is None and self._pool is None

    def share(self, value: Any) -> Shared:
        """``value`` for every chunk of the tasks that follow (sent to a cluster once)."""
        if self._client is not None:
            return Shared(value, self._client.scatter(value, broadcast=True, hash=False))
        return Shared(value)

    def map(
        self, fn: Task, items: Sequence[Any], shared: Any = None, *, chunks: int | None = None
    ) -> list[Any]:
        """``fn(shared, chunk)`` over contiguous chunks of ``items`` (``size * 2`` by
        default), concatenated in order: one result per item."""
        return self.start(fn, items, shared, chunks=chunks)()

    def start(
        self, fn: Task, items: Sequence[Any], shared: Any = None, *, chunks: int | None = None
    ) -> Callable[[], list[Any]]:
        """``map`` started: the chunks are submitted now, and calling what this returns
        waits for their results (in this process, serial work is done then)."""
        if not items:
            return list
        if self.serial:
            return lambda: _run(fn, _value(shared), items)
        futures = [self._submit(fn, shared, p) for p in chunked(items, chunks or self.size * 2)]
        return lambda: list(itertools.chain.from_iterable(self._result(f) for f in futures))

    def imap(
        self, fn: Task, parts: Iterable[Sequence[Any]], shared: Any = None, *, ahead: int = 0
    ) -> Iterator[list[Any]]:
        """``fn(shared, part)`` for each part, yielded in order as they finish, with at most
        ``ahead`` parts (default: twice the workers) submitted and not yet yielded."""
        window = ahead or self.size * 2
        if self.serial:
            for part in parts:
                yield _run(fn, _value(shared), part)
            return
        pending: deque[Any] = deque()
        try:
            for part in parts:
                pending.append(self._submit(fn, shared, part))
                if len(pending) >= window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def _submit(self, fn: Task, shared: Any, part: Sequence[Any]) -> Any:
        key = _key(shared)
        if self._client is not None:
            handle = shared.handle if isinstance(shared, Shared) else shared
            return self._client.submit(_run_shared, fn, handle, key, part, pure=False)
        assert self._pool is not None
        value = shared.value if isinstance(shared, Shared) else shared
        return self._pool.submit(_run_shared, fn, value, key, part)

    @staticmethod
    def _result(future: Any) -> list[Any]:
        out: list[Any] = future.result()
        return out

    def close(self) -> None:
        """Stop the pool, or leave the cluster (and stop a LocalCluster started for it)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class _Keyed:
    """A shared value with its cache key, as a worker receives it."""

    def __init__(self, key: str, value: Any) -> None:
        self.key = key
        self.value = value


def _value(shared: Any) -> Any:
    return _Keyed(shared.key, shared.value) if isinstance(shared, Shared) else shared


def _key(shared: Any) -> str | None:
    return shared.key if isinstance(shared, Shared) else None


def _run_shared(fn: Task, value: Any, key: str | None, part: Sequence[Any]) -> list[Any]:
    return _run(fn, value if key is None else _Keyed(key, value), part)


def _connect(scheduler: str, jobs: int, processes: bool) -> tuple[Any, Any]:
    """A Dask client of ``scheduler`` (and the LocalCluster started for ``"local"``)."""
    try:
        dask: Any = importlib.import_module("distributed")
    except ImportError:
        raise UsageError(
            "Dask is not installed: pip install 'kingmaker[cluster]' (or run without a scheduler)",
            param="scheduler",
        ) from None
    if scheduler == LOCAL:
        cluster = dask.LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
        )
        return dask.Client(cluster), cluster
    if "://" not in scheduler:
        raise UsageError(
            f"scheduler must be 'local' or an address such as tcp://host:8786, got '{scheduler}'",
            param="scheduler",
        )
    try:
        return dask.Client(scheduler, timeout=10), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"scheduler {scheduler} cannot be reached ({exc}); start one with "
            "`dask scheduler`, or leave it out",
            param="scheduler",
        ) from None
