"""A small closed-loop HTTP load generator: N threads, each with its own http.client connection.

Each thread sends GET requests one after another for `warmup + duration` seconds. Requests that
finish inside the measured window (after the warm-up, before the end) count, so requests/s is
completions in the window divided by its length, and a page slower than the window still gets
figures; a request still running at the end is dropped. Connections are kept alive when the
server allows it (gunicorn's sync workers do not, so each request opens a new connection, for
the app and the baseline alike).

`wrk` is not used: it is not installed here and a pure-Python client gives the same treatment
to both servers, which is what the ratios rely on. The client shares the CPU with the servers,
which lowers every figure a little; the ratio largely cancels that out.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from dataclasses import asdict, dataclass, field

USER_AGENT = "coproduce-bench/1"


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

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class _Worker(threading.Thread):
    def __init__(self, host, port, path, headers, start_at, measure_from, end_at, stop, expect):
        super().__init__(daemon=True)
        self.host, self.port, self.path, self.headers = host, port, path, headers
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
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while time.perf_counter() < self.start_at:
            time.sleep(0.0005)
        try:
            while not self.stop.is_set():
                began = time.perf_counter()
                if began >= self.end_at:
                    break
                try:
                    conn.request("GET", self.path, headers=self.headers)
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
                self.latencies.append(finished - began)
                self.last_bytes = len(body)
        finally:
            conn.close()


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    concurrency: int = 8,
    duration: float = 5.0,
    warmup: float = 1.0,
    headers: dict | None = None,
    expect: int = 200,
) -> LoadResult:
    """Load `path` with `concurrency` clients for `warmup` + `duration` seconds."""
    all_headers = {"User-Agent": USER_AGENT, "Accept": "text/html", **(headers or {})}
    stop = threading.Event()
    start_at = time.perf_counter() + 0.05
    measure_from = start_at + warmup
    end_at = measure_from + duration
    workers = [
        _Worker(host, port, path, all_headers, start_at, measure_from, end_at, stop, expect)
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
    latencies = sorted(x for w in workers for x in w.latencies)
    statuses: dict[int, int] = {}
    for worker in workers:
        for status, n in worker.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    ms = [x * 1000 for x in latencies]
    return LoadResult(
        path=path,
        concurrency=concurrency,
        duration_s=duration,
        requests=len(latencies),
        errors=sum(w.errors for w in workers),
        rps=len(latencies) / duration if duration else 0.0,
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        mean_ms=sum(ms) / len(ms) if ms else 0.0,
        max_ms=ms[-1] if ms else 0.0,
        bytes=max((w.last_bytes for w in workers), default=0),
        statuses=statuses,
        first_error=next((w.first_error for w in workers if w.first_error), ""),
        client_cpu=cpu / (warmup + duration) if warmup + duration else 0.0,
    )
