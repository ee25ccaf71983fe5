"""Explanations of result rows, as data and as text that translates.

Contract: explain_row(row) -> Explanation is built from the row alone, without recomputing:
per module the marks it came from (each judge's subtotal, or each criterion's marks), the marks
the trimmed mean dropped, the arithmetic ("(85+86+90)/3 = 87"), the weighted sum
("88.5×30% + 87×70% = 87.45"), and the notes that place the row against tied neighbours. In the
arithmetic '=' marks an exact result and '≈' one rounded half up to 2 decimals. Explanation.text
joins it into lines; Explanation.to_dict() gives JSON-ready data (numbers as strings) and from_dict reads it back.
Every text is a Message (scoring.messages): the Chinese text as a str, built from templates that the layer above
renders in the reader's language; the arithmetic itself, numbers and operators, reads the same in every language.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from decimal import Decimal
from typing import Any, Protocol

from .aggregate import Aggregate, EntryScore, JudgementPart, ModuleScore
from .arithmetic import format_hundredths, result_text, value_text
from .messages import Message, joined
from .model import id_key


class Row(Protocol):
    """What an explanation reads of a results row (scoring.results.Row, which calls explain_row): declared here so
    that this module does not import results back."""

    @property
    def status(self) -> str: ...
    @property
    def rank(self) -> int | None: ...
    @property
    def shared(self) -> bool: ...
    @property
    def time_used(self) -> int | None: ...
    @property
    def score(self) -> EntryScore | None: ...
    @property
    def missing(self) -> tuple: ...
    @property
    def problems(self) -> tuple: ...
    @property
    def tie_notes(self) -> tuple: ...
    @property
    def total(self) -> Decimal | None: ...
    @property
    def practical(self) -> Decimal | None: ...

STATUS_TEXT = {"absent": Message("缺考"), "withdrawn": Message("退赛"), "disqualified": Message("取消资格"),
               "incomplete": Message("评分不完整")}
KIND_TEXT = {"theory": Message("理论"), "practical": Message("实操")}


def _commas(items: list[str]) -> str:
    """Items joined with ， as one Message (in English "a, b")."""
    return joined(items, lambda head, tail: Message("%(head)s，%(tail)s", head=head, tail=tail))


def _semicolons(items: list[str]) -> str:
    """Clauses joined with ； as one Message (in English "a; b")."""
    return joined(items, lambda head, tail: Message("%(head)s；%(tail)s", head=head, tail=tail))


def _lines(items: list[str]) -> str:
    """Statements one a line, as one Message."""
    return joined(items, lambda head, tail: Message("%(head)s\n%(tail)s", head=head, tail=tail))


def _pairs(pairs: Iterable[Iterable]) -> tuple:
    """Pairs read back from JSON lists, as tuples."""
    return tuple(tuple(pair) for pair in pairs)


@dataclass(frozen=True, slots=True)
class PartExplanation:
    """One aggregated judgement: its label, each judge's mark, the dropped marks and the arithmetic."""

    label: str
    marks: tuple[tuple[Hashable, str], ...]
    dropped: tuple[tuple[Hashable, str], ...]
    arithmetic: str
    value: str

    @property
    def text(self) -> str:
        """The part as one clause."""
        marks = _commas([Message("裁判 %(judge)s %(mark)s", judge=j, mark=mark) for j, mark in self.marks])
        return Message("%(label)s：%(marks)s；%(arithmetic)s", label=self.label, marks=marks,
                       arithmetic=self.arithmetic)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"label": self.label, "marks": self.marks, "dropped": self.dropped, "arithmetic": self.arithmetic,
                "value": self.value}


@dataclass(frozen=True, slots=True)
class ModuleExplanation:
    """One module: measurement values, judgement parts, how they add up, the displayed score."""

    module_id: Hashable
    name: str
    kind: str
    weight: int
    measurements: tuple[tuple[str, str], ...]
    parts: tuple[PartExplanation, ...]
    arithmetic: str
    score: str

    @property
    def text(self) -> str:
        """The module as one line."""
        clauses: list[str] = []
        if self.measurements:
            values = _commas([f"{name} {value}" for name, value in self.measurements])
            clauses.append(Message("测量 %(values)s", values=values))
        clauses.extend(part.text for part in self.parts)
        clauses.append(Message("模块得分 %(arithmetic)s，计 %(score)s", arithmetic=self.arithmetic, score=self.score))
        return Message("%(name)s（%(kind)s，权重 %(weight)s%%）：%(clauses)s", name=self.name,
                       kind=KIND_TEXT[self.kind], weight=self.weight, clauses=_semicolons(clauses))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"module_id": self.module_id, "name": self.name, "kind": self.kind, "weight": self.weight,
                "measurements": self.measurements, "parts": tuple(part.to_dict() for part in self.parts),
                "arithmetic": self.arithmetic, "score": self.score}


