"""The league's forms (RULES.md §16): a higher-level competition, its delegates (选送) and their results, and the policy
version's standings points and reward schedule. Field validation only: the services check the rest."""
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from ..i18n import localise
from ..rules.league import LEVELS, MAX_LINES, MAX_POINTS, PRIZE_LENGTH, PRIZES, points_from_data
from ..typed import Id
from .base import AppForm
from .events import DayField
from .fields import WholeNumberField, optional_id
from .filters import PageFilters

NO_PRIZE = "none"  # the result select's 未获奖
OTHER_PRIZE = "other"  # the result select's 其他奖项: the text field names it
REWARD_ROWS = 8  # rows the reward schedule editor shows at least


class CompetitionFilters(PageFilters):
    """/competitions: the season; a competition's page: the final event whose entries are offered."""

    season: Id | None = None
    event: Id | None = None


def level_choices() -> list[SelectChoice]:
    """The competition levels in the reader's language, in the order of the forms."""
    return [SelectChoice(code, localise(name)) for code, name in LEVELS.items()]


def _pick(label) -> list[SelectChoice]:
    """A select's empty first option."""
    return [SelectChoice("", label)]


class CompetitionForm(AppForm):
    """A competition beyond the district: its season, name, level, occupation, day and organiser."""

    season_id = SelectField(_l("联赛年度"), coerce=optional_id, validate_choice=False,
                            validators=[InputRequired(_l("请选择联赛年度。"))])
    name = StringField(_l("赛事名称"), validators=[InputRequired(_l("请填写赛事名称。")),
                                               Length(max=120, message=_l("赛事名称最多120个字符。"))],
                       description=_l("如：江苏省电工职业技能竞赛"))
    level = SelectField(_l("赛事级别"), choices=lambda: _pick(_l("请选择级别")) + level_choices(),
                        validators=[InputRequired(_l("请选择赛事级别。"))])
    occupation = StringField(_l("职业（工种）"), validators=[InputRequired(_l("请填写职业（工种）。")),
                                                       Length(max=60, message=_l("职业（工种）最多60个字符。"))])
    held_on = DayField(_l("举办日期"), validators=[InputRequired(_l("请填写举办日期。"))],
                       description=_l("应在所选联赛年度的年份内；奖励按该日有效的政策版本计算。"))
    organised_by = StringField(_l("主办单位"), validators=[Length(max=120, message=_l("主办单位最多120个字符。"))])


class WinnersForm(AppForm):
    """Send every prize winner of one final league event (the chosen event's id)."""

    event_id = SelectField(_l("联赛赛项（成绩已确认）"), coerce=optional_id, validate_choice=False,
                           validators=[InputRequired(_l("请选择赛项。"))])


class EntryDelegateForm(AppForm):
    """Send one contestant of a final league event, by their employer unless another enterprise is chosen."""

    entry_id = SelectField(_l("选手"), coerce=optional_id, validate_choice=False,
                           validators=[InputRequired(_l("请选择选手。"))])
    sending_enterprise_id = SelectField(_l("选送单位"), coerce=optional_id, validate_choice=False,
                                        description=_l("不选则为报名时的工作单位。"), id="entry-sending-enterprise")


class PersonDelegateForm(AppForm):
    """Send a person by ID number and name, with the sending enterprise."""

    id_number = StringField(_l("身份证号码"), validators=[InputRequired(_l("请填写身份证号码。")), Length(max=18)],
                            id="person-id-number")
    name = StringField(_l("姓名"), validators=[InputRequired(_l("请填写姓名。")), Length(max=30)], id="person-name")
    sending_enterprise_id = SelectField(_l("选送单位"), coerce=optional_id, validate_choice=False,
                                        description=_l("不选则为其最近一次联赛报名时的工作单位。"),
                                        id="person-sending-enterprise")


def prize_choices() -> list[SelectChoice]:
    """The result select: the usual prizes (their Chinese names are the stored values), none, or another one."""
    return (_pick(_l("请选择")) + [SelectChoice(NO_PRIZE, _l("未获奖（仅参赛）"))]
            + [SelectChoice(str(prize), localise(prize)) for prize in PRIZES]
            + [SelectChoice(OTHER_PRIZE, _l("其他奖项（在下方填写）"))])


class ResultForm(AppForm):
    """A delegate's result: a prize from the list, none, or another prize typed; and the rank if known."""

    prize = SelectField(_l("奖项"), choices=prize_choices, validators=[InputRequired(_l("请选择奖项。"))])
    other_prize = StringField(_l("其他奖项名称"), validators=[Length(max=PRIZE_LENGTH, message=_l(
        "奖项最多%(max)s个字。", max=PRIZE_LENGTH))], description=_l("奖项不在上列时填写，如：优秀奖。"))
    rank = WholeNumberField(_l("名次"), description=_l("可不填。"))

    def validate_other_prize(self, field) -> None:
        """其他奖项 needs its name."""
        if self.prize.data == OTHER_PRIZE and not (field.data or "").strip():
            raise ValidationError(_l("请填写奖项名称。"))

    def validate_rank(self, field) -> None:
        """A rank is a positive whole number."""
        if field.data is not None and field.data < 1:
            raise ValidationError(_l("名次应为正整数。"))

    def chosen_prize(self) -> str | None:
        """The prize to record (None: took part without a prize)."""
        typed = (self.other_prize.data or "").strip()
        if self.prize.data == OTHER_PRIZE or (typed and self.prize.data != NO_PRIZE):
            return typed or None
        return None if self.prize.data in (NO_PRIZE, "", None) else self.prize.data

    def show(self, prize: str | None, rank: int | None) -> None:
        """Fill the form with a recorded result."""
        values = {str(p) for p in PRIZES}
        if prize is None:
            self.prize.data = NO_PRIZE
        elif prize in values:
            self.prize.data = prize
        else:
            self.prize.data, self.other_prize.data = OTHER_PRIZE, prize
        self.rank.data = rank


