"""Display names for events: statuses, lifecycle actions, and the audit labels of event.* and panel.* rows."""
from flask_babel import lazy_gettext as _l

from . import labels

# The Chinese of rules.events.STATUS_LABELS / ACTION_LABELS, as catalog entries.
STATUS_NAMES = {
    "draft": _l("草稿"), "submitted": _l("待审核"), "approved": _l("已纳入计划"), "rejected": _l("未通过"),
    "open": _l("报名中"), "closed": _l("报名截止"), "drawn": _l("已抽签"), "scoring": _l("评分中"),
    "signed_off": _l("已签核"), "notice": _l("公示中"), "final": _l("最终成绩"), "cancelled": _l("已取消"),
}
STATUS_STYLES = {
    "draft": "secondary", "submitted": "warning", "approved": "info", "rejected": "danger", "open": "success",
    "closed": "primary", "drawn": "primary", "scoring": "primary", "signed_off": "dark", "notice": "info",
    "final": "dark", "cancelled": "secondary",
}
ACTION_NAMES = {
    "submit": _l("提交审核"), "approve": _l("纳入计划"), "reject": _l("退回"), "open": _l("开放报名"),
    "close": _l("截止报名"), "start_scoring": _l("开始评分"), "cancel": _l("取消赛项"),
}
ENTRY_STATUS_NAMES = {
    "registered": _l("已报名"), "present": _l("到场"), "absent": _l("缺考"), "withdrawn": _l("退赛"),
    "disqualified": _l("取消资格"),
}

labels.ACTION_LABELS.update({
    "event.create": _l("赛项已创建"),
    "event.update": _l("赛项已修改"),
    "event.submit": _l("赛项已提交审核"),
    "event.approve": _l("赛项已纳入计划"),
    "event.reject": _l("赛项申请被退回"),
    "event.open": _l("赛项开放报名"),
    "event.close": _l("赛项截止报名"),
    "event.draw": _l("赛项已抽签"),
    "event.start_scoring": _l("赛项开始评分"),
    "event.sign_off": _l("赛项成绩已签核"),
    "event.reopen": _l("赛项重新开放评分"),
    "event.publish": _l("赛项成绩公示"),
    "event.finalize": _l("赛项成绩已确认"),
    "event.cancel": _l("赛项已取消"),
    "event.enrolment_policy": _l("报名范围已修改"),
    "panel.assign": _l("裁判已编入裁判组"),
    "panel.remove": _l("裁判已移出裁判组"),
    "event.tie_order": _l("已记录并列名次顺序"),
    "mark.enter": _l("录入评分"),
    "mark.change": _l("修改评分"),
    "mark.submit": _l("裁判提交评分"),
    "mark.refused": _l("评分被拒绝（回避）"),
})
labels.OBJECT_LABELS.setdefault("Event", _l("赛项"))
labels.FIELD_LABELS.update({
    "occupation": _l("职业（工种）"), "level": _l("技能等级"), "kind": _l("赛项类型"),
    "host_enterprise_id": _l("承办企业"), "status": _l("状态"), "event_date": _l("比赛日期"),
    "registration_deadline": _l("报名截止日期"), "venue": _l("比赛地点"), "min_age": _l("最低年龄"),
    "max_age": _l("最高年龄"), "aggregation": _l("汇总方法"), "aggregation_level": _l("汇总层级"),
    "tie_breaks": _l("并列处理"), "strict_ranking": _l("名次不并列"), "nomination_quota": _l("技术能手推荐名额"),
    "is_chief": _l("裁判长"),
    "open_to": _l("报名范围"), "invited_enterprise_ids": _l("受邀企业编号"), "invited_enterprises": _l("受邀企业"),
    "prize_tiers": _l("获奖等级"), "prize_floor": _l("获奖分数线"),
})
