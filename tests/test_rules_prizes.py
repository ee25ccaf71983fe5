"""Prize tiers (RULES.md §15): sizes by share or count, cumulative cut-offs with ties taking the higher tier, the
prize floor, unranked rows, and the checks on tiers and floors as typed."""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.rules.prizes import (DEFAULT_TIERS, MAX_TIERS, Placing, TierSpec, check_floor, check_tiers,
                                      cut_offs, decide_prizes, default_tiers_data, describe_tiers, parse_floor,
                                      tiers_from_data, tiers_to_data)

GOLD, SILVER, BRONZE = "一等奖", "二等奖", "三等奖"


def rows(ranks, totals=None):
    """Placings 1, 2, … with the given ranks (None: unranked) and totals (default 90 for ranked rows)."""
    totals = totals or [None if r is None else "90" for r in ranks]
    return [Placing(i + 1, rank, total) for i, (rank, total) in enumerate(zip(ranks, totals))]


def prizes(ranks, tiers=DEFAULT_TIERS, floor=60, totals=None) -> list:
    """Each row's prize in order (None: no prize)."""
    got = decide_prizes(rows(ranks, totals), tiers, floor)
    return [got.get(i + 1) for i in range(len(ranks))]


def shares(*pairs) -> tuple[TierSpec, ...]:
    return tuple(TierSpec(name, share=share) for name, share in pairs)


def counts(*pairs) -> tuple[TierSpec, ...]:
    return tuple(TierSpec(name, count=count) for name, count in pairs)


@pytest.mark.parametrize("ranked, sizes, cuts", [
    (0, (0, 0, 0), (0, 0, 0)),
    (1, (0, 0, 0), (0, 0, 0)),
    (3, (0, 0, 0), (0, 0, 0)),
    (4, (0, 0, 1), (0, 0, 1)),  # 30% of 4 = 1.2 → 1
    (5, (0, 1, 1), (0, 1, 2)),
    (9, (0, 1, 2), (0, 1, 3)),  # 10% of 9 = 0.9 → no 一等奖
    (10, (1, 2, 3), (1, 3, 6)),
    (19, (1, 3, 5), (1, 4, 9)),
    (2000, (200, 400, 600), (200, 600, 1200)),
])
def test_default_sizes_floor_the_shares_and_cut_offs_accumulate(ranked, sizes, cuts):
    assert tuple(t.size(ranked) for t in DEFAULT_TIERS) == sizes
    assert cut_offs(DEFAULT_TIERS, ranked) == cuts


@pytest.mark.parametrize("ranks, expected", [
    # ten ranked entries: cut-offs 1, 3, 6
    ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10), [GOLD, SILVER, SILVER, BRONZE, BRONZE, BRONZE, None, None, None, None]),
    # a tie at the first cut-off (1): both take 一等奖; the cut-offs stay where they are
    ((1, 1, 3, 4, 5, 6, 7, 8, 9, 10), [GOLD, GOLD, SILVER, BRONZE, BRONZE, BRONZE, None, None, None, None]),
    # a tie at the second cut-off (3): 3 and 3 both take 二等奖
    ((1, 2, 3, 3, 5, 6, 7, 8, 9, 10), [GOLD, SILVER, SILVER, SILVER, BRONZE, BRONZE, None, None, None, None]),
    # a tie at the last cut-off (6): every 6 gets 三等奖, however many
    ((1, 2, 3, 4, 5, 6, 6, 6, 9, 10), [GOLD, SILVER, SILVER, BRONZE, BRONZE, BRONZE, BRONZE, BRONZE, None, None]),
    # a tie straddling a cut-off from below (2, 2 with cut-off 3): still 二等奖, and rank 4 is 三等奖
    ((1, 2, 2, 4, 5, 6, 7, 8, 9, 10), [GOLD, SILVER, SILVER, BRONZE, BRONZE, BRONZE, None, None, None, None]),
    # everyone tied first: all 一等奖
    ((1,) * 10, [GOLD] * 10),
])
def test_ties_at_each_cut_off_take_the_higher_tier(ranks, expected):
    assert prizes(ranks) == expected


def test_the_rules_example_1_2_2_4_with_a_cut_off_of_2():
    tiers = counts((GOLD, 2), (SILVER, 1))
    assert prizes((1, 2, 2, 4), tiers) == [GOLD, GOLD, GOLD, None]  # the 2s are at the cut-off: both 一等奖
    assert prizes((1, 2, 2, 4), counts((GOLD, 2), (SILVER, 2))) == [GOLD, GOLD, GOLD, SILVER]
    assert prizes((1, 2, 2, 4)) == [BRONZE, None, None, None]  # defaults on 4 entries: only 三等奖 has a place


