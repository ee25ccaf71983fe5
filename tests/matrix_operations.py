"""Permission-matrix rows for operations and jobs (issue 22): readiness, metrics, the roster import and season report
jobs, retrying and downloading a job.

The matrix's client calls from 127.0.0.1 with no METRICS_TOKEN, so every role reads /metrics (an internal scraper);
tests/test_operations.py refuses an outside address and a missing token. /readyz is 503 for everyone here: the
matrix's database was made by create_all, never migrated. The world's job (matrix_certificates) is the organiser's,
done: the organisers may download it and may not retry it (409); nobody else sees it."""
from tests.permission_rows import LOGIN, OK, row

ROWS = {
    ("metrics", "GET"): row(200, 200, 200, 200, 200, 200),
    ("readyz", "GET"): row(503, 503, 503, 503, 503, 503),
    ("api.import_entries_job", "POST"): row(401, 403, 400, 403, 400, 400),  # no file; `other` may not enrol here
    ("api.retry_job", "POST"): row(401, 403, 403, 403, 409, 409),
    ("api.download_job", "GET"): row(401, 403, 403, 403, 200, 200),
    ("api.season_report_job", "POST"): row(401, 403, 403, 403, OK, OK),
    ("reports.season_report_job", "POST"): row(LOGIN, 403, 403, 403, OK, OK),
    # Exports built in the background: the API's roster export for those who may export it (`other`: its own
    # employees); a job's page and its 重试 for the job's owner and the organisers (the done job: refused, flashed).
    ("api.export_entries_job", "POST"): row(401, 403, 202, 202, 202, 202),
    ("jobs.page", "GET"): row(LOGIN, 403, 403, 403, 200, 200),
    ("jobs.retry", "POST"): row(LOGIN, 403, 403, 403, OK, OK),
}