@dataclass(frozen=True, slots=True)
class Explanation:
    """A row's explanation: summary, modules, weighted total, tie-break notes and problems."""

    summary: str
    modules: tuple[ModuleExplanation, ...]
    total: str
    ranking: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def text(self) -> str:
        """The whole explanation as one Message, one statement per line."""
        lines = [self.summary, *(m.text for m in self.modules)]
        lines += [self.total] if self.total else []
        return _lines(lines + list(self.ranking) + list(self.problems))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (its texts are Messages, so str), with the text included (dataclasses.asdict's deep
        copies would cost more than building the explanation)."""
        return {"summary": self.summary, "modules": tuple(module.to_dict() for module in self.modules),
                "total": self.total, "ranking": self.ranking, "problems": self.problems, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Explanation:
        """The explanation that `to_dict` gave `data` (read back from JSON; the text is derived, not read)."""
        modules = tuple(
            ModuleExplanation(m["module_id"], m["name"], m["kind"], m["weight"], _pairs(m["measurements"]),
                              tuple(PartExplanation(p["label"], _pairs(p["marks"]), _pairs(p["dropped"]),
                                                    p["arithmetic"], p["value"]) for p in m["parts"]),
                              m["arithmetic"], m["score"])
            for m in data["modules"])
        return cls(data["summary"], modules, data["total"], tuple(data["ranking"]), tuple(data["problems"]))


def describe_aggregate(aggregate: Aggregate) -> str:
    """The arithmetic of one aggregate, e.g. '去掉最高分 95（裁判 5）、最低分 80（裁判 1），(85+86+90)/3 = 87'."""
    used = [format_hundredths(mark) for _, mark in aggregate.used]
    if len(used) == 1:
        sum_text = used[0]
    else:
        sum_text = f"({'+'.join(used)})/{len(used)} {result_text(aggregate.value)}"
    if aggregate.method == "median":
        return Message("取中位数 %(arithmetic)s", arithmetic=sum_text)
    if aggregate.method == "trimmed_mean":
        (low_judge, low), (high_judge, high) = aggregate.dropped
        return Message("去掉最高分 %(high)s（裁判 %(high_judge)s）、最低分 %(low)s（裁判 %(low_judge)s），%(arithmetic)s",
                       high=format_hundredths(high), high_judge=high_judge, low=format_hundredths(low),
                       low_judge=low_judge, arithmetic=sum_text)
    return Message("平均 %(arithmetic)s", arithmetic=sum_text)


def explain_part(part: JudgementPart) -> PartExplanation:
    """Explain one judgement part."""
    aggregate = part.aggregate
    label = part.criterion.name if part.criterion is not None else Message("各裁判评价小计")
    marks = tuple((j, format_hundredths(mark)) for j, mark in sorted(aggregate.marks, key=_by_judge))
    dropped = tuple((j, format_hundredths(mark)) for j, mark in aggregate.dropped)
    return PartExplanation(label, marks, dropped, describe_aggregate(aggregate), value_text(aggregate.value))


def _by_judge(mark: tuple[Hashable, int]) -> tuple:
    """Order marks by judge for listing."""
    return id_key(mark[0])


def _sum_text(values: list[Fraction]) -> str:
    """'28.5 + 60 = 88.5' for several values, '88.5' for one."""
    if len(values) == 1:
        return value_text(values[0])
    return f"{' + '.join(value_text(v) for v in values)} {result_text(sum(values, Fraction(0)))}"


def explain_module(module: ModuleScore) -> ModuleExplanation:
    """Explain one module's score."""
    measurements = tuple((c.name, format_hundredths(mark)) for c, mark in module.measurements)
    parts = tuple(explain_part(p) for p in module.judgement)
    components = [Fraction(sum(mark for _, mark in module.measurements), 100)] if measurements else []
    components += [p.aggregate.value for p in module.judgement]
    info = module.module
    return ModuleExplanation(info.id, info.name, info.kind, info.weight, measurements, parts,
                             _sum_text(components or [Fraction(0)]), str(module.score))


def weighted_sum_text(modules: tuple[ModuleScore, ...], total: Fraction) -> str:
    """'总分 88.5×30% + 87×70% = 87.45'."""
    terms = " + ".join(f"{value_text(m.exact)}×{m.module.weight}%" for m in modules)
    return Message("总分 %(terms)s %(result)s", terms=terms, result=result_text(total))


def _summary(row: Row) -> str:
    """First line: rank and scores, or why the row is not ranked."""
    if row.rank is not None:
        if row.shared:
            place = Message("第 %(rank)s 名（并列）", rank=row.rank)
        else:
            place = Message("第 %(rank)s 名", rank=row.rank)
        text = Message("%(place)s，总分 %(total)s，实操得分 %(practical)s", place=place, total=str(row.total),
                       practical=str(row.practical))
        if row.time_used is not None:
            text = Message("%(summary)s，用时 %(seconds)s 秒", summary=text, seconds=row.time_used)
        return text
    text = Message("%(status)s，不排名", status=STATUS_TEXT[row.status])
    if row.missing:
        text = Message("%(summary)s（缺 %(count)s 项评分）", summary=text, count=len(row.missing))
    if row.score is not None:
        text = Message("%(summary)s；总分 %(total)s（仅供参考）", summary=text, total=str(row.total))
    return text


def explain_row(row: Row) -> Explanation:
    """Explain a result row from its own data."""
    score = row.score
    modules = tuple(explain_module(m) for m in score.modules) if score else ()
    total = weighted_sum_text(score.modules, score.total_exact) if score else ""
    return Explanation(_summary(row), modules, total, tuple(n.text for n in row.tie_notes),
                       tuple(p.message for p in row.problems))
