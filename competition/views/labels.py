"""Display names for codes (audit actions, objects, fields).

Texts set outside the views (error titles, role names, the rules' reasons) are Messages where they are written, and
babel extracts them from there (issue 17, item 4); no list of catalog entries is kept here.
"""
from flask_babel import lazy_gettext as _l

from ..i18n import as_text

ACTION_LABELS = {
    "login": _l("登录成功"),
    "calendar.replace": _l("录入工作日历"),
    "login.failed": _l("登录失败"),
    "login.locked": _l("账户被锁定"),
    "login.refused_locked": _l("锁定期间尝试登录"),
    "login.refused_disabled": _l("停用账户尝试登录"),
    "logout": _l("登出"),
    "refused": _l("拒绝访问"),
    "token.issue": _l("签发接口令牌"),
    "user.create": _l("用户已创建"),
    "user.update": _l("用户资料已修改"),
    "user.disable": _l("用户已停用"),
    "user.enable": _l("用户已启用"),
    "user.reset_password": _l("管理员重置密码"),
    "user.unlock": _l("解除登录锁定"),
    "identity.merge": _l("合并同一人的重复记录"),
    "identity.duplicate_entry": _l("删除同一人的重复报名"),
    "identity.doubled_title": _l("撤销重复授予的技术能手称号"),
    "identity.duplicate_nomination": _l("撤销同一人的重复提名"),
    "identity.duplicate_enterprise": _l("发现重复登记的企业"),
    "user.change_password": _l("用户修改密码"),
    "enterprise.create": _l("企业已登记"),
    "enterprise.update": _l("企业信息已修改"),
    "season.create": _l("联赛年度已创建"),
    "season.update": _l("联赛年度已修改"),
}

OBJECT_LABELS = {
    "User": _l("用户"),
    "Enterprise": _l("企业"),
    "Season": _l("联赛年度"),
    "ApiToken": _l("接口令牌"),
    "PolicyVersion": _l("政策版本"),
    "WorkingCalendar": _l("工作日历"),
    "Event": _l("赛项"),
    "Entry": _l("报名记录"),
    "SubsidyClaim": _l("补贴申请"),
    "Nomination": _l("技术能手提名"),
    "PanelMember": _l("裁判组成员"),
}

FIELD_LABELS = {
    "username": _l("用户名"),
    "display_name": _l("显示名称"),
    "role": _l("角色"),
    "enterprise_id": _l("所属企业"),
    "employer_id": _l("工作单位"),
    "is_disabled": _l("已停用"),
    "name": _l("名称"),
    "credit_code": _l("统一社会信用代码"),
    "town": _l("所属镇（区）"),
    "year": _l("年度"),
    "budget": _l("预算（元）"),
    "user_id": _l("用户"),
    "expires_at": _l("到期时间"),
    "source": _l("数据来源"),
    "days": _l("录入的日期"),
}

# Policy figures in table order, with the Chinese column names of the policy page.
POLICY_COLUMNS = [
    ("participant_threshold", _l("参赛人数门槛")),
    ("subsidy_amount", _l("补贴金额")),
    ("subsidies_per_enterprise_year", _l("每企业每年补贴次数")),
    ("expert_subsidy", _l("技术能手补贴")),
    ("nomination_quota", _l("默认推荐名额")),
    ("pass_mark", _l("合格分")),
    ("notice_working_days", _l("公示工作日")),
]
MONEY_FIGURES = {"subsidy_amount", "expert_subsidy"}


def action_label(action: str | None) -> str:
    """The display name of an audit action (the code itself when unknown)."""
    return as_text(ACTION_LABELS.get(action or "", action or ""))


def object_label(object_type: str | None) -> str:
    """The display name of an audited object type."""
    return as_text(OBJECT_LABELS.get(object_type or "", object_type or ""))


def field_label(name: str) -> str:
    """The display name of a snapshot field."""
    return as_text(FIELD_LABELS.get(name, name))