@pytest.mark.parametrize("ranks, expected", [
    ((1,), [None]),
    ((1, 2), [None, None]),
    ((1, 2, 3), [None, None, None]),  # 10/20/30% of 3 all floor to 0: nobody gets a prize
    ((1, 1, 1), [None, None, None]),
    ((1, 2, 3, 4), [BRONZE, None, None, None]),  # 三等奖 1 place: the best takes it, not 一等奖
    ((1, 2, 3, 4, 5), [SILVER, BRONZE, None, None, None]),
])
def test_tiny_events_give_nobody_a_tier_that_floors_to_zero(ranks, expected):
    assert prizes(ranks) == expected


def test_a_share_of_zero_is_a_tier_nobody_gets():
    tiers = shares((GOLD, 0), (SILVER, 50))
    assert prizes((1, 2, 3, 4)) == [BRONZE, None, None, None]
    assert prizes((1, 2, 3, 4), tiers) == [SILVER, SILVER, None, None]


@pytest.mark.parametrize("tiers, ranks, expected", [
    (counts(("特等奖", 1), (GOLD, 2), (SILVER, 3)), (1, 2, 3, 4, 5, 6, 7),
     ["特等奖", GOLD, GOLD, SILVER, SILVER, SILVER, None]),
    (counts((GOLD, 1)), (1, 2), [GOLD, None]),
    (counts((GOLD, 5)), (1, 2), [GOLD, GOLD]),  # more places than entries
    (counts((GOLD, 0), (SILVER, 1)), (1, 2), [SILVER, None]),
    (counts((GOLD, 1), (SILVER, 1)), (1, 1, 3), [GOLD, GOLD, None]),  # the tie uses up the second place too
    ((TierSpec(GOLD, count=1), TierSpec(SILVER, share=50)), (1, 2, 3, 4), [GOLD, SILVER, SILVER, None]),
])
def test_fixed_counts_and_mixed_tiers(tiers, ranks, expected):
    assert prizes(ranks, tiers) == expected


@pytest.mark.parametrize("totals, floor, expected", [
    (("95", "80", "59.99", "70", "65", "61", "50", "40", "30", "20"), 60,
     [GOLD, SILVER, None, BRONZE, BRONZE, BRONZE, None, None, None, None]),
    (("95", "80", "60.00", "60", "59.99", "59", "50", "40", "30", "20"), 60,  # exactly the floor is a prize
     [GOLD, SILVER, SILVER, BRONZE, None, None, None, None, None, None]),
    (("95", "80", "79", "70", "65", "61", "50", "40", "30", "20"), Decimal("79.50"),
     [GOLD, SILVER, None, None, None, None, None, None, None, None]),
    (("95",) * 10, 0, [GOLD, SILVER, SILVER, BRONZE, BRONZE, BRONZE, None, None, None, None]),
    (("50",) * 10, 60, [None] * 10),
])
def test_no_prize_below_the_floor_even_inside_a_cut_off(totals, floor, expected):
    assert prizes(tuple(range(1, 11)), totals=totals, floor=floor) == expected


def test_exact_totals_are_compared_exactly():
    tiers = counts((GOLD, 2))
    floor = Fraction(181, 3)  # 60.333…
    got = decide_prizes([Placing(1, 1, Fraction(181, 3)), Placing(2, 2, Decimal("60.33"))], tiers, floor)
    assert got == {1: GOLD}


def test_unranked_rows_get_nothing_and_do_not_count():
    # ten ranked and four unranked (absent, withdrawn, disqualified, incomplete): sizes from the ten only
    ranks = tuple(range(1, 11)) + (None,) * 4
    totals = ["90"] * 10 + [None, None, "99", "99"]
    got = prizes(ranks, totals=totals)
    assert got[:6] == [GOLD, SILVER, SILVER, BRONZE, BRONZE, BRONZE] and got[10:] == [None] * 4
    assert decide_prizes(rows((None, None)), DEFAULT_TIERS, 60) == {}
    assert decide_prizes([], DEFAULT_TIERS, 60) == {}
    assert decide_prizes(rows((1, 2)), (), 60) == {}


def test_only_prized_entries_are_in_the_answer():
    got = decide_prizes(rows(tuple(range(1, 11))), DEFAULT_TIERS, 60)
    assert set(got) == {1, 2, 3, 4, 5, 6}


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=60),
       st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=MAX_TIERS))
