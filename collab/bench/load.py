"""The load driver: one page at fixed concurrency for a fixed time, from its own process.

``python -m collab.bench.load '<json spec>'`` (or ``-``: the spec on standard input) prints one
JSON object. The spec: ``host``,
``port``, ``cookie`` (the ``Cookie`` header of a signed-in session), ``method``, ``paths`` (GET:
requested round-robin; POST: each used once, in order, the run ending early when they run
out), ``form`` (POST body fields, ``csrf_token`` included), ``htmx`` (send ``HX-Request``),
``concurrency``, ``seconds`` and ``warmup`` (seconds of requests before measuring, not counted).

Each worker thread opens a new connection per request (gunicorn's sync workers close it after
each response). Latency is from sending the request to having read the whole body. The result:
``requests``, ``rps`` (counted requests / measured seconds), ``p50_ms``, ``p95_ms``,
``queries`` (median of the ``X-SQL-Statements`` header), ``queries_max``, ``statuses``
(count per HTTP status) and ``bytes`` (mean body size).
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlencode

HEADER = "X-SQL-Statements"
"""Response header carrying the request's SQL statement count (set by collab.bench.probe)."""
USER_AGENT = "sinergi-bench"
"""The driver's ``User-Agent``: the same at sign-in, since sessions are bound to it."""


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (0–100) of ``values`` by the nearest-rank method; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def request(host: str, port: int, method: str, path: str, headers: dict, body: bytes | None):
    """One request on a new connection: ``(status, headers, body bytes, seconds)``."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.headers, data, time.perf_counter() - start
    finally:
        conn.close()


def drive(spec: dict) -> dict:
    """Run the spec (see the module docstring) and return the result object."""
    host, port = spec["host"], int(spec["port"])
    method = spec.get("method", "GET")
    paths = list(spec["paths"])
    headers = {"Cookie": spec.get("cookie", ""), "Accept-Language": "id", "User-Agent": USER_AGENT}
    if spec.get("htmx"):
        headers["HX-Request"] = "true"
    body = None
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(spec.get("form") or {}).encode()
    warmup, seconds = float(spec.get("warmup", 1)), float(spec["seconds"])
    lock = threading.Lock()
    state = {"next": 0}
    samples: list[tuple[float, float, int, int | None, int]] = []  # done, secs, status, q, size
    start = time.perf_counter()
    measure_from, stop_at = start + warmup, start + warmup + seconds

    def next_path() -> str | None:
        with lock:
            i = state["next"]
            state["next"] += 1
        if method == "POST":
            return paths[i] if i < len(paths) else None
        return paths[i % len(paths)]

    def worker():
        while time.perf_counter() < stop_at:
            path = next_path()
            if path is None:
                return
            status, hdrs, data, secs = request(host, port, method, path, headers, body)
            done = time.perf_counter()
            q = hdrs.get(HEADER)
            with lock:
                samples.append((done, secs, status, int(q) if q else None, len(data)))

    threads = [threading.Thread(target=worker) for _ in range(int(spec.get("concurrency", 8)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counted = [s for s in samples if s[0] >= measure_from]
    if not counted:  # a POST run that ran out of paths during the warm-up
        counted = samples
    first = measure_from if counted is not samples else start
    elapsed = max(1e-9, min(stop_at, max(s[0] for s in counted)) - first) if counted else 1.0
    lat = [s[1] * 1000 for s in counted]
    queries = [s[3] for s in counted if s[3] is not None]
    statuses: dict[str, int] = {}
    for s in counted:
        statuses[str(s[2])] = statuses.get(str(s[2]), 0) + 1
    return {
        "requests": len(counted),
        "rps": round(len(counted) / elapsed, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "queries": int(statistics.median(queries)) if queries else None,
        "queries_max": max(queries) if queries else None,
        "statuses": statuses,
        "bytes": int(statistics.mean(s[4] for s in counted)) if counted else 0,
    }


if __name__ == "__main__":
    raw = sys.stdin.read() if sys.argv[1] == "-" else sys.argv[1]
    print(json.dumps(drive(json.loads(raw))))
