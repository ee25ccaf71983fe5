"""The audit log and policy versions through the API: staff only."""
import pytest

from competition.models import Role
from tests.builders import make_user
from tests.clients import api_headers


def _headers(client, db, role=Role.ORGANISER):
    """A committed user of the role and their bearer headers."""
    user = make_user(role)
    db.session.commit()
    return api_headers(client, user)


def test_audit_rows_filtered_by_object_and_action(client, db):
    headers = _headers(client, db, Role.ADMIN)
    season = client.post("/api/v1/seasons", headers=headers,
                         json={"year": 2028, "name": "2028年度", "budget": 10}).get_json()
    client.patch(f"/api/v1/seasons/{season['id']}", headers=headers, json={"budget": 20})
    rows = client.get(f"/api/v1/audit?object_type=Season&object_id={season['id']}", headers=headers).get_json()
    assert [r["action"] for r in rows["items"]] == ["season.update", "season.create"]  # newest first
    assert rows["items"][0]["before"] == {"year": 2028, "name": "2028年度", "budget": 10}
    assert rows["items"][0]["at"].endswith("+08:00") and rows["items"][0]["username"]
    logins = client.get("/api/v1/audit?action=login", headers=headers).get_json()
    assert logins["total"] == 1
    mine = client.get(f"/api/v1/audit?user_id={rows['items'][0]['user_id']}&per_page=1", headers=headers).get_json()
    assert len(mine["items"]) == 1 and mine["total"] == 4  # login, token.issue, season.create, season.update


def test_bad_audit_filter_is_400(client, db):
    response = client.get("/api/v1/audit?object_id=abc", headers=_headers(client, db))
    assert response.status_code == 400
    assert response.get_json()["error"]["details"][0]["field"] == "object_id"


@pytest.mark.parametrize("role", [Role.JUDGE, Role.ENTERPRISE])
def test_audit_and_policy_refused_to_others(client, db, role):
    headers = _headers(client, db, role)
    assert client.get("/api/v1/audit", headers=headers).status_code == 403
    assert client.get("/api/v1/policy-versions", headers=headers).status_code == 403


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER])
def test_policy_versions(client, db, role):
    body = client.get("/api/v1/policy-versions", headers=_headers(client, db, role)).get_json()
    assert body["total"] == 1
    first = body["items"][0]
    assert first["effective_from"] == "2012-12-05"
    assert (first["participant_threshold"], first["subsidy_amount"], first["expert_subsidy"]) == (50, 20000, 2000)
