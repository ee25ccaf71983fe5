"""Reward pages (RULES.md §16): the list's filters, an organiser's reward for an organising unit, and the decisions
(field validation only; services/league/rewards.py checks the rest)."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..models import RewardKind, RewardState
from ..typed import Id
from .base import AppForm
from .events import choice
from .fields import WholeNumberField, optional_id
from .filters import PageFilters
from .subsidy import PaymentForm, RejectClaimForm

UNIT_ENTERPRISE, UNIT_TOWN = "enterprise", "town"


class RewardFilters(PageFilters):
    """/rewards: season, state, kind."""

    season: Id | None = None
    state: RewardState | None = None
    kind: RewardKind | None = None


class OrganisingRewardForm(AppForm):
    """A reward for an organising unit (组织单位): the season, an enterprise or a town, the amount and the basis."""

    season_id = SelectField(_l("联赛年度"), coerce=optional_id, validate_choice=False,
                            validators=[InputRequired(_l("请选择联赛年度。"))])
    unit = SelectField(_l("单位类型"), choices=[choice(UNIT_ENTERPRISE, _l("企业")), choice(UNIT_TOWN, _l("镇区"))],
                       default=UNIT_ENTERPRISE, validators=[InputRequired(_l("请选择单位类型。"))])
    enterprise_id = SelectField(_l("企业"), coerce=optional_id, validate_choice=False,
                                description=_l("单位类型为“企业”时填写。"))
    town = SelectField(_l("镇区"), validate_choice=False, description=_l("单位类型为“镇区”时填写（镇区的组织机构）。"))
    amount = WholeNumberField(_l("金额（元）"), validators=[InputRequired(_l("请填写奖励金额。"))])
    basis = TextAreaField(_l("奖励依据"), validators=[InputRequired(_l("请填写奖励依据。")),
                                                  Length(max=500, message=_l("奖励依据最多500个字符。"))],
                          description=_l("例如：承办2026年度区级电工决赛，组织参赛300人次。"))


class RejectRewardForm(RejectClaimForm):
    """The written reason for rejecting a reward (the enterprise sees it)."""


class RewardPaymentForm(PaymentForm):
    """The payment of an approved reward: date and voucher number."""
