"""2026's holidays and 调休 working days, typed from 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)."""
from datetime import date

from competition.rules.calendar import HOLIDAY, WORKDAY

D = date


def _span(first: date, last: date) -> list[date]:
    return [D.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


HOLIDAYS_2026 = {
    "元旦": _span(D(2026, 1, 1), D(2026, 1, 3)),
    "春节": _span(D(2026, 2, 15), D(2026, 2, 23)),
    "清明节": _span(D(2026, 4, 4), D(2026, 4, 6)),
    "劳动节": _span(D(2026, 5, 1), D(2026, 5, 5)),
    "端午节": _span(D(2026, 6, 19), D(2026, 6, 21)),
    "中秋节": _span(D(2026, 9, 25), D(2026, 9, 27)),
    "国庆节": _span(D(2026, 10, 1), D(2026, 10, 7)),
}
WORKDAYS_2026 = {D(2026, 1, 4): "元旦", D(2026, 2, 14): "春节", D(2026, 2, 28): "春节", D(2026, 5, 9): "劳动节",
                 D(2026, 9, 20): "国庆节", D(2026, 10, 10): "国庆节"}
STATE_COUNCIL_2026 = {day: HOLIDAY for days in HOLIDAYS_2026.values() for day in days} | {
    day: WORKDAY for day in WORKDAYS_2026}
