"""Display names for codes (roles, audit actions, fields) and catalog entries for texts set outside the views.

handlers.py and the models hold Chinese texts (error titles, role names) that templates pass
through gettext; listing them here with lazy_gettext puts them in the English catalog.
"""
from flask_babel import lazy_gettext as _l

ROLE_NAMES = [_l("系统管理员"), _l("组委会"), _l("裁判"), _l("企业用户")]

ERROR_TEXTS = [
    _l("请求有误"), _l("请先登录"), _l("没有权限"), _l("页面不存在"), _l("不支持的请求方式"),
    _l("当前状态不允许此操作"), _l("上传文件过大"), _l("服务器内部错误"), _l("服务暂时不可用"), _l("出错了"),
    _l("请求格式有误。"), _l("请先登录。"), _l("您没有权限访问此页面。"), _l("您访问的页面或数据不存在。"),
    _l("不支持该请求方式。"), _l("上传的文件超过大小限制。"), _l("您没有权限执行此操作。"),
    _l("页面已过期或缺少安全令牌，请刷新页面后重试。"),
    _l("数据库暂时无法访问，请稍后重试。如持续出现，请联系系统管理员。"),
    _l("服务器出现意外错误，操作未保存。请稍后重试或联系系统管理员。"),
    _l("用户名或密码错误。"), _l("该账户已停用，请联系系统管理员。"),
]

ACTION_LABELS = {
    "login": _l("登录成功"),
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
    return str(ACTION_LABELS.get(action or "", action or ""))


def object_label(object_type: str | None) -> str:
    """The display name of an audited object type."""
    return str(OBJECT_LABELS.get(object_type or "", object_type or ""))


def field_label(name: str) -> str:
    """The display name of a snapshot field."""
    return str(FIELD_LABELS.get(name, name))
