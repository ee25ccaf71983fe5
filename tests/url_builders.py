"""Memoised URL builders for the test harness (issue 17, item 6: a faster suite).

The suite creates an app per test. Two thirds of create_app() is werkzeug compiling, for each of the app's ~170
URL rules, two builder functions from a generated AST (`Rule._compile_builder`): the same functions every time,
since they depend only on the rule's shape. The harness keeps each compiled builder by that shape, which makes
create_app() about five times faster (0.18 s → 0.04 s) and nothing else different; test_url_builders.py builds
every URL of the app both ways and compares. The app itself is untouched: production creates one app per process.
"""
from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_built: dict[tuple, object] = {}


def _shape(rule: Rule, append_unknown: bool) -> tuple:
    """Everything a builder is generated from: the rule's text and parts, its defaults and converters."""
    return (rule.rule, tuple(rule._trace), append_unknown,
            tuple(sorted((key, repr(value)) for key, value in (rule.defaults or {}).items())),
            tuple(sorted((key, type(converter).__qualname__) for key, converter in rule._converters.items())))


def _memoised(self: Rule, append_unknown: bool = True):
    """werkzeug's builder for a rule of this shape, compiled once per test process."""
    key = _shape(self, append_unknown)
    if key not in _built:
        _built[key] = _compile_builder(self, append_unknown)
    return _built[key]


def install() -> None:
    """Use the memoised builders from now on in this process."""
    Rule._compile_builder = _memoised  # type: ignore[method-assign]


def uninstall() -> None:
    """werkzeug's own compiler again (for the test that compares the two)."""
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