# The policy form's standings points and reward schedule (RULES.md §16).

def _points(label):
    """One points figure (posted blank: reported by PointsForm.problems)."""
    return WholeNumberField(label)


class PointsForm(Form):
    """Points for the first three prize tiers (一等奖, 二等奖, 三等奖 by position), per participant and per hosted
    final enterprise event."""

    prize_1 = _points(_l("第1获奖等级（一等奖）"))
    prize_2 = _points(_l("第2获奖等级（二等奖）"))
    prize_3 = _points(_l("第3获奖等级（三等奖）"))
    participant = _points(_l("每名参赛选手"))
    hosted_event = _points(_l("每承办一个已确认成绩的企业赛项"))

    NAMES = ("prize_1", "prize_2", "prize_3", "participant", "hosted_event")

    def posted(self) -> bool:
        """Whether the post carried the points at all."""
        return any(self[name].raw_data for name in self.NAMES)

    def problems(self) -> bool:
        """Put a message under each blank or out-of-range figure; True when there was one."""
        found = False
        for name in self.NAMES:
            value = self[name].data
            if self[name].errors:
                found = True
            elif value is None:
                self[name].errors = [*self[name].errors, _l("请填写该项。")]
                found = True
            elif not 0 <= value <= MAX_POINTS:
                self[name].errors = [*self[name].errors, _l("积分应为 0 至 %(max)s 之间的整数。", max=MAX_POINTS)]
                found = True
        return found

    def to_data(self, extra_prizes=()) -> dict:
        """As PolicyData takes it (the tiers beyond the third, which only the API sets, kept as they were)."""
        return {"prizes": [self.prize_1.data, self.prize_2.data, self.prize_3.data, *extra_prizes],
                "participant": self.participant.data, "hosted_event": self.hosted_event.data}


def points_form_data(stored: dict | None) -> dict:
    """Stored points ({"prizes": [..], "participant", "hosted_event"}) as the form's initial data."""
    points = points_from_data(stored)
    prizes = list(points.prizes) + [None] * 3
    return {"prize_1": prizes[0], "prize_2": prizes[1], "prize_3": prizes[2], "participant": points.participant,
            "hosted_event": points.hosted_event}


class RewardRowForm(Form):
    """One line of the reward schedule: level × prize → the person's amount and the sending unit's."""

    level = SelectField(_l("赛事级别"), choices=lambda: _pick("—") + level_choices(), validate_choice=False)
    prize = StringField(_l("奖项"), validators=[Length(max=PRIZE_LENGTH, message=_l(
        "奖项最多%(max)s个字。", max=PRIZE_LENGTH))])
    individual = WholeNumberField(_l("个人奖励（元）"))
    sending_unit = WholeNumberField(_l("选送单位奖励（元）"))

    def blank(self) -> bool:
        """Nothing typed in the row."""
        return (not self.level.data and not (self.prize.data or "").strip() and self.individual.data is None
                and self.sending_unit.data is None)

    def to_data(self) -> dict:
        """As PolicyData takes it (the rules say what is missing or wrong)."""
        return {"level": self.level.data or None, "prize": (self.prize.data or "").strip(),
                "individual": self.individual.data, "sending_unit": self.sending_unit.data}


def reward_rows(label) -> FieldList:
    """The schedule editor's rows (at least REWARD_ROWS; blank ones mean nothing)."""
    return FieldList(FormField(RewardRowForm), label=label, min_entries=REWARD_ROWS, max_entries=MAX_LINES)


def rewards_posted(rows: FieldList) -> bool:
    """Whether the post carried the schedule rows at all (all blank: the version has no schedule)."""
    return any(entry.form.prize.raw_data for entry in rows.entries)


def typed_schedule(rows: FieldList) -> tuple[list[dict], list[int]]:
    """The schedule typed into the rows, blank rows left out, and the row index of each line sent."""
    lines, where = [], []
    for index, entry in enumerate(rows.entries):
        if entry.form.blank():
            continue
        lines.append(entry.form.to_data())
        where.append(index)
    return lines, where


def schedule_form_data(stored) -> list[dict]:
    """A stored schedule as the rows' initial data, with blank rows to add more (two at least)."""
    lines = [{"level": line.get("level"), "prize": line.get("prize"), "individual": line.get("individual"),
              "sending_unit": line.get("sending_unit")} for line in stored or []]
    blanks = max(REWARD_ROWS - len(lines), 2)
    return (lines + [{} for _ in range(blanks)])[:MAX_LINES]

