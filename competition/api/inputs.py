"""Parsing request input into pydantic models; every problem becomes a 400 with Chinese field details."""
import json
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from ..errors import Invalid

BODY = "body"


def parse_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON object validated by `model` (strict JSON types, no unknown fields)."""
    if not request.is_json:
        raise _invalid("请求体须为 JSON，并设置请求头 Content-Type: application/json。",
                       "缺少 JSON 请求体或 Content-Type 不是 application/json。")
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise _invalid("请求体不是有效的 JSON。", "JSON 格式有误，请检查括号、引号和逗号。") from None
    if not isinstance(data, dict):
        raise _invalid("请求体应为 JSON 对象。", "请求体应为 JSON 对象（{…}），而不是数组或单个值。")
    _refuse_nul(data, ())
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise Invalid("提交的数据有误，请修改后重试。", details=field_errors(exc)) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string validated by `model` (text converted to the declared types)."""
    data = request.args.to_dict()
    _refuse_nul(data, ())
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("查询参数有误，请修改后重试。", details=field_errors(exc)) from None


def merged(body: BaseModel, current: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """For PATCH: the fields the body sets, the object's current values for the rest."""
    return {name: getattr(body, name) if name in body.model_fields_set else getattr(current, name)
            for name in fields}


def _invalid(message: str, detail: str) -> Invalid:
    """A 400 about the request body as a whole."""
    return Invalid(message, code="invalid_body", details=[{"field": BODY, "message": detail}])


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(name)


def _refuse_nul(value: Any, path: tuple) -> None:
    """NUL characters can not be stored (PostgreSQL refuses them); refuse them up front."""
    if isinstance(value, str) and "\x00" in value:
        raise Invalid("提交的数据有误，请修改后重试。",
                      details=[{"field": _field(path), "message": "不能包含空字符（\\u0000）。"}])
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, path + (key,))
            _refuse_nul(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, path + (index,))


def field_errors(exc: ValidationError) -> list[dict]:
    """Pydantic's errors as [{"field", "message"}] in Chinese."""
    return [{"field": _field(error["loc"]), "message": _message(error)}
            for error in exc.errors(include_url=False, include_input=False)]


def _field(loc: tuple) -> str:
    """A dotted field path (`modules.0.weight`); the body itself when empty."""
    return ".".join(str(part) for part in loc) or BODY


def _choices(ctx: dict) -> str:
    """Pydantic's "'a', 'b' or 'c'" as 「'a'、'b'、'c'」."""
    return str(ctx.get("expected", "")).replace(" or ", ", ").replace(", ", "、")


MESSAGES = {
    "missing": "此项为必填项。",
    "extra_forbidden": "不接受此字段，请检查字段名称。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数，不能带小数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "decimal_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "string_type": "应为字符串。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "date_type": "应为 YYYY-MM-DD 格式的日期。",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期。",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期。",
    "date_from_datetime_inexact": "应为 YYYY-MM-DD 格式的日期。",
    "datetime_type": "应为 ISO 8601 格式的日期时间（带时区）。",
    "datetime_parsing": "应为 ISO 8601 格式的日期时间（带时区）。",
    "datetime_from_date_parsing": "应为 ISO 8601 格式的日期时间（带时区）。",
    "timezone_aware": "日期时间须带时区，例如 2026-05-01T09:00:00+08:00。",
    "list_type": "应为数组。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "JSON 格式有误。",
    "json_type": "应为 JSON。",
    "none_required": "应为空（null）。",
    "too_short": "至少需要 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "string_too_short": "至少需要 {min_length} 个字符。",
    "string_too_long": "不能超过 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "应不小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "应不大于 {le}。",
    "multiple_of": "应为 {multiple_of} 的倍数。",
    "decimal_max_places": "最多 {decimal_places} 位小数。",
    "decimal_max_digits": "最多 {max_digits} 位数字。",
    "finite_number": "应为有限数字。",
}


def _message(error: dict) -> str:
    """One pydantic error in Chinese; custom validators' ValueError messages pass through."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return f"应为以下之一：{_choices(ctx)}。"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or error["msg"])
    template = MESSAGES.get(kind)
    if template is None:
        return f"取值无效（{error['msg']}）。"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template
