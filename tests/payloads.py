"""What the event form and the events API are sent: a whole district event with its marking scheme."""
from datetime import date, timedelta

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
# The API's scheme: the builders' default (tests/builders.default_modules), max scores typed three ways.
SCHEME = [
    {"name": "理论知识", "kind": "theory", "weight": 30,
     "criteria": [{"name": "理论考试", "max_score": 100, "kind": "measurement"}]},
    {"name": "操作技能", "kind": "practical", "weight": 70,
     "criteria": [{"name": "工艺质量", "max_score": "60", "kind": "judgement"},
                  {"name": "安全文明", "max_score": 40.0, "kind": "judgement"}]},
]
# The form's scheme: (name, kind, weight, ((criterion, max score, kind), …)) per module.
TWO_BY_TWO = (
    ("理论知识", "theory", "30", (("理论考试", "60", "measurement"), ("安全规程", "40", "measurement"))),
    ("操作技能", "practical", "70", (("线路安装", "55.5", "judgement"), ("故障排除", "44.5", "judgement"))),
)


def event_body(season, **overrides) -> dict:
    """A valid POST /api/v1/events body for a district event two months ahead."""
    values = {"season_id": season.id, "name": "电工技能竞赛", "occupation": "电工", "level": 3, "kind": "district",
              "event_date": LATER.isoformat(), "registration_deadline": SOON.isoformat(), "venue": "吴江区实训基地",
              "modules": SCHEME}
    return values | overrides


def scheme_fields(modules, indices=None) -> dict:
    """The editor's indexed fields for (name, kind, weight, criteria) modules; indices may have gaps."""
    data = {}
    for n, (name, kind, weight, criteria) in enumerate(modules):
        i = indices[n] if indices else n
        data.update({f"modules-{i}-name": name, f"modules-{i}-kind": kind, f"modules-{i}-weight": weight})
        for j, (c_name, c_max, c_kind) in enumerate(criteria):
            k = j * 2 if indices else j
            data.update({f"modules-{i}-criteria-{k}-name": c_name, f"modules-{i}-criteria-{k}-max_score": c_max,
                         f"modules-{i}-criteria-{k}-kind": c_kind})
    return data


def form_data(season, modules=TWO_BY_TWO, **overrides) -> dict:
    """A complete district event as the form posts it."""
    data = {"season_id": season.id, "name": "2026年吴江区电工职业技能竞赛", "occupation": "电工", "level": "3",
            "kind": "district", "event_date": "2026-06-15", "registration_deadline": "2026-06-01",
            "venue": "吴江区公共实训基地", "aggregation": "trimmed_mean", "aggregation_level": "judge_total",
            "tie_breaks": "practical,time_used", "nomination_quota": "3", **scheme_fields(modules),
            "confirm_past_dates": "y"}  # the fixed dates of these tests have passed (tests/test_venue_day.py asks)
    data.update(overrides)
    return data
