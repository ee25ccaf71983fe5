"""Permission-matrix rows for technical support and the annual plan (issue 21, items 4 and 5).

The world's open enterprise event gains a waiting support request of its host (ids["request_id"]). Only the host's
users ask (the empty form or body is a 400); the organisers' queue and decisions are theirs (an empty decision is a
400); a request is the organisers' and the host's. The annual plan is public, pages and API alike. The matrix sends
`{}` to API writes.
"""
from competition.services.audit import Actor
from competition.services.events.support import SupportAsk, request_support
from tests.permission_rows import LOGIN, PUBLIC, row

ROWS = {
    ("support.request", "GET"): row(LOGIN, 403, 200, 403, 403, 403),
    ("support.request", "POST"): row(LOGIN, 403, 400, 403, 403, 403),  # nothing asked for
    ("support.index", "GET"): row(LOGIN, 403, 403, 403, 200, 200),
    ("support.detail", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("support.decide", "POST"): row(LOGIN, 403, 403, 403, 400, 400),  # no decision chosen
    ("plan.current", "GET"): PUBLIC,
    ("plan.season", "GET"): PUBLIC,
    ("plan.workbook", "GET"): PUBLIC,
    ("api.create_support_request", "POST"): row(401, 403, 400, 400, 403, 403),  # the body is checked first
    ("api.list_support_requests", "GET"): row(401, 403, 403, 403, 200, 200),
    ("api.get_support_request", "GET"): row(401, 403, 200, 403, 200, 200),
    ("api.decide_support_request", "POST"): row(401, 403, 403, 403, 400, 400),
    ("api.season_plan", "GET"): PUBLIC,
}


def extend_world(users, ids, event) -> None:
    """A waiting request of the host on the world's open enterprise event."""
    support = request_support(Actor(users["enterprise"]), event, SupportAsk(["venue"], None, "需要实训场地。"))
    ids["request_id"] = support.id