def test_tiers_follow_rank_and_never_give_fewer_places_than_the_sizes(totals, sizes):
    """Rank by total (competition style): a better rank never gets a lower tier, and each cut-off is filled."""
    ordered = sorted(totals, reverse=True)
    ranks = [ordered.index(t) + 1 for t in ordered]
    tiers = tuple(TierSpec(f"t{i}", count=c) for i, c in enumerate(sizes))
    got = decide_prizes([Placing(i, r, str(t)) for i, (r, t) in enumerate(zip(ranks, ordered))], tiers, 0)
    levels = [next((k for k, t in enumerate(tiers) if t.name == got.get(i)), len(tiers)) for i in range(len(ranks))]
    assert levels == sorted(levels)
    cuts = cut_offs(tiers, len(ranks))
    for k, cut in enumerate(cuts):
        assert sum(1 for level in levels if level <= k) >= min(cut, len(ranks))


@pytest.mark.parametrize("tiers, fragment", [
    ((), "1至6个"),
    (tuple(TierSpec(f"t{i}", share=1) for i in range(MAX_TIERS + 1)), "1至6个"),
    ((TierSpec("", share=10),), "须填写名称"),
    ((TierSpec("  ", share=10),), "须填写名称"),
    ((TierSpec("奖" * 21, share=10),), "最多 20 个字符"),
    ((TierSpec(GOLD, share=10), TierSpec(GOLD, share=20)), "名称重复"),
    ((TierSpec(GOLD, share=10), TierSpec(" 一等奖 ", count=2)), "名称重复"),
    ((TierSpec(GOLD),), "二者选一"),
    ((TierSpec(GOLD, share=10, count=1),), "二者选一"),
    ((TierSpec(GOLD, share=101),), "0至100"),
    ((TierSpec(GOLD, share=-1),), "0至100"),
    ((TierSpec(GOLD, share=True),), "0至100"),
    ((TierSpec(GOLD, share="10"),), "0至100"),
    ((TierSpec(GOLD, count=-1),), "人数应为"),
    ((TierSpec(GOLD, count=10001),), "人数应为"),
    (shares((GOLD, 50), (SILVER, 30), (BRONZE, 21)), "之和为 101%"),
])
def test_check_tiers_names_what_is_wrong(tiers, fragment):
    problems = check_tiers(tiers)
    assert problems and any(fragment in p["message"] for p in problems), problems
    assert {p["field"] for p in problems} == {"prize_tiers"}


@pytest.mark.parametrize("tiers", [
    DEFAULT_TIERS,
    shares((GOLD, 50), (SILVER, 50)),
    shares((GOLD, 0)),
    counts((GOLD, 0), (SILVER, 10000)),
    tuple(TierSpec(f"t{i}", share=10) for i in range(MAX_TIERS)),
    (TierSpec(GOLD, count=1), TierSpec(SILVER, share=100)),  # counts do not add to the shares' sum
])
def test_check_tiers_accepts_good_tiers(tiers):
    assert check_tiers(tiers) == []


def test_tiers_round_trip_through_json():
    assert default_tiers_data() == [{"name": GOLD, "share": 10}, {"name": SILVER, "share": 20},
                                    {"name": BRONZE, "share": 30}]
    mixed = (TierSpec("特等奖", count=1), TierSpec(GOLD, share=15))
    assert tiers_from_data(tiers_to_data(mixed)) == mixed
    assert default_tiers_data() is not default_tiers_data()


@pytest.mark.parametrize("text, floor", [
    ("60", Decimal("60.00")), (" 72.5 ", Decimal("72.50")), ("0", Decimal("0.00")), ("100", Decimal("100.00")),
    ("60.123", None), ("abc", None), ("", None), ("NaN", None), ("Infinity", None), ("1e5", None),
])
def test_parse_floor(text, floor):
    assert parse_floor(text) == floor


@pytest.mark.parametrize("floor, ok", [
    (None, True), (Decimal("0"), True), (Decimal("60.00"), True), (Decimal("100"), True),
    (Decimal("100.01"), False), (Decimal("-1"), False), (Decimal("60.001"), False), (Decimal("NaN"), False),
    ("72.5", True), (" 60 ", True), (60, True), (60.5, True), ("", False), ("六十", False), (True, False),
    (0.1 + 0.2, False), ("-0.01", False),
])
def test_check_floor(floor, ok):
    assert (check_floor(floor) == []) is ok


def test_describe_tiers():
    assert describe_tiers(DEFAULT_TIERS) == "一等奖 10%、二等奖 20%、三等奖 30%"
    assert describe_tiers(DEFAULT_TIERS, 10) == "一等奖 10%（1 人）、二等奖 20%（2 人）、三等奖 30%（3 人）"
    assert describe_tiers(counts(("特等奖", 1))) == "特等奖 1 人"
