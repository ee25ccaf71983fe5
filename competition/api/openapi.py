"""The OpenAPI 3.1 document, generated from the route registry and the pydantic models."""
import re
from typing import Any, NamedTuple

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..models import ROLE_LABELS, Role
from ..pdf import PDF_TYPE
from ..xlsx import XLSX_MIMETYPE
from .framework import REGISTRY, WRITE_METHODS, Route, api_route
from .pagination import Page, PageQuery
from .schemas import ErrorOut
from ..rules.messages import Message
from ..rules.text import is_ascii_digits

REF = "#/components/schemas/{model}"
RULE_PART = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
LENGTHS = {"minlength": "minLength", "maxlength": "maxLength"}


class ErrorDoc(NamedTuple):
    """A reusable error response of the document: its component name and description."""

    name: str
    description: str


ERRORS = {
    400: ErrorDoc("BadRequest", description="输入有误：details 列出每个字段的问题"),
    401: ErrorDoc("Unauthorized", description="缺少访问令牌，或令牌无效、过期、已撤销"),
    403: ErrorDoc("Forbidden", description="无权执行此操作"),
    404: ErrorDoc("NotFound", description="数据不存在"),
    409: ErrorDoc("Conflict", description="当前状态不允许此操作，或与已有数据重复"),
    413: ErrorDoc("TooLarge", description="上传文件过大"),
    429: ErrorDoc("TooManyRequests",
                  description="同一客户端地址的失败登录或上传过于频繁：请按 Retry-After 头所示的秒数后再试"),
}


@api_route("/openapi.json", auth=False, summary="OpenAPI 接口文档", tags=["meta"])
def openapi_document():
    """This document (no token needed)."""
    cache = current_app.extensions.setdefault("api_openapi", {})
    if "document" not in cache:
        cache["document"] = build_document()
    return cache["document"]


def build_document() -> dict[str, Any]:
    """Paths, operations and component schemas for every registered route."""
    keys, defs = models_json_schema(_models(), ref_template=REF)
    schemas = defs.get("$defs", {})
    paths: dict[str, dict] = {}
    for route in REGISTRY:
        item = paths.setdefault(openapi_path(route.path), {})
        for method in route.methods:
            item[method.lower()] = _operation(route, method, keys, schemas)
    return {
        "openapi": "3.1.0",
        "info": dict(title="吴江职业技能联赛管理系统 API", version="1.0.0",
                     description="令牌：POST /api/v1/tokens；之后在请求头中提供 Authorization: Bearer <令牌>。"
                                 "金额为整数元；日期为 YYYY-MM-DD；时间为带时区的 ISO 8601。"),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {name: _error_response(text, keys, status) for status, (name, text) in ERRORS.items()},
        },
    }


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /users/<int:user_id> → /users/{user_id}."""
    return RULE_PART.sub(lambda m: "{" + m.group("name") + "}", rule)


def _models() -> list[tuple[type[BaseModel], str]]:
    """Every model the routes use, with the mode it is used in (input or output)."""
    models = {(ErrorOut, "serialization"), (PageQuery, "validation")}
    for route in REGISTRY:
        for model in (route.body, route.query):
            if model is not None:
                models.add((model, "validation"))
        if route.response is not None:
            models.add((_result_model(route), "serialization"))
        if route.accepted is not None:
            models.add((route.accepted, "serialization"))
    return sorted(models, key=lambda pair: (pair[0].__name__, pair[1]))


def _result_model(route: Route) -> type[BaseModel]:
    """The response model, wrapped in a Page for lists."""
    return Page[route.response] if route.paginated else route.response


def _operation(route: Route, method: str, keys: dict, schemas: dict) -> dict[str, Any]:
    """One operation object."""
    operation = {
        "operationId": route.endpoint if len(route.methods) == 1 else f"{route.endpoint}_{method.lower()}",
        "summary": route.summary,
        "description": _description(route),
        "tags": list(route.tags),
        "parameters": _parameters(route, keys, schemas),
        "responses": _responses(route, method, keys),
        "security": [{"bearerAuth": []}] if route.auth else [],
    }
    if route.auth:
        operation["x-roles"] = [role.value for role in allowed_roles(route)]
    if route.body is not None and method in WRITE_METHODS:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": keys[(route.body, "validation")]}},
        }
    return operation


def allowed_roles(route: Route) -> list[Role]:
    """The roles a route declares, in the order of Role (`allow` may then refuse some users of them: an enterprise
    user without an enterprise, another enterprise's object)."""
    return [role for role in Role if route.roles is not None and role in route.roles]


def _description(route: Route) -> str:
    """The handler's docstring and who may call it."""
    if not route.auth:
        who = Message("无需令牌。")
    else:
        who = Message("权限：%(roles)s。", roles="、".join(ROLE_LABELS[r] for r in allowed_roles(route)))
    return f"{route.description}\n\n{who}".strip()


def _parameters(route: Route, keys: dict, schemas: dict) -> list[dict]:
    """Path parameters from the rule, query parameters from the query and page models."""
    params = [
        {"name": m.group("name"), "in": "path", "required": True,
         "schema": {"type": "integer"} if m.group("converter") == "int" else _string_schema(m.group("args"))}
        for m in RULE_PART.finditer(route.rule)
    ]
    for model, wanted in ((route.query, route.query is not None), (PageQuery, route.paginated)):
        if wanted:
            params += _query_parameters(schemas[_ref_name(keys[(model, "validation")])])
    return params


def _string_schema(args: str | None) -> dict:
    """A text path parameter, with the lengths its converter allows (<string(maxlength=40):number>)."""
    schema: dict[str, Any] = {"type": "string"}
    for part in (args or "").split(","):
        name, _, value = part.partition("=")
        if name.strip() in LENGTHS and is_ascii_digits(value.strip()):
            schema[LENGTHS[name.strip()]] = int(value)
    return schema


def _query_parameters(schema: dict) -> list[dict]:
    """A query model's properties as query parameters."""
    required = set(schema.get("required", ()))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop,
             **({"description": prop["description"]} if "description" in prop else {})}
            for name, prop in schema.get("properties", {}).items()]


