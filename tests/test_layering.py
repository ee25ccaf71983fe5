"""Layering (DESIGN, the rules of the house), checked by walking imports with `ast`.

scoring/ may import only the standard library (and itself). competition/rules/ may import the
standard library and scoring, but not the web framework, the ORM, forms, or the app's models,
database extension, services, views and API. Relative imports are resolved before checking;
`importlib.import_module("x")` and `__import__("x")` with a literal name count as imports. In tests/, no module
imports a test module or conftest: what tests share lives in the builder and helper modules.
"""
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDLIB = frozenset(sys.stdlib_module_names)
RULES_FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "werkzeug", "competition.models",
                   "competition.extensions", "competition.services", "competition.views", "competition.api")


def package_of(path: Path, root: Path = ROOT) -> str:
    """The dotted package a module file belongs to (a package's __init__ belongs to itself)."""
    return ".".join(path.relative_to(root).with_suffix("").parts[:-1])


def resolve(package: str, module: str | None, level: int) -> str:
    """Absolute name of `from <level dots><module> import ...` inside `package`."""
    if not level:
        return module or ""
    parts = package.split(".")
    base = ".".join(parts[:len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def _dynamic_import(node: ast.Call) -> str | None:
    """The literal module name of importlib.import_module("x") or __import__("x"), if any."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    first = node.args[0] if node.args else None
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import; `from a import b` yields a and a.b."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(package, node.module, node.level)
            found += [(node.lineno, base)] + [(node.lineno, f"{base}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            found.append((node.lineno, _dynamic_import(node)))
    return found


def scoring_violations(source: str, package: str = "scoring") -> list[str]:
    """Imports in a scoring module that are neither standard library nor scoring itself."""
    return sorted({name for _, name in imports(source, package)
                   if name.split(".")[0] not in STDLIB and name.split(".")[0] != "scoring"})


def rules_violations(source: str, package: str = "competition.rules") -> list[str]:
    """Imports in a rules module of the web, the ORM, forms or the app's other layers."""
    def forbidden(name: str) -> bool:
        top = name.split(".")[0]
        return top.startswith("flask_") or any(name == f or name.startswith(f + ".") for f in RULES_FORBIDDEN)
    return sorted({name for _, name in imports(source, package) if forbidden(name)})


def check_tree(folder: Path, check) -> dict[str, list[str]]:
    """Violations per file of every .py file under folder."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        bad = check(path.read_text(encoding="utf-8"), package_of(path))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_scoring_imports_only_the_standard_library():
    assert list((ROOT / "scoring").rglob("*.py")), "scoring/ has no modules"
    assert check_tree(ROOT / "scoring", scoring_violations) == {}


def test_rules_import_neither_web_nor_database():
    folder = ROOT / "competition" / "rules"
    if folder.is_dir():
        assert check_tree(folder, rules_violations) == {}


def test_the_checks_catch_forbidden_imports():
    assert scoring_violations("import flask\nfrom sqlalchemy.orm import Session\n") == [
        "flask", "sqlalchemy.orm", "sqlalchemy.orm.Session"]
    assert scoring_violations("from competition import models") == ["competition", "competition.models"]
    assert scoring_violations("import importlib\nimportlib.import_module('wtforms')") == ["wtforms"]
    assert scoring_violations("from __future__ import annotations\nfrom .model import Entry\nimport decimal") == []
    rules = "from ..models import Event\nfrom competition import services\nimport flask_login\n"
    assert rules_violations(rules) == ["competition.models", "competition.models.Event",
                                       "competition.services", "flask_login"]
    assert rules_violations("from .. import views") == ["competition.views"]
    assert rules_violations("import scoring\nfrom scoring import compute_results\nfrom .identity import age_on") == []
    assert rules_violations("__import__('werkzeug.security')") == ["werkzeug.security"]


def test_relative_imports_resolve_against_the_package():
    assert package_of(ROOT / "competition" / "rules" / "events.py") == "competition.rules"
    assert package_of(ROOT / "scoring" / "__init__.py") == "scoring"
    assert resolve("competition.rules", "identity", 1) == "competition.rules.identity"
    assert resolve("competition.rules", None, 2) == "competition"
    assert resolve("competition.rules.sub", "models", 3) == "competition.models"


SERVICES_FORBIDDEN = ("flask_login", "competition.views", "competition.api", "competition.forms")


def services_violations(source: str, package: str = "competition.services") -> list[str]:
    """Imports in a service of the layers above it (pages, API, forms) or of the logged-in user."""
    return sorted({name for _, name in imports(source, package)
                   if any(name == f or name.startswith(f + ".") for f in SERVICES_FORBIDDEN)})


def test_services_import_no_layer_above_them():
    assert check_tree(ROOT / "competition" / "services", services_violations) == {}
    assert services_violations("from ..api.marks import _rows") == ["competition.api.marks",
                                                                    "competition.api.marks._rows"]
    assert services_violations("from .result_rows import result_rows\nfrom ..models import Event") == []


def helper_import_violations(source: str, package: str = "tests") -> list[str]:
    """Imports of a test module or of conftest: helpers that tests share live in the builder and helper modules
    (tests/builders.py, marking_builders.py, clients.py, …), fixtures in conftest.py, so that no test module
    depends on another one and none of them drifts into a copy of another's helpers."""
    return sorted({name for _, name in imports(source, package)
                   if re.match(r"(tests\.)?(test_[^.]+|conftest)(\.|$)", name)})


def test_no_test_module_imports_another_test_module_or_conftest():
    found = {str(path.relative_to(ROOT)): bad for path in sorted((ROOT / "tests").rglob("*.py"))
             if (bad := helper_import_violations(path.read_text(encoding="utf-8"), package_of(path)))}
    assert found == {}
    assert helper_import_violations("from tests.test_services_marks import make_world") == [
        "tests.test_services_marks", "tests.test_services_marks.make_world"]
    assert helper_import_violations("def f():\n    from .test_api_marks import bearer\n") == [
        "tests.test_api_marks", "tests.test_api_marks.bearer"]
    assert helper_import_violations("from tests.conftest import login\nimport test_views_entries") == [
        "test_views_entries", "tests.conftest", "tests.conftest.login"]
    assert helper_import_violations("from tests.builders import make_user\nfrom tests import clients") == []
