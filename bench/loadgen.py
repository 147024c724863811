"""A small closed-loop HTTP load generator: N threads, each with its own http.client connection.

Each thread sends GET requests one after another for `warmup + duration` seconds. Requests that
finish inside the measured window (after the warm-up, before the end) count, so requests/s is
completions in the window divided by its length; a request still running at the end is dropped.
Connections are kept alive when the server allows it (gunicorn's sync workers do not, so each
request opens a new connection, for the app and the baseline alike).

`compare()` measures two targets in alternating rounds (A, B, A, B, …) and pools each side's
rounds, so a burst of load from something else on the machine lands on both sides rather than
on whichever happened to be running.

`wrk` is not used: it is not installed here, and a pure-Python client treats both servers the
same way, which is what the ratios rely on. The client shares the CPU with the servers, which
lowers every figure a little; `client_cpu` says how much of a core it took.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

USER_AGENT = "coproduce-bench/1"


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    headers: dict = field(default_factory=dict)


@dataclass
class LoadResult:
    path: str
    concurrency: int
    duration_s: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    bytes: int
    statuses: dict[int, int] = field(default_factory=dict)
    first_error: str = ""
    #: CPU seconds the client (this process) used per second of the run: 1.0 is a whole core
    client_cpu: float = 0.0
    rounds: int = 1
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["latencies_ms"]
        return data


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class _Worker(threading.Thread):
    def __init__(self, target: Target, headers, start_at, measure_from, end_at, stop, expect):
        super().__init__(daemon=True)
        self.target, self.headers = target, headers
        self.start_at, self.measure_from, self.end_at = start_at, measure_from, end_at
        self.stop, self.expect = stop, expect
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self.first_error = ""
        self.last_bytes = 0

    def _error(self, message: str) -> None:
        self.errors += 1
        if not self.first_error:
            self.first_error = message

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.target.host, self.target.port, timeout=30)
        while time.perf_counter() < self.start_at:
            time.sleep(0.0005)
        try:
            while not self.stop.is_set():
                began = time.perf_counter()
                if began >= self.end_at:
                    break
                try:
                    conn.request("GET", self.target.path, headers=self.headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    if time.perf_counter() >= self.measure_from:
                        self._error(f"{type(exc).__name__}: {exc}")
                    continue
                finished = time.perf_counter()
                if finished < self.measure_from or finished > self.end_at:
                    continue
                self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
                if response.status != self.expect:
                    self._error(f"HTTP {response.status}")
                    continue
                self.latencies.append((finished - began) * 1000)
                self.last_bytes = len(body)
        finally:
            conn.close()


def _summarise(
    path,
    concurrency,
    duration,
    latencies_ms,
    errors,
    statuses,
    nbytes,
    first_error,
    client_cpu,
    rounds,
) -> LoadResult:
    ms = sorted(latencies_ms)
    return LoadResult(
        path=path,
        concurrency=concurrency,
        duration_s=duration,
        requests=len(ms),
        errors=errors,
        rps=len(ms) / duration if duration else 0.0,
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        mean_ms=sum(ms) / len(ms) if ms else 0.0,
        max_ms=ms[-1] if ms else 0.0,
        bytes=nbytes,
        statuses=statuses,
        first_error=first_error,
        client_cpu=client_cpu,
        rounds=rounds,
        latencies_ms=ms,
    )


def run_load(
    target: Target,
    *,
    concurrency: int = 8,
    duration: float = 5.0,
    warmup: float = 1.0,
    expect: int = 200,
) -> LoadResult:
    """Load `target` with `concurrency` clients for `warmup` + `duration` seconds."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", **target.headers}
    stop = threading.Event()
    start_at = time.perf_counter() + 0.02
    measure_from = start_at + warmup
    end_at = measure_from + duration
    workers = [
        _Worker(target, headers, start_at, measure_from, end_at, stop, expect)
        for _ in range(concurrency)
    ]
    cpu_before = time.process_time()
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join()
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=35)
    cpu = time.process_time() - cpu_before

    statuses: dict[int, int] = {}
    for worker in workers:
        for status, n in worker.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return _summarise(
        target.path,
        concurrency,
        duration,
        [x for w in workers for x in w.latencies],
        sum(w.errors for w in workers),
        statuses,
        max((w.last_bytes for w in workers), default=0),
        next((w.first_error for w in workers if w.first_error), ""),
        cpu / (warmup + duration) if warmup + duration else 0.0,
        1,
    )


def combine(results: list[LoadResult]) -> LoadResult:
    """Pool rounds of the same target: all latencies, total requests over total time."""
    first = results[0]
    statuses: dict[int, int] = {}
    for result in results:
        for status, n in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return _summarise(
        first.path,
        first.concurrency,
        sum(r.duration_s for r in results),
        [x for r in results for x in r.latencies_ms],
        sum(r.errors for r in results),
        statuses,
        max(r.bytes for r in results),
        next((r.first_error for r in results if r.first_error), ""),
        max(r.client_cpu for r in results),
        len(results),
    )


def compare(
    a: Target,
    b: Target,
    *,
    concurrency: int = 8,
    duration: float = 5.0,
    warmup: float = 1.0,
    rounds: int = 1,
    round_warmup: float = 0.25,
) -> tuple[LoadResult, LoadResult]:
    """Measure `a` and `b` for `duration` seconds each, in `rounds` alternating rounds.

    Each side first gets `warmup` seconds of unmeasured load; every round after that starts
    with `round_warmup` seconds unmeasured so the clients are back in a steady state."""
    rounds = max(1, rounds)
    slice_ = duration / rounds
    results: dict[str, list[LoadResult]] = {"a": [], "b": []}
    for n in range(rounds):
        for key, target in (("a", a), ("b", b)):
            results[key].append(
                run_load(
                    target,
                    concurrency=concurrency,
                    duration=slice_,
                    warmup=warmup if n == 0 else round_warmup,
                )
            )
    return combine(results["a"]), combine(results["b"])


def prime(targets: list[Target], per_target: int = 4) -> None:
    """A few concurrent requests at each target, so every worker has compiled its templates
    and opened its database connection before anything is measured."""

    def get(target: Target) -> None:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=60)
        try:
            conn.request("GET", target.path, headers={"User-Agent": USER_AGENT, **target.headers})
            conn.getresponse().read()
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=per_target * 2) as pool:
        list(pool.map(get, [t for t in targets for _ in range(per_target)]))
