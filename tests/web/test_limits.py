"""Reads that cannot overwhelm the server: a bounded cache computing each missing answer
once, a cap on computations at once, and a per-client limit on new forecasts (issue 16,
security item 3)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from kingmaker.service import Kingmaker
from kingmaker.web import create_app
from kingmaker.web.limits import Cache, ComputeLimiter
from kingmaker.web.security import HTTPProblem

from .conftest import NATO, settings

DAYS = ["2024-03-01", "2024-03-08", "2024-03-15", "2024-03-22", "2024-03-29"]


def test_concurrent_misses_of_one_key_compute_once() -> None:
    cache = Cache(size=8, parallel=4)
    calls = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    with ThreadPoolExecutor(20) as pool:
        got = list(pool.map(lambda _: cache.get(("k",), compute), range(20)))
    assert got == [42] * 20
    assert len(calls) == 1 and cache.misses == 1 and cache.hits + cache.waits == 19


def test_a_failed_computation_lets_the_waiters_try_again() -> None:
    cache = Cache(size=8, parallel=4)
    first = threading.Event()
    calls = []

    def compute() -> int:
        calls.append(1)
        if len(calls) == 1:
            first.set()
            time.sleep(0.2)
            raise RuntimeError("first one fails")
        return 7

    with ThreadPoolExecutor(2) as pool:
        failing = pool.submit(cache.get, ("k",), compute)
        first.wait()
        waiting = pool.submit(cache.get, ("k",), compute)
        with pytest.raises(RuntimeError):
            failing.result()
        assert waiting.result() == 7
    assert len(calls) == 2


def test_the_cache_keeps_at_most_size_answers_least_recent_dropped() -> None:
    cache = Cache(size=2)
    cache.get(("a",), lambda: 1)
    cache.get(("b",), lambda: 2)
    cache.get(("a",), lambda: 0)  # a is now the most recent
    cache.get(("c",), lambda: 3)
    assert len(cache) == 2
    assert cache.get(("a",), lambda: -1) == 1 and cache.get(("b",), lambda: -2) == -2


def test_computations_at_once_are_capped_and_nesting_does_not_deadlock() -> None:
    cache = Cache(size=64, parallel=2)
    running = 0
    most = 0
    lock = threading.Lock()

    def compute(i: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        inner = cache.get(("inner", i), lambda: i)  # a computation asking for another
        with lock:
            running -= 1
        return inner

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda i: cache.get(("outer", i), lambda: compute(i)), range(8)))
    assert got == list(range(8)) and most == 2


def test_the_limiter_refills_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    limiter = ComputeLimiter(rate=0.5, burst=2, size=3)
    limiter.take("10.0.0.1")
    limiter.take("10.0.0.1")
    with pytest.raises(HTTPProblem) as refused:
        limiter.take("10.0.0.1")
    assert refused.value.status == 429 and "wait 2 s" in refused.value.message
    limiter.take("10.0.0.2")  # another address has its own bucket
    now[0] += 2.0  # one token back
    limiter.take("10.0.0.1")
    for i in range(10):
        limiter.take(f"192.0.2.{i}")
    assert len(limiter) == 3
    limiter.take("2001:db8::1")
    limiter.take("2001:db8::2")  # the same /64: the same bucket
    with pytest.raises(HTTPProblem):
        limiter.take("2001:db8::3")


def _client(km: Kingmaker, host: str = "192.0.2.10", **kw: object) -> TestClient:
    app = create_app(km, settings(**{"compute_burst": 3, "compute_rate": 0.001, **kw}))
    return TestClient(app, base_url="http://localhost", client=(host, 40000))


def test_new_forecasts_are_limited_per_client_cached_ones_never(shared_km: Kingmaker) -> None:
    client = _client(shared_km)
    url = f"/api/races/{NATO}/forecast"
    codes = [client.get(url, params={"as_of": d}).status_code for d in DAYS[:4]]
    assert codes == [200, 200, 200, 429]
    r = client.get(url, params={"as_of": DAYS[4]})
    body = r.json()["error"]
    assert r.status_code == 429 and body["kind"] == "throttled"
    assert "\n" not in body["message"] and "too many new forecasts" in body["message"]
    for d in DAYS[:3]:  # already computed: served from the cache, however often
        assert client.get(url, params={"as_of": d}).status_code == 200
    other = TestClient(client.app, base_url="http://localhost", client=("192.0.2.11", 1))
    assert other.get(url, params={"as_of": DAYS[3]}).status_code == 200
    assert client.get(url, params={"as_of": DAYS[3]}).status_code == 200  # now cached


def test_one_request_pays_once_however_much_it_computes(shared_km: Kingmaker) -> None:
    # the forecast API computes the explained forecast and its JSON: two misses, one token
    client = _client(shared_km, compute_burst=1)
    r = client.get(f"/api/races/{NATO}/forecast", params={"as_of": DAYS[0]})
    assert r.status_code == 200
    assert client.get("/api/health").json()["cache"]["misses"] >= 2


def test_identical_requests_at_once_compute_once(shared_km: Kingmaker) -> None:
    client = _client(shared_km, compute_burst=100)
    url = f"/api/races/{NATO}/forecast?as_of=2024-02-02"
    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(lambda _: client.get(url).status_code, range(12)))
    assert codes == [200] * 12
    cache = client.app.state.views.cache  # type: ignore[attr-defined]
    assert cache.misses == 2  # the forecast and its JSON, once each


def test_default_days_are_never_refused(shared_km: Kingmaker) -> None:
    # a write makes every client's first look at a race recompute it: that is not abuse,
    # and the default days of the races are few, so only requests naming a day pay
    client = _client(shared_km, compute_burst=1)
    url = f"/api/races/{NATO}/forecast"
    assert client.get(url, params={"as_of": DAYS[1]}).status_code == 200
    misses = client.get("/api/health").json()["cache"]["misses"]
    assert client.get(url, params={"as_of": DAYS[2]}).status_code == 429
    assert client.get("/api/health").json()["cache"]["misses"] == misses  # nothing computed
    assert client.get(f"/api/races/{NATO}/timeline").status_code == 200
    assert client.get(url).status_code == 200
    assert client.get("/api/health").json()["cache"]["misses"] > misses
