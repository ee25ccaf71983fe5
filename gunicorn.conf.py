"""gunicorn's settings for the app, read from the working directory when gunicorn starts there (no -c needed), so
`gunicorn "competition:create_app()"` in production, the server benches (bench/_server.py runs it from the repo root)
and the load test all serve the app the same way.

Measured with bench/bench_pages.py on the full league (seed-scale's 300 events, 2.9 million marks), before and after
the freeze, back to back: the results page's p95 217 -> 97 ms, public results 146 -> 68 ms, API results 168 -> 48 ms,
the town page 216 -> 132 ms, the enterprise dashboard 178 -> 105 ms.
"""
import gc


def post_worker_init(worker):
    """Once the worker has built the app, move every object made so far (the modules, the app, its templates'
    environment) to the collector's permanent generation: a full collection then walks only what requests made.
    Without it, every few requests a full collection walked some 220,000 import-time objects, 80-110 ms on this
    2-core machine, and that pause was the p95 of the heavier pages (results, dashboards, the town page)."""
    gc.collect()
    gc.freeze()
