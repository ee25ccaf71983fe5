"""Event forms: the event's fields, its marking scheme as indexed rows, lifecycle reasons and the panel."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .base import AppForm
from .fields import WholeNumberField, optional_id
from .prizes import tier_rows

LEVEL_NAMES = {
    5: _l("五级/初级工"), 4: _l("四级/中级工"), 3: _l("三级/高级工"), 2: _l("二级/技师"), 1: _l("一级/高级技师"),
}
KIND_NAMES = {"district": _l("区级赛"), "enterprise": _l("企业赛")}
MODULE_KIND_NAMES = {"theory": _l("理论知识"), "practical": _l("操作技能")}
CRITERION_KIND_NAMES = {"measurement": _l("测量"), "judgement": _l("评价")}
AGGREGATION_NAMES = {
    "trimmed_mean": _l("去掉一个最高分和一个最低分后平均"), "mean": _l("平均分"), "median": _l("中位数"),
}
AGGREGATION_LEVEL_NAMES = {"judge_total": _l("按裁判小计汇总（评分表）"), "criterion": _l("按评分项汇总")}
# Every valid tie-break chain (RULES.md §7), keyed by the comma-joined chain.
TIE_BREAK_NAMES = {
    "practical,time_used": _l("实操得分高者优先，再比用时少者"),
    "time_used,practical": _l("用时少者优先，再比实操得分"),
    "practical": _l("仅比实操得分"),
    "time_used": _l("仅比用时"),
    "": _l("不设并列规则（并列名次相同）"),
}


def named_choices(names: dict) -> list[SelectChoice]:
    """Select options from a code → lazy name mapping."""
    return [SelectChoice(str(code), name) for code, name in names.items()]


def choice(value, label) -> SelectChoice:
    """One select option (WTForms 3.3 deprecates plain tuples)."""
    return SelectChoice(str(value), label)


class DayField(DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker); a wrong value gets a Chinese message."""

    def process_formdata(self, valuelist):
        """Blank leaves None for InputRequired; anything else must be a real date."""
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = date.fromisoformat(text)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("请输入有效日期，例如 2026-06-15。")) from exc


class CriterionForm(Form):
    """One 评分项 row; the scheme rules check the values (messages name the criterion)."""

    name = StringField(_l("评分项"), validators=[Length(max=120, message=_l("评分项名称最多120个字符。"))])
    max_score = StringField(_l("满分"), validators=[Length(max=12)])
    kind = SelectField(_l("类型"), choices=named_choices(CRITERION_KIND_NAMES), validate_choice=False)


class ModuleForm(Form):
    """One 考核模块 with its criteria rows."""

    name = StringField(_l("模块名称"), validators=[Length(max=60, message=_l("模块名称最多60个字符。"))])
    kind = SelectField(_l("类型"), choices=named_choices(MODULE_KIND_NAMES), validate_choice=False)
    weight = StringField(_l("权重（%）"), validators=[Length(max=6)])
    criteria = FieldList(FormField(CriterionForm), max_entries=60)


class EventForm(AppForm):
    """An event's fields and its scheme; kind and host are removed where they are fixed."""

    season_id = SelectField(_l("联赛年度"), coerce=optional_id, validate_choice=False,
                            validators=[InputRequired(_l("请选择联赛年度。"))])
    name = StringField(_l("赛项名称"), validators=[InputRequired(_l("请填写赛项名称。")), Length(max=120)],
                       description=_l("例如：2026年吴江区电工职业技能竞赛"))
    occupation = StringField(_l("职业（工种）"), validators=[InputRequired(_l("请填写职业（工种）。")), Length(max=60)])
    level = SelectField(_l("技能等级"), coerce=optional_id, validate_choice=False,
                        choices=[choice("", _l("请选择"))] + named_choices(LEVEL_NAMES),
                        validators=[InputRequired(_l("请选择技能等级。"))])
    kind = SelectField(_l("赛项类型"), choices=named_choices(KIND_NAMES), validate_choice=False,
                       validators=[InputRequired(_l("请选择赛项类型。"))])
    host_enterprise_id = SelectField(_l("承办企业"), coerce=optional_id, validate_choice=False,
                                     description=_l("企业赛必选。"))
    event_date = DayField(_l("比赛日期"), validators=[InputRequired(_l("请填写比赛日期。"))])
    registration_deadline = DayField(_l("报名截止日期"), validators=[InputRequired(_l("请填写报名截止日期。"))])
    venue = StringField(_l("比赛地点"), validators=[Length(max=120)])
    min_age = WholeNumberField(_l("最低年龄"), description=_l("按比赛当日的年龄。"))
    max_age = WholeNumberField(_l("最高年龄"), description=_l("按比赛当日的年龄。"))
    aggregation = SelectField(_l("汇总方法"), choices=named_choices(AGGREGATION_NAMES), validate_choice=False)
    aggregation_level = SelectField(_l("汇总层级"), choices=named_choices(AGGREGATION_LEVEL_NAMES),
                                    validate_choice=False)
    tie_breaks = SelectField(_l("并列处理"), choices=named_choices(TIE_BREAK_NAMES), validate_choice=False,
                             default="practical,time_used")
    strict_ranking = BooleanField(_l("名次不并列（严格排名）"),
                                  description=_l("仍然并列时，须由组委会确定先后并说明理由后才能签核。"))
    nomination_quota = WholeNumberField(_l("技术能手推荐名额"), default=3,
                                        description=_l("按名次推荐“吴江区技术能手”的人数。"))
    modules = FieldList(FormField(ModuleForm), max_entries=20)
    # The event's own prize tiers and floor (RULES.md §15): left blank, the policy version's tiers and pass mark.
    prize_tiers = tier_rows(_l("获奖等级"))
    prize_floor = StringField(_l("获奖分数线（总分）"), validators=[Length(max=12)],
                              description=_l("总分低于此分数的不设奖；留空则按政策的合格分数线。"))
    confirm_past_dates = BooleanField(_l("日期无误：这是已经举办或已过报名截止日期的赛项（补录）"))
    # A new event's quota as the page prefilled it: posted unchanged, the event's date decides (issue 16).
    quota_prefilled = HiddenField()


class ReasonForm(AppForm):
    """The written reason for a rejection or a cancellation."""

    reason = TextAreaField(_l("原因"), validators=[Length(max=500, message=_l("原因最多500个字符。"))])


class PanelForm(AppForm):
    """Put a judge on the panel (or change who is chief)."""

    user_id = SelectField(_l("裁判"), coerce=optional_id, validate_choice=False,
                          validators=[InputRequired(_l("请选择裁判。"))])
    is_chief = BooleanField(_l("设为裁判长"))
