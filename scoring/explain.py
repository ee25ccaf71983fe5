"""Explanations of result rows, as data and as Chinese text.

Contract: explain_row(row) -> Explanation is built from the row alone, without recomputing:
per module the marks it came from (each judge's subtotal, or each criterion's marks), the marks
the trimmed mean dropped, the arithmetic ("(85+86+90)/3 = 87"), the weighted sum
("88.5×30% + 87×70% = 87.45"), and the notes that place the row against tied neighbours. In the
arithmetic '=' marks an exact result and '≈' one rounded half up to 2 decimals. Explanation.text
joins it into lines; Explanation.to_dict() gives JSON-ready data (numbers as strings).
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass
from fractions import Fraction
from decimal import Decimal
from typing import Any, Protocol

from .aggregate import Aggregate, EntryScore, JudgementPart, ModuleScore
from .arithmetic import format_hundredths, result_text, value_text
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

STATUS_TEXT = {"absent": "缺考", "withdrawn": "退赛", "disqualified": "取消资格", "incomplete": "评分不完整"}
KIND_TEXT = {"theory": "理论", "practical": "实操"}


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
        marks = "，".join(f"{judge_label(j)} {mark}" for j, mark in self.marks)
        return f"{self.label}：{marks}；{self.arithmetic}"


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
        head = f"{self.name}（{KIND_TEXT[self.kind]}，权重 {self.weight}%）："
        clauses = []
        if self.measurements:
            clauses.append("测量 " + "，".join(f"{name} {value}" for name, value in self.measurements))
        clauses.extend(part.text for part in self.parts)
        clauses.append(f"模块得分 {self.arithmetic}，计 {self.score}")
        return head + "；".join(clauses)


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
        """The whole explanation as Chinese text, one statement per line."""
        lines = [self.summary, *(m.text for m in self.modules)]
        lines += [self.total] if self.total else []
        return "\n".join(lines + list(self.ranking) + list(self.problems))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, with the text included."""
        return {**asdict(self), "text": self.text}


def judge_label(judge_id: Hashable) -> str:
    """How a judge is named in an explanation."""
    return f"裁判 {judge_id}"


def describe_aggregate(aggregate: Aggregate) -> str:
    """The arithmetic of one aggregate, e.g. '去掉最高分 95（裁判 5）、最低分 80（裁判 1），(85+86+90)/3 = 87'."""
    used = [format_hundredths(mark) for _, mark in aggregate.used]
    if len(used) == 1:
        sum_text = used[0]
    else:
        sum_text = f"({'+'.join(used)})/{len(used)} {result_text(aggregate.value)}"
    if aggregate.method == "median":
        return f"取中位数 {sum_text}"
    if aggregate.method == "trimmed_mean":
        (low_judge, low), (high_judge, high) = aggregate.dropped
        return (f"去掉最高分 {format_hundredths(high)}（{judge_label(high_judge)}）、"
                f"最低分 {format_hundredths(low)}（{judge_label(low_judge)}），{sum_text}")
    return f"平均 {sum_text}"


def explain_part(part: JudgementPart) -> PartExplanation:
    """Explain one judgement part."""
    aggregate = part.aggregate
    label = part.criterion.name if part.criterion is not None else "各裁判评价小计"
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
    return f"总分 {terms} {result_text(total)}"


def _summary(row: Row) -> str:
    """First line: rank and scores, or why the row is not ranked."""
    if row.rank is not None:
        text = f"第 {row.rank} 名{'（并列）' if row.shared else ''}，总分 {row.total}，实操得分 {row.practical}"
        return text + (f"，用时 {row.time_used} 秒" if row.time_used is not None else "")
    text = f"{STATUS_TEXT[row.status]}，不排名"
    if row.missing:
        text += f"（缺 {len(row.missing)} 项评分）"
    if row.score is not None:
        text += f"；总分 {row.total}（仅供参考）"
    return text


def explain_row(row: Row) -> Explanation:
    """Explain a result row from its own data."""
    score = row.score
    modules = tuple(explain_module(m) for m in score.modules) if score else ()
    total = weighted_sum_text(score.modules, score.total_exact) if score else ""
    return Explanation(_summary(row), modules, total, tuple(n.text for n in row.tie_notes),
                       tuple(p.message for p in row.problems))
