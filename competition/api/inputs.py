"""Parsing request input into pydantic models; every problem becomes a 400 with field details (Messages, which
the error handler renders in the reader's language: Chinese for API callers)."""
import json
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from ..errors import Invalid
from ..rules.messages import Message

BODY = "body"
INVALID_BODY = Message("提交的数据有误，请修改后重试。")
INVALID_QUERY = Message("查询参数有误，请修改后重试。")


def parse_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON object validated by `model` (strict JSON types, no unknown fields)."""
    if not request.is_json:
        raise _invalid(Message("请求体须为 JSON，并设置请求头 Content-Type: application/json。"),
                       Message("缺少 JSON 请求体或 Content-Type 不是 application/json。"))
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise _invalid(Message("请求体不是有效的 JSON。"), Message("JSON 格式有误，请检查括号、引号和逗号。")) from None
    if not isinstance(data, dict):
        raise _invalid(Message("请求体应为 JSON 对象。"), Message("请求体应为 JSON 对象（{…}），而不是数组或单个值。"))
    _refuse_nul(data, ())
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise Invalid(INVALID_BODY, details=field_errors(exc)) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string validated by `model` (text converted to the declared types)."""
    data = request.args.to_dict()
    _refuse_nul(data, ())
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(INVALID_QUERY, details=field_errors(exc)) from None


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
        raise Invalid(INVALID_BODY, details=[{"field": _field(path), "message": Message("不能包含空字符（\\u0000）。")}])
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
    "missing": Message("此项为必填项。"),
    "extra_forbidden": Message("不接受此字段，请检查字段名称。"),
    "int_type": Message("应为整数。"),
    "int_parsing": Message("应为整数。"),
    "int_from_float": Message("应为整数，不能带小数。"),
    "float_type": Message("应为数字。"),
    "float_parsing": Message("应为数字。"),
    "decimal_type": Message("应为数字。"),
    "decimal_parsing": Message("应为数字。"),
    "string_type": Message("应为字符串。"),
    "bool_type": Message("应为 true 或 false。"),
    "bool_parsing": Message("应为 true 或 false。"),
    "date_type": Message("应为 YYYY-MM-DD 格式的日期。"),
    "date_parsing": Message("应为 YYYY-MM-DD 格式的日期。"),
    "date_from_datetime_parsing": Message("应为 YYYY-MM-DD 格式的日期。"),
    "date_from_datetime_inexact": Message("应为 YYYY-MM-DD 格式的日期。"),
    "datetime_type": Message("应为 ISO 8601 格式的日期时间（带时区）。"),
    "datetime_parsing": Message("应为 ISO 8601 格式的日期时间（带时区）。"),
    "datetime_from_date_parsing": Message("应为 ISO 8601 格式的日期时间（带时区）。"),
    "timezone_aware": Message("日期时间须带时区，例如 2026-05-01T09:00:00+08:00。"),
    "list_type": Message("应为数组。"),
    "dict_type": Message("应为对象。"),
    "model_type": Message("应为对象。"),
    "model_attributes_type": Message("应为对象。"),
    "json_invalid": Message("JSON 格式有误。"),
    "json_type": Message("应为 JSON。"),
    "none_required": Message("应为空（null）。"),
    "too_short": Message("至少需要 %(min_length)s 项。"),
    "too_long": Message("最多 %(max_length)s 项。"),
    "string_too_short": Message("至少需要 %(min_length)s 个字符。"),
    "string_too_long": Message("不能超过 %(max_length)s 个字符。"),
    "string_pattern_mismatch": Message("格式不正确。"),
    "greater_than": Message("应大于 %(gt)s。"),
    "greater_than_equal": Message("应不小于 %(ge)s。"),
    "less_than": Message("应小于 %(lt)s。"),
    "less_than_equal": Message("应不大于 %(le)s。"),
    "multiple_of": Message("应为 %(multiple_of)s 的倍数。"),
    "decimal_max_places": Message("最多 %(decimal_places)s 位小数。"),
    "decimal_max_digits": Message("最多 %(max_digits)s 位数字。"),
    "finite_number": Message("应为有限数字。"),
}


def _message(error: dict) -> str:
    """One pydantic error as a Message; custom validators' ValueError messages pass through (a Message kept)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return Message("应为以下之一：%(choices)s。", choices=_choices(ctx))
    if kind in ("value_error", "assertion_error"):
        raised = ctx.get("error")
        reason = raised.args[0] if isinstance(raised, Exception) and raised.args else None
        return reason if isinstance(reason, Message) else str(raised or error["msg"])
    template = MESSAGES.get(kind)
    if template is None:
        return Message("取值无效（%(reason)s）。", reason=error["msg"])
    try:
        return Message(template.template, **ctx)
    except (KeyError, TypeError):
        return template
