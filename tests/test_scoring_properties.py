"""Properties of scoring (DESIGN: tests): order does not matter, marks are monotone, rounding is half up."""
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (METHODS, MODULE_KINDS, TIE_BREAKS, Criterion, Entry, Module, Scheme, aggregate_marks,
                     compute_results, round_half_up)

PROPERTY = settings(database=None, deadline=None, max_examples=150)


def decimal(hundredths):
    """Hundredths as an exact Decimal mark."""
    return Decimal(f"{hundredths}E-2")


@st.composite
def partitions(draw, total, parts, minimum):
    """`parts` whole numbers, each at least `minimum`, summing to `total`."""
    spare = total - parts * minimum
    cuts = sorted(draw(st.lists(st.integers(0, spare), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, spare]
    return [minimum + high - low for low, high in zip(bounds, bounds[1:])]


@st.composite
def schemes(draw):
    """A valid scheme: weights sum to 100, each module's maxima sum to 100."""
    count = draw(st.integers(1, 3))
    weights = draw(partitions(100, count, 0))
    modules = [Module(f"M{i}", f"模块{i}", draw(st.sampled_from(MODULE_KINDS)), w) for i, w in enumerate(weights)]
    criteria = []
    for module in modules:
        for maximum in draw(partitions(10000, draw(st.integers(1, 3)), 1)):
            kind = draw(st.sampled_from(["measurement", "judgement"]))
            criteria.append(Criterion(f"C{len(criteria)}", module.id, f"评分项{len(criteria)}", decimal(maximum), kind))
    tie_breaks = draw(st.permutations(TIE_BREAKS))[:draw(st.integers(0, 2))]
    return Scheme(modules, criteria, draw(st.sampled_from(METHODS)), draw(st.sampled_from(["judge_total", "criterion"])),
                  tie_breaks, draw(st.booleans()))


def marks(maximum):
    """A mark in hundredths, often an extreme so that ties happen."""
    return st.one_of(st.sampled_from([0, maximum, maximum // 2]), st.integers(0, maximum))


@st.composite
def entries(draw, scheme, judges, entry_id):
    """A complete entry, usually present."""
    measurements = {c.id: decimal(draw(marks(c.max_hundredths))) for c in scheme.measurement_criteria}
    judgements = {(j, c.id): decimal(draw(marks(c.max_hundredths))) for j in judges for c in scheme.judgement_criteria}
    status = draw(st.sampled_from(["present"] * 6 + ["absent", "withdrawn", "disqualified"]))
    time = draw(st.one_of(st.none(), st.integers(0, 3)))
    return Entry(entry_id, f"{entry_id:03d}", status, time, measurements, judgements, judges)


@st.composite
def events(draw):
    """A scheme with 3-5 judges and 1-7 entries."""
    scheme = draw(schemes())
    judges = frozenset(range(1, draw(st.integers(3, 5)) + 1))
    return scheme, [draw(entries(scheme, judges, i)) for i in range(1, draw(st.integers(1, 7)) + 1)]


def outcome(results):
    """Everything that must not depend on input order (judge labels aside)."""
    return [(r.entry_id, r.status, r.rank, r.shared, r.unresolved, r.total, r.practical,
             tuple(m.exact for m in r.modules)) for r in results.rows]


@PROPERTY
@given(events(), st.randoms(use_true_random=False))
def test_judge_order_and_labels_do_not_matter(event, rng):
    scheme, original = event
    judges = sorted(original[0].judges)
    relabel = dict(zip(judges, rng.sample(judges, len(judges))))
    shuffled = []
    for entry in original:
        items = list(entry.judgements.items())
        rng.shuffle(items)
        judgements = {(relabel[j], c): mark for (j, c), mark in items}
        shuffled.append(Entry(entry.id, entry.number, entry.status, entry.time_used, entry.measurements, judgements,
                              [relabel[j] for j in reversed(judges)]))
    assert outcome(compute_results(scheme, shuffled)) == outcome(compute_results(scheme, original))


@PROPERTY
@given(events(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_entry_order(event, rng):
    scheme, original = event
    shuffled = rng.sample(original, len(original))
    first, second = compute_results(scheme, original), compute_results(scheme, shuffled)
    assert outcome(first) == outcome(second)
    assert [r.explanation.text for r in first.rows] == [r.explanation.text for r in second.rows]
    assert first.unresolved_ties == second.unresolved_ties and first.missing == second.missing


@PROPERTY
@given(events(), st.data())
def test_raising_one_mark_never_lowers_the_total(event, data):
    scheme, original = event
    entry = original[0]
    keys = [("m", c) for c in entry.measurements] + [("j", k) for k in entry.judgements]
    kind, key = data.draw(st.sampled_from(keys))
    criterion = scheme.criterion(key if kind == "m" else key[1])
    values = dict(entry.measurements if kind == "m" else entry.judgements)
    current = int(values[key] * 100)
    values[key] = decimal(data.draw(st.integers(current, criterion.max_hundredths)))
    entry = replace(entry, status="present")
    raised = replace(entry, **{"measurements" if kind == "m" else "judgements": values})
    before = compute_results(scheme, [entry]).rows[0].score
    after = compute_results(scheme, [raised]).rows[0].score
    assert before is not None and after is not None
    assert after.total_exact >= before.total_exact and after.total >= before.total
    assert after.practical_exact >= before.practical_exact


@PROPERTY
@given(events())
def test_totals_stay_between_0_and_100_and_ranks_follow_totals(event):
    scheme, original = event
    rows = compute_results(scheme, original).rows
    for row in rows:
        if row.score is not None:
            assert 0 <= row.score.total_exact <= 100 and Decimal(0) <= row.total <= Decimal(100)
            assert 0 <= row.score.practical_exact <= row.score.total_exact
            assert all(0 <= m.exact <= 100 for m in row.modules)
    ranked = [row for row in rows if row.rank is not None]
    for index, row in enumerate(ranked):
        assert row.rank == index + 1 or (row.shared and row.rank == ranked[index - 1].rank)
        assert index == 0 or row.total <= ranked[index - 1].total
    assert all(row.rank is None for row in rows[len(ranked):])


@settings(database=None, max_examples=500)
@given(st.integers(0, 10 ** 9))
def test_rounding_is_half_up_at_xx5(cents):
    assert round_half_up(Fraction(cents * 10 + 5, 1000)) == decimal(cents + 1)
    assert round_half_up(Fraction(cents * 10 + 4, 1000)) == decimal(cents)


@settings(database=None, max_examples=500)
@given(st.fractions(min_value=0, max_value=10 ** 6))
def test_rounding_matches_integer_half_up(value):
    expected = (200 * value.numerator + value.denominator) // (2 * value.denominator)
    assert round_half_up(value) == decimal(expected)


@settings(database=None, max_examples=300)
@given(st.lists(st.integers(0, 10000), min_size=3, max_size=7), st.sampled_from(METHODS))
def test_aggregate_lies_between_the_extremes(values, method):
    result = aggregate_marks({j: decimal(v) for j, v in enumerate(values)}, method)
    assert Fraction(min(values), 100) <= result.value <= Fraction(max(values), 100)
    if len(values) == 3:
        median = aggregate_marks({j: decimal(v) for j, v in enumerate(values)}, "median")
        assert aggregate_marks({j: decimal(v) for j, v in enumerate(values)}, "trimmed_mean").value == median.value