def _responses(route: Route, method: str, keys: dict) -> dict[str, Any]:
    """The success response and the error responses this route can give."""
    if route.response is None and route.status == 204:
        success = dict(description="成功，无内容")
    elif route.response is None and route.rule.endswith(".xlsx"):  # downloads are named for what they are
        success = dict(description="成功：Excel 工作簿",
                       content={XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}})
    elif route.response is None and route.rule.endswith(".pdf"):
        success = dict(description="成功：PDF 文件",
                       content={PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}})
    elif route.response is None and route.rule.endswith("/download"):  # a job's file: a workbook or a PDF
        success = dict(description="成功：任务生成的文件（Excel 工作簿或 PDF）",
                       content={kind: {"schema": {"type": "string", "format": "binary"}} for kind in (XLSX_MIMETYPE,
                                                                                                      PDF_TYPE)})
    elif route.response is None:
        success = dict(description="成功", content={"application/json": {"schema": {"type": "object"}}})
    else:
        schema = keys[(_result_model(route), "serialization")]
        success = dict(description="成功", content={"application/json": {"schema": schema}})
    responses = {str(route.status): success}
    if route.accepted is not None:
        responses["202"] = dict(description="已受理：已开始后台任务，按 status_url 查询进度，完成后再次请求或按 result_url 下载",
                                content={"application/json": {"schema": keys[(route.accepted, "serialization")]}})
    for status in sorted(_error_statuses(route, method)):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    return responses


def _error_statuses(route: Route, method: str) -> set[int]:
    """Which errors a route can answer with."""
    statuses = set(route.errors)
    if route.body is not None or route.query is not None or route.paginated:
        statuses.add(400)
    if route.auth:
        statuses |= {401, 403}
        if method in WRITE_METHODS:
            statuses.add(409)
    if RULE_PART.search(route.rule) or _references(route.body):
        statuses.add(404)
    return statuses


def _references(body) -> bool:
    """A body naming another object by id ({"event_id": …}) can point at one that does not exist: 404."""
    return body is not None and any(name.endswith("_id") for name in body.model_fields)


def _error_response(text: str, keys: dict, status: int) -> dict:
    """A reusable error response with the error shape (a 429 also says how long to wait)."""
    response = {"description": text, "content": {"application/json": {"schema": keys[(ErrorOut, "serialization")]}}}
    if status == 429:
        response["headers"] = {"Retry-After": dict(description="再次尝试前须等待的秒数",
                                                   schema={"type": "integer", "minimum": 1})}
    return response


def _ref_name(ref: dict) -> str:
    """The component name a $ref points at."""
    return ref["$ref"].rsplit("/", 1)[-1]
