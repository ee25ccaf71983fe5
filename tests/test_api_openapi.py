"""The generated OpenAPI document: public, complete, and every $ref resolves."""
import openapi_spec_validator
import pytest

from competition.api import REGISTRY
from competition.api.openapi import openapi_path


@pytest.fixture
def document(client):
    """The served document."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _refs(node):
    """Every $ref string in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document, ref):
    """The node a local $ref points at, or None."""
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def test_document_basics(document):
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert "ErrorOut" in document["components"]["schemas"]


def test_every_registered_route_is_documented(document):
    assert len(REGISTRY) >= 17
    for route in REGISTRY:
        item = document["paths"][openapi_path(route.path)]
        for method in route.methods:
            operation = item[method.lower()]
            assert operation["operationId"] and operation["summary"] and operation["responses"]
            assert operation["security"] == ([{"bearerAuth": []}] if route.auth else [])


def test_contract_paths_are_present(document):
    expected = {
        "/api/v1/tokens": {"post"}, "/api/v1/tokens/current": {"delete"}, "/api/v1/me": {"get"},
        "/api/v1/me/password": {"post"}, "/api/v1/users": {"get", "post"},
        "/api/v1/users/{user_id}": {"get", "patch"}, "/api/v1/users/{user_id}/disable": {"post"},
        "/api/v1/users/{user_id}/enable": {"post"}, "/api/v1/users/{user_id}/reset-password": {"post"},
        "/api/v1/enterprises": {"get", "post"}, "/api/v1/enterprises/{enterprise_id}": {"get", "patch"},
        "/api/v1/seasons": {"get", "post"}, "/api/v1/seasons/{season_id}": {"get", "patch"},
        "/api/v1/audit": {"get"}, "/api/v1/policy-versions": {"get"}, "/api/v1/openapi.json": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(document["paths"][path]), path


def test_every_ref_resolves(document):
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        assert _resolve(document, ref) is not None, ref
    assert not any("$defs" in ref for ref in refs)


def test_operations_describe_bodies_parameters_and_errors(document):
    create = document["paths"]["/api/v1/seasons"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SeasonIn"}
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("SeasonDetailOut")
    assert {"400", "401", "403", "409"} <= set(create["responses"])
    assert create["x-roles"] == ["admin", "organiser"]
    listing = document["paths"]["/api/v1/users"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"q", "role", "page", "per_page"}
    page = _resolve(document, listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])
    assert set(page["properties"]) == {"items", "page", "per_page", "total"}
    detail = document["paths"]["/api/v1/users/{user_id}"]["get"]
    assert detail["parameters"][0] == {"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    assert "404" in detail["responses"]
    assert document["paths"]["/api/v1/tokens/current"]["delete"]["responses"]["204"] == {"description": "成功，无内容"}


def test_schemas_follow_the_conventions(document):
    schemas = document["components"]["schemas"]
    user = schemas["UserOut"]["properties"]
    assert "password_hash" not in user and "role_label" in user
    token = schemas["TokenOut"]["properties"]["expires_at"]
    assert token["format"] == "date-time"
    assert schemas["SeasonIn"]["properties"]["budget"]["type"] == "integer"
    assert schemas["SeasonIn"]["additionalProperties"] is False
    assert schemas["PolicyVersionOut"]["properties"]["effective_from"]["format"] == "date"


def test_document_is_valid_openapi(document):
    openapi_spec_validator.validate(document)
