"""Permission-matrix rows for the subsidy pages and API and the policy versions (issue 5).

Pages: the host's claim button on the world's open event is refused with the reasons (302 back to the
event); a decision POST without its form fields is 400. The world gains a final enterprise event of the `enterprise` user's company with a submitted claim
(ids["claim_id"]), and ids["version_id"] is the founding policy version. An enterprise user of another
company (`other`) never sees the claim: 403. The matrix sends `{}` to API writes: 400 where a body
field is required; approving is allowed for staff (the organiser approves, the admin then gets 409).
"""
from competition.extensions import db
from competition.models import PolicyVersion
from tests.permission_rows import (ADMIN_ONLY_PAGE, ADMIN_ONLY_POST, API_ADMIN_WRITE, LOGIN, OK, STAFF_ONLY_POST,
                                   row)

CLAIM_READ = row(401, 403, 200, 403, 200, 200)
STAFF_BAD_BODY = row(401, 403, 403, 403, 400, 400)

ROWS = {
    ("api.event_subsidy", "GET"): row(401, 403, 200, 403, 200, 200),
    ("api.create_claim", "POST"): row(401, 403, 400, 400, 403, 403),
    ("api.list_claims", "GET"): row(401, 403, 200, 200, 200, 200),
    ("api.get_claim", "GET"): CLAIM_READ,
    ("api.claim_form", "GET"): CLAIM_READ,
    ("api.approve_claim", "POST"): row(401, 403, 403, 403, OK, OK),
    ("api.reject_claim", "POST"): STAFF_BAD_BODY,
    ("api.pay_claim", "POST"): STAFF_BAD_BODY,
    ("api.create_policy", "POST"): API_ADMIN_WRITE,
    ("api.update_policy", "PUT"): API_ADMIN_WRITE,
    ("subsidy.claims", "GET"): row(LOGIN, 403, 200, 200, 200, 200),
    ("subsidy.claim", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("subsidy.claim_form", "GET"): row(LOGIN, 403, 200, 403, 200, 200),
    ("subsidy.approve", "POST"): STAFF_ONLY_POST,
    ("subsidy.reject", "POST"): row(LOGIN, 403, 403, 403, 400, 400),  # no reason given
    ("subsidy.pay", "POST"): row(LOGIN, 403, 403, 403, 400, 400),  # no date or voucher given
    ("subsidy.claim_event", "POST"): row(LOGIN, 403, 302, 403, 403, 403),  # the open event is refused with reasons
    ("policy.new", "GET"): ADMIN_ONLY_PAGE,
    ("policy.new", "POST"): ADMIN_ONLY_POST,
    ("policy.edit", "GET"): row(LOGIN, 403, 403, 403, 403, 302),  # the founding version is in force: sent back
    ("policy.edit", "POST"): ADMIN_ONLY_POST,
}


def extend_world(users, ids, event) -> None:
    """A final event of the host with a submitted claim; the founding policy version."""
    from tests.subsidy_builders import make_claim, make_claimable

    final = make_claimable(host=db.session.get(type(event.host), event.host_enterprise_id), season=event.season,
                           name="补贴测试赛项")
    ids["claim_id"] = make_claim(final).id
    ids["version_id"] = db.session.scalar(db.select(PolicyVersion.id).order_by(PolicyVersion.effective_from))

