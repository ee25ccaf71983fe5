"""Suite-wide guards for the classes of bug behind issue 14's findings: each test walks the whole code base, so
a new module can not bring a finding back.

- No `isdigit()`-family check anywhere but rules/text.py: they accept Arabic-Indic and superscript digits,
  which made one person many and crashed `int()`.
- No LIKE pattern built from user text without escaping: a lone backslash was a 500 on PostgreSQL.
- Query strings are read only through the typed filters (pages) and models (API).
- Every page form derives from AppForm and every API input model from TypedInput: the text policy and the
  integer ceiling apply to every field without anyone having to ask for them.
- Every download goes out through the one sanitiser of file names.
"""
import ast
import importlib
import inspect
from pathlib import Path

from flask_wtf import FlaskForm

from competition.api import REGISTRY
from competition.forms.base import AppForm
from competition.typed import TypedInput

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "competition").rglob("*.py")) + sorted((ROOT / "scoring").rglob("*.py"))


def _calls(path: Path):
    """Every call in a module, with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def _where(path: Path, node) -> str:
    """file:line for a message."""
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_no_unicode_digit_checks_outside_the_text_rules():
    found = [_where(path, call) for path in SOURCES for call in _calls(path)
             if call.func.attr in ("isdigit", "isdecimal", "isnumeric") and path.name != "text.py"]
    assert not found, f"use rules.text.ascii_int / is_ascii_digits instead of str.isdigit(): {found}"


def test_like_patterns_are_constants_or_escaped():
    found = []
    for path in SOURCES:
        for call in _calls(path):
            name, receiver = call.func.attr, call.func.value
            on_column = isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) \
                and receiver.value.id[:1].isupper()
            escaped = any(k.arg in ("escape", "autoescape") for k in call.keywords)
            if name in ("like", "ilike", "notlike", "notilike") and not escaped and not (
                    call.args and isinstance(call.args[0], ast.Constant)):
                found.append(_where(path, call))
            if on_column and name in ("contains", "icontains", "startswith", "istartswith", "endswith",
                                      "iendswith") and not escaped:
                found.append(_where(path, call))
    assert not found, f"LIKE on user text must escape % _ and \\ (autoescape=True): {found}"


def test_query_strings_are_read_only_through_the_typed_parsers():
    allowed = {"competition/views/common.py", "competition/views/__init__.py", "competition/api/inputs.py"}
    found = [str(path.relative_to(ROOT)) for path in SOURCES
             if "request.args" in path.read_text(encoding="utf-8") and str(path.relative_to(ROOT)) not in allowed]
    templates = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if "request.args" in path.read_text(encoding="utf-8")]
    assert not found and not templates, (f"read the query string with page_filters / query_arg / kept_args: "
                                         f"{found + templates}")


def test_posted_fields_are_read_only_through_forms_or_typed_models():
    found = [f"{path.relative_to(ROOT)}:{n}" for path in SOURCES
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ("request.form" in line or "request.values" in line)
             and "model_validate(request.form.to_dict())" not in line]
    assert not found, f"read posted fields through an AppForm or a TypedInput model: {found}"


def test_every_page_form_applies_the_text_policy():
    forms = {cls for path in (ROOT / "competition" / "forms").glob("*.py")
             for module in [importlib.import_module(f"competition.forms.{path.stem}")]
             for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__}
    assert len(forms) > 15
    bare = sorted(cls.__name__ for cls in forms if not issubclass(cls, AppForm))
    assert not bare, f"derive these forms from AppForm: {bare}"


def test_every_api_input_model_applies_the_text_policy_and_the_integer_ceiling():
    models = {model for route in REGISTRY for model in (route.body, route.query) if model is not None}
    assert len(models) > 20
    bare = sorted(model.__name__ for model in models if not issubclass(model, TypedInput))
    assert not bare, f"derive these from ApiIn / ApiQuery: {bare}"


def test_every_download_goes_through_the_name_sanitiser():
    found = [str(path.relative_to(ROOT)) for path in SOURCES if "send_file(" in path.read_text(encoding="utf-8")
             and path.name != "common.py"]
    assert not found, f"send downloads with views.common.xlsx_download (rules.text.download_name): {found}"
