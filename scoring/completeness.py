"""Reading an entry's marks and deciding whether they are complete.

Contract: parse_marks converts an entry's marks to exact hundredths and raises ValueError for a
mark of an unknown criterion, of the wrong kind, with more than 2 decimals or outside
0..maximum (TypeError for a float). Only marks of the entry's expected judges (the panel minus
conflicts of interest) count; marks of anyone else are ignored. An entry is complete when every
measurement criterion has a value and every expected judge has marked every judgement criterion;
find_missing lists what is not there as (judge or None, competition number, criterion).
find_problems reports what no further mark can fix: no judge may mark the entry, or trimmed_mean
with fewer than 3 judges. A problem's message, and the out-of-range ValueError's, is a Message
(scoring.messages) that the layer above translates.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from .aggregate import needed_marks
from .arithmetic import format_hundredths, to_hundredths
from .messages import Message
from .model import Criterion, Entry, Scheme, id_key


@dataclass(frozen=True, slots=True)
class Missing:
    """A mark not yet entered: judge_id is None for a measurement value."""

    entry_id: Hashable
    number: str | None
    judge_id: Hashable | None
    criterion_id: Hashable


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an entry cannot be scored even with every mark in, as a code and a message."""

    entry_id: Hashable
    number: str | None
    code: str
    message: Message


@dataclass(frozen=True, slots=True)
class ParsedMarks:
    """An entry's counted marks in hundredths."""

    measurements: Mapping[Hashable, int]
    judgements: Mapping[tuple[Hashable, Hashable], int]


def _checked(criterion: Criterion | None, criterion_id: Hashable, kind: str, value: int) -> int:
    """Convert one mark, checking its criterion, kind and range."""
    if criterion is None or criterion.kind != kind:
        raise ValueError(f"no {kind} criterion with id {criterion_id!r}")
    mark = to_hundredths(value)
    if not 0 <= mark <= criterion.max_hundredths:
        limit = format_hundredths(criterion.max_hundredths)
        raise ValueError(Message("评分项「%(criterion)s」的分数 %(value)s 超出范围 0–%(limit)s",
                                 criterion=criterion.name, value=value, limit=limit))
    return mark


def parse_marks(scheme: Scheme, entry: Entry) -> ParsedMarks:
    """Convert an entry's marks to hundredths, ignoring marks of judges it does not expect."""
    criterion = scheme.criterion
    measurements = {cid: _checked(criterion(cid), cid, "measurement", value)
                    for cid, value in entry.measurements.items() if value is not None}
    judges = entry.judges
    judgements = {(jid, cid): _checked(criterion(cid), cid, "judgement", value)
                  for (jid, cid), value in entry.judgements.items()
                  if jid in judges and value is not None}
    return ParsedMarks(measurements, judgements)


def find_missing(scheme: Scheme, entry: Entry, marks: ParsedMarks) -> tuple[Missing, ...]:
    """List the entry's missing marks: measurements first, then by judge, in scheme order."""
    missing = [Missing(entry.id, entry.number, None, c.id)
               for c in scheme.measurement_criteria if c.id not in marks.measurements]
    judged = scheme.judgement_criteria
    for judge in sorted(entry.judges, key=id_key):
        missing.extend(Missing(entry.id, entry.number, judge, c.id)
                       for c in judged if (judge, c.id) not in marks.judgements)
    return tuple(missing)


def find_problems(scheme: Scheme, entry: Entry) -> tuple[Problem, ...]:
    """Report why the entry's judgement cannot be aggregated whatever is entered."""
    if not scheme.judgement_criteria:
        return ()
    count, needed = len(entry.judges), needed_marks(scheme.method)
    if count == 0:
        return (Problem(entry.id, entry.number, "no_judges", Message("没有可为该选手评分的裁判")),)
    if count < needed:
        message = Message("去掉一个最高分和一个最低分需要至少 %(needed)s 名裁判评分，该选手只有 %(count)s 名",
                          needed=needed, count=count)
        return (Problem(entry.id, entry.number, "too_few_judges", message),)
    return ()
