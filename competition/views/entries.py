"""Entries of an event: enrolment, roster import, check-in, draw, exports.

The routes live in entries_roster.py, entries_import.py, entries_checkin.py and entries_draw.py,
all on this one blueprint; this module creates it and adds the audit labels of its actions.
"""
from flask_babel import lazy_gettext as _l

from . import labels
from .entries_common import template_helpers
from .blueprints import entries as bp

bp.context_processor(template_helpers)

labels.ACTION_LABELS.update({
    "entry.create": _l("选手已报名"),
    "entry.import": _l("导入报名名单"),
    "entry.check_in": _l("检录"),
    "entry.disqualify": _l("取消资格"),
    "entry.update": _l("修改报名信息"),
    "entry.remove": _l("删除报名"),
    "entry.withdraw": _l("退赛"),
    "entry.time_used": _l("记录用时"),
    "person.reveal_id": _l("查看完整身份证号码"),
    "event.draw": _l("抽签"),
})
labels.OBJECT_LABELS.update({"Entry": _l("报名"), "Person": _l("选手"), "Event": _l("赛项")})
labels.FIELD_LABELS.update({
    "status": _l("状态"), "event_id": _l("赛项"), "person_id": _l("选手"), "entry_id": _l("报名"),
    "seed": _l("随机种子"), "numbers": _l("参赛号"), "rows": _l("行数"), "created": _l("新报名"),
    "existing": _l("已在名单中"), "persons_created": _l("新登记选手"), "phones_added": _l("补充手机号"),
    "filename": _l("文件名"), "count": _l("人数"), "phone": _l("手机号码"),
    "number": _l("参赛号"), "time_used_seconds": _l("用时（秒）"), "absent_not_checked_in": _l("未检录记为缺考"),
})
