"""The marking-scheme editor: indexed form rows ⇄ ModuleSpec/CriterionSpec, problems under their rows, sums."""
import re
from decimal import Decimal

from ..forms.events import EventForm
from ..rules.events import CriterionSpec, ModuleSpec, check_scheme, parse_max
from ..rules.messages import Message
from ..rules.text import ascii_int, identifier_text

# A scheme problem's field as the rules name it: modules[0].weight, modules[1].criteria[2].max_score …
PROBLEM_PATH = re.compile(r"^modules\[(\d+)\](?:\.criteria\[(\d+)\])?\.(\w+)$")
BLANK_CRITERION = {"name": "", "max_score": "", "kind": "judgement"}
# A new event's scheme before any typing; its names are Messages, so the form shows them in the reader's language.
STARTER = (
    {"name": Message("理论知识"), "kind": "theory", "weight": "30",
     "criteria": [{"name": Message("理论考试"), "max_score": "100", "kind": "measurement"}]},
    {"name": Message("操作技能"), "kind": "practical", "weight": "70", "criteria": [dict(BLANK_CRITERION)]},
)


def _whole(text) -> int | None:
    """A typed weight as a whole number, or None when it is not one (the rules then name the module)."""
    return ascii_int(identifier_text(str(text or "")).rstrip("%").strip(), low=0)


def specs_from_form(form: EventForm) -> tuple[ModuleSpec, ...]:
    """The typed scheme rows as specs, in their order on the page."""
    return tuple(
        ModuleSpec(m.form.name.data or "", m.form.kind.data or "", _whole(m.form.weight.data),
                   tuple(CriterionSpec(c.form.name.data or "", (c.form.max_score.data or "").strip(),
                                       c.form.kind.data or "") for c in m.form.criteria))
        for m in form.modules)


def rows_from_specs(specs) -> list[dict]:
    """Form data for the scheme rows from specs (a stored or copied scheme)."""
    return [{"name": m.name, "kind": m.kind, "weight": "" if m.weight is None else str(m.weight),
             "criteria": [{"name": c.name, "max_score": _plain_max(c.max_score), "kind": c.kind}
                          for c in m.criteria]}
            for m in specs]


def _plain_max(value) -> str:
    """A maximum as typed (60, 12.5) rather than as stored (60.00, 12.50)."""
    number = parse_max(value)
    return str(value or "") if number is None else f"{number.normalize():f}"


def attach_problems(form: EventForm, problems: list[dict]) -> tuple[list[str], dict[int, list[str]], list[str]]:
    """Put problems under their fields; return (whole-scheme messages, per-module messages, leftovers)."""
    scheme, per_module, leftover = [], {}, []
    for problem in problems:
        path, message = problem.get("field") or "", problem.get("message", "")
        match = PROBLEM_PATH.match(path)
        if path == "modules":
            scheme.append(message)
        elif match and int(match.group(1)) < len(form.modules.entries):
            module = form.modules.entries[int(match.group(1))].form
            criterion, name = match.group(2), match.group(3)
            if criterion is None and name == "criteria":
                per_module.setdefault(int(match.group(1)), []).append(message)
                continue
            target = module if criterion is None else _criterion(module, int(criterion))
            _add_error(target._fields.get(name) if target is not None else None, message, leftover)
        else:
            _add_error(form._fields.get(path), message, leftover)
    return scheme, per_module, leftover


def _criterion(module, index: int):
    """The index-th criterion subform of a module subform, or None."""
    entries = module.criteria.entries
    return entries[index].form if index < len(entries) else None


def _add_error(field, message: str, leftover: list[str]) -> None:
    """Add a message under a field once; without a field it goes to the leftovers."""
    if field is None:
        leftover.append(message)
    elif message not in field.errors:
        field.errors = [*field.errors, message]


def editor_rows(form: EventForm, per_module: dict[int, list[str]]) -> list[dict]:
    """What the template draws for each module and criterion: names, values, errors, the module's sum."""
    rows = []
    for i, entry in enumerate(form.modules.entries):
        module = entry.form
        criteria = [{"prefix": c.name, "name": c.form.name.data or "", "max_score": c.form.max_score.data or "",
                     "kind": c.form.kind.data or "judgement", "errors": _errors(c.form)} for c in module.criteria]
        rows.append({"prefix": entry.name, "name": module.name.data or "", "kind": module.kind.data or "practical",
                     "weight": module.weight.data or "", "errors": _errors(module), "criteria": criteria,
                     "module_errors": per_module.get(i, []), "max_sum": _max_sum(criteria)})
    return rows


def _errors(subform) -> dict[str, list[str]]:
    """Each field's messages of a row subform."""
    return {name: list(field.errors) for name, field in subform._fields.items() if name != "criteria"}


def _max_sum(criteria: list[dict]) -> str | None:
    """The module's maxima summed, or None while one of them is not a number."""
    total = Decimal(0)
    for criterion in criteria:
        value = parse_max(criterion["max_score"])
        if value is None:
            return None
        total += value
    return f"{total.normalize():f}"


def totals(specs) -> dict:
    """Weight total, theory weight and the theory warning, as the page shows them before any typing."""
    weights = [m.weight for m in specs]
    known = all(isinstance(w, int) for w in weights)
    return {"weight": sum(weights) if known and weights else None,
            "theory": sum(m.weight for m in specs if m.kind == "theory" and isinstance(m.weight, int)),
            "warnings": check_scheme(list(specs)).warnings if specs else []}


def blank_module(prefix: str = "modules-__m__") -> dict:
    """The template row the editor's script clones for a new module (with one empty criterion)."""
    criterion = {"prefix": f"{prefix}-criteria-__c__", "errors": {}, **BLANK_CRITERION}
    return {"prefix": prefix, "name": "", "kind": "practical", "weight": "", "errors": {}, "criteria": [criterion],
            "module_errors": [], "max_sum": None}


def blank_criterion() -> dict:
    """The template row the editor's script clones for a new criterion."""
    return {"prefix": "modules-__m__-criteria-__c__", "errors": {}, **BLANK_CRITERION}
