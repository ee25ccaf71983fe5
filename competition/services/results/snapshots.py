"""Frozen results (RULES.md §8): a sign-off's snapshot as plain JSON, its explanations kept apart, and which
snapshot is in force. It sits below results, result_rows and nominations, which all read snapshots, so none of
them imports another to get one (issue 17: they formed an import circle).

An explanation's texts are Messages (scoring.messages), so that a reader of the English pages reads a frozen
explanation in English too: it is stored with each Message as {"template": …, "params": {…}} and its text as the
plain Chinese text signed off, the record. Read back, the Messages are rebuilt (each the same Chinese text) and the
text is derived from them again, as a Message, when that reproduces the stored text exactly; otherwise, and in
snapshots from before, which hold plain text only, the stored text is shown as it is.
"""
from scoring import Explanation, Results
from scoring.messages import Message, from_data, to_data

from ...extensions import db
from ...models import ResultSnapshot
from ..marking.facts import Facts


def snapshot_payload(event, facts: Facts, results: Results) -> dict:
    """The frozen results as plain JSON: scheme, method, judges by seat, rows with scores as strings."""
    return {
        "method": event.aggregation.value, "level": event.aggregation_level.value,
        "tie_breaks": list(event.tie_breaks), "strict": bool(event.strict_ranking),
        "scheme": [{"id": m.id, "name": m.name, "kind": m.kind, "weight": m.weight,
                    "criteria": [{"id": c.id, "name": c.name, "kind": c.kind, "max_score": str(c.max_score)}
                                 for c in facts.criteria if c.module_id == m.id]} for m in facts.modules],
        "judges": [{"seat": j.seat, "user_id": j.user_id, "name": j.name} for j in facts.judges],
        "tie_orders": [{"entry_ids": list(o.entry_ids), "reason": o.reason} for o in results.applied_orders],
        "rows": [_row(row) for row in results.rows],
    }


def split_explanations(payload: dict) -> tuple[dict, dict]:
    """The payload without its rows' explanations, and the explanations by entry id (as JSON keys: str)."""
    rows = [{k: v for k, v in row.items() if k != "explanation"} for row in payload["rows"]]
    return payload | {"rows": rows}, {str(row["entry_id"]): frozen_explanation(row["explanation"])
                                      for row in payload["rows"]}


def frozen_explanation(explanation: dict) -> dict:
    """An explanation as a snapshot stores it: its Messages as data, its text as the plain text signed off."""
    return to_data({**explanation, "text": str(explanation["text"])})


def thawed_explanation(stored: dict) -> dict:
    """A stored explanation with its Messages rebuilt, and its text a Message again if they reproduce it exactly
    (a snapshot from before Messages were stored keeps its plain text, as does one whose wording has changed since)."""
    explanation = from_data(stored)
    if isinstance(explanation.get("summary"), Message):
        text = Explanation.from_dict(explanation).text
        if text == explanation.get("text"):
            explanation["text"] = text
    return explanation


def explained_rows(snapshot: ResultSnapshot) -> list[dict]:
    """A snapshot's rows with their explanations back in place (older snapshots kept them in the rows)."""
    explanations = snapshot.explanations or {}
    return [row if "explanation" in row
            else row | {"explanation": thawed_explanation(explanations.get(str(row["entry_id"]), {}))}
            for row in snapshot.payload["rows"]]


def _text(value) -> str | None:
    """A Decimal score as '87.45', or None."""
    return None if value is None else str(value)


def _row(row) -> dict:
    """One results row as plain JSON."""
    return {"entry_id": row.entry_id, "number": row.number, "status": row.status, "rank": row.rank,
            "shared": row.shared, "total": _text(row.total), "practical": _text(row.practical),
            "time_used": row.time_used,
            "modules": [{"id": m.module.id, "name": m.module.name, "score": str(m.score)} for m in row.modules],
            "explanation": row.explanation.to_dict()}


def current_snapshot(event) -> ResultSnapshot | None:
    """The snapshot in force (None before sign-off and after a reopen)."""
    return db.session.scalar(db.select(ResultSnapshot).where(ResultSnapshot.event_id == event.id,
                                                             ResultSnapshot.superseded_at.is_(None))
                             .order_by(ResultSnapshot.sequence.desc()).limit(1))


def snapshot_history(event) -> list[ResultSnapshot]:
    """Every snapshot of an event, oldest first, superseded ones included."""
    return list(db.session.scalars(db.select(ResultSnapshot).where(ResultSnapshot.event_id == event.id)
                                   .order_by(ResultSnapshot.sequence)))
