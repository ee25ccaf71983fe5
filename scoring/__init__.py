"""Pure scoring for the 吴江职业技能联赛: exact aggregation, totals, ranking and explanations.

Contract: this package imports only the Python standard library. The service layer builds a
Scheme and Entry objects from database rows and calls compute_results(scheme, entries,
manual_orders=()) -> Results. Arithmetic is exact (marks as integer hundredths, everything
derived as fractions.Fraction); module scores, totals and practical contributions are rounded
once, half up (四舍五入), to 2 decimals by round_half_up. Ranking follows RULES §7: total
descending, then the tie-break chain, then a shared rank (1, 2, 2, 4), or in strict mode an
unresolved tie until a ManualOrder settles it. Every row explains itself (Row.explanation). What a
user reads (explanations, tie notes, problems) is a Message (scoring.messages): the Chinese text as
a str, with the template and parameters the layer above renders in the reader's language.
"""
from .aggregate import (Aggregate, EntryScore, JudgementPart, ModuleScore, TooFewMarks, aggregate,
                        aggregate_marks, score_entry, score_module)
from .arithmetic import hundredths_to_decimal, round_half_up, to_hundredths
from .completeness import Missing, ParsedMarks, Problem, find_missing, find_problems, parse_marks
from .explain import Explanation, ModuleExplanation, PartExplanation, explain_row
from .messages import Message
from .model import (CRITERION_KINDS, DEFAULT_TIE_BREAKS, LEVELS, METHODS, MODULE_KINDS, STATUSES,
                    TIE_BREAKS, Criterion, Entry, ManualOrder, Module, Scheme)
from .ranking import Placement, Ranking, Standing, TieNote, rank_standings
from .results import Results, Row, compute_results

__all__ = [
    "Aggregate", "EntryScore", "JudgementPart", "ModuleScore", "TooFewMarks", "aggregate",
    "aggregate_marks", "score_entry", "score_module", "hundredths_to_decimal", "round_half_up", "to_hundredths",
    "Missing", "ParsedMarks", "Problem", "find_missing", "find_problems", "parse_marks",
    "Explanation", "ModuleExplanation", "PartExplanation", "explain_row", "Message",
    "CRITERION_KINDS", "DEFAULT_TIE_BREAKS", "LEVELS", "METHODS", "MODULE_KINDS", "STATUSES",
    "TIE_BREAKS", "Criterion", "Entry", "ManualOrder", "Module", "Scheme",
    "Placement", "Ranking", "Standing", "TieNote", "rank_standings",
    "Results", "Row", "compute_results",
]
