"""Entries: enrol one or a roster, list by role (judges see numbers only), rosters as xlsx, check-in and more."""
from types import SimpleNamespace

from flask import jsonify, request
from flask_babel import gettext as _

from ..errors import Invalid, NotAllowed
from ..extensions import db
from ..limits import uploads
from ..jobs.exports import build_export, export_job, roster_params
from ..jobs.roster import import_job
from ..models import Entry, EntryStatus, Event, Role
from ..permissions import (can_check_in, can_correct_entry, can_disqualify, can_record_time, can_reveal_id_number,
                           can_view_entries, can_withdraw_entry, is_staff, require, require_enrolment)
from ..services.events import entries as entry_service
from ..services.events import entry_changes
from ..services.events import roster
from ..services.events.entries import EntryData
from ..services.events.entry_extras import entry_query, record_time_used, reveal_id_number
from ..views.common import xlsx_download
from ..rules.messages import Message
from .entry_schemas import (BlindEntryOut, BulkCheckInIn, BulkCheckInOut, CheckInIn, EntryFilter, EntryIn, EntryOut,
                            EntryPatch, EntryStateOut, ExportQuery, ImportOut, ImportPreviewOut, ImportQuery,
                            RevealOut, StaffEntryOut, TimeUsedIn)
from .certificate_schemas import JobOut
from .certificates import job_accepted
from .event_schemas import ReasonIn
from .framework import EVERY_ROLE, STAFF_ROLES, actor, api_route, api_user, get_or_404
from .inputs import merged
from .pagination import paginate, parse_page
from .schemas import ApiIn

TAGS = ["entries"]
ENROLLERS = (Role.ADMIN, Role.ORGANISER, Role.ENTERPRISE)


def _event(event_id: int, allowed, message: str) -> Event:
    """Load an event and check the caller against a predicate of (user, event)."""
    event = get_or_404(Event, event_id)
    require(allowed(api_user(), event), message)
    return event


def _enrollable(event_id: int, message: str) -> Event:
    """Load an event the caller may enrol in (add entries, import a roster): the host's roster is the host's."""
    event = get_or_404(Event, event_id)
    require_enrolment(api_user(), event, message)
    return event


def _entry(entry_id: int, allowed, message: str) -> Entry:
    """Load an entry and check the caller against a predicate of (user, the entry's event)."""
    entry = get_or_404(Entry, entry_id)
    require(allowed(api_user(), entry.event), message)
    return entry


def _own_enterprise(user) -> int | None:
    """Enterprise users see their own employees only (0 matches nobody); staff and judges are not limited here."""
    return (user.enterprise_id or 0) if user.role is Role.ENTERPRISE else None


def entry_model(user, event: Event) -> type[EntryOut] | type[BlindEntryOut]:
    """How the caller sees an event's entries: blind (judges, always: API.md), masked, or staff.

    Judges read published names from the masked results, never from the entry list.
    """
    if user.role is Role.JUDGE:
        return BlindEntryOut
    return StaffEntryOut if is_staff(user) else EntryOut


@api_route("/events/<int:event_id>/entries", methods=["POST"], body=EntryIn, response=EntryOut, status=201,
           roles=ENROLLERS, summary="报名", tags=TAGS)
def create_entry(event_id: int, body: EntryIn):
    """Enrol one contestant in an open event (enterprise users: their own employees only)."""
    event = _enrollable(event_id, Message("您无权为该赛项报名。"))
    entry = entry_service.enrol(actor(), event, EntryData(**body.model_dump()))
    response = jsonify(entry_model(api_user(), event).model_validate(entry).model_dump(mode="json"))
    response.status_code = 201
    return response


@api_route("/events/<int:event_id>/entries/import", methods=["POST"], query=ImportQuery, response=ImportOut,
           roles=ENROLLERS, summary="导入报名名单", tags=TAGS, errors=[413, 429], limits=[uploads],
           description="以 multipart 表单字段 file 上传报名名单：.xlsx（Excel、WPS、LibreOffice 保存的均可）、.xls "
                       "或 .csv（UTF-8 或 GBK 编码）。文件类型按内容识别，与文件名无关；公式单元格按保存时的计算结果读取。"
                       "按导入模板的列填写：姓名、身份证号码必填，手机号码、工作单位统一社会信用代码两列可以省略，"
                       "表头上方可以有标题行。全部导入或全部不导入：任何一行有误返回 400，details 列出每一行的问题，"
                       "不保存任何数据。?dry_run=1 只检查、不保存。")
def import_entries(event_id: int, query: ImportQuery):
    """Enrol every row of an uploaded roster (.xlsx, .xls or .csv, multipart field `file`) or none; `?dry_run=1`
    only checks."""
    event = _enrollable(event_id, Message("您无权为该赛项导入名单。"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = Message("请以表单字段 file 上传按模板填写的报名名单（.xlsx、.xls 或 .csv）。")
        raise Invalid(message, details=[{"field": "file", "message": message}])
    data = upload.read()
    if query.dry_run:
        return jsonify(ImportPreviewOut.model_validate(roster.preview_import(actor(), event, data)).model_dump())
    return roster.import_roster(actor(), event, data, filename=upload.filename)


@api_route("/events/<int:event_id>/entries/import-jobs", methods=["POST"], response=JobOut, status=202,
           roles=ENROLLERS, summary="后台导入报名名单", tags=TAGS, errors=[400, 413, 429], limits=[uploads],
           description="与 /entries/import 相同的文件（multipart 表单字段 file），作为后台任务导入，适合大文件：立即返回 202 "
                       "与任务；按 status_url 查询进度。完成后 result 为 {created, existing}；有误时任务失败，result.details "
                       "列出每一行的问题，不保存任何数据。")
def import_entries_job(event_id: int):
    """Queue the import of an uploaded roster (all rows or none, as /entries/import): 202 with the job to poll."""
    event = _enrollable(event_id, Message("您无权为该赛项导入名单。"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        message = Message("请以表单字段 file 上传按模板填写的报名名单（.xlsx、.xls 或 .csv）。")
        raise Invalid(message, details=[{"field": "file", "message": message}])
    job_id = import_job(actor(), event, upload.read(), upload.filename)  # runs once this request commits
    return job_accepted(job_id)


@api_route("/events/<int:event_id>/entries/template.xlsx", roles=ENROLLERS, summary="报名名单模板", tags=TAGS)
def entries_template(event_id: int):
    """The .xlsx import template, with a sheet of instructions."""
    _enrollable(event_id, Message("您无权为该赛项报名。"))
    return xlsx_download(roster.roster_template(), _("报名名单模板.xlsx"))


@api_route("/events/<int:event_id>/entries", roles=EVERY_ROLE, query=EntryFilter, response=EntryOut, paginated=True,
           summary="报名列表", tags=TAGS)
def list_entries(event_id: int, query: EntryFilter):
    """Entries: staff all, enterprises their own employees, judges numbers only (after the draw)."""
    user = api_user()
    event = _event(event_id, can_view_entries, Message("您无权查看该赛项的报名。"))
    model = entry_model(user, event)
    if model is BlindEntryOut:
        if query.q or query.employer_id:
            raise NotAllowed(Message("评分期间裁判只能看到参赛号，不能按姓名或工作单位查找。"))
        select = entry_query(event, status=query.status, numbered_only=True)
    else:
        select = entry_query(event, status=query.status, employer_id=query.employer_id, search=query.q,
                             own_enterprise=_own_enterprise(user))
    return jsonify(paginate(select, model, parse_page()))


class ExportJobIn(ApiIn):
    """The options of GET /entries.xlsx as a JSON body (`{}` for none): `reveal_ids` (staff only, audited) writes whole
    ID numbers."""

    reveal_ids: bool = False


def _export_params(event_id: int, reveal_ids: bool) -> dict:
    """The roster export the caller may have (jobs/exports.py): enterprises their own employees; whole ID numbers
    for staff only."""
    user = api_user()
    event = _event(event_id, can_view_entries, Message("您无权导出该赛项的报名名单。"))
    if reveal_ids:
        require(can_reveal_id_number(user), Message("只有组委会可以导出完整身份证号码。"))
    return roster_params(event, _own_enterprise(user), api=True, reveal_ids=reveal_ids)


@api_route("/events/<int:event_id>/entries.xlsx", query=ExportQuery, roles=ENROLLERS, summary="导出报名名单",
           tags=TAGS)
def export_entries(event_id: int, query: ExportQuery):
    """The roster as .xlsx (enterprises: their own employees); `?reveal_ids=1` is for staff and audited."""
    data, name = build_export("roster", _export_params(event_id, query.reveal_ids), actor())
    return xlsx_download(data, name)


@api_route("/events/<int:event_id>/entries/export-jobs", methods=["POST"], body=ExportJobIn, response=JobOut,
           status=202, roles=ENROLLERS, summary="后台导出报名名单", tags=TAGS,
           description="与 GET /entries.xlsx 相同的名单与选项，选项在 JSON 请求体中（无选项时为 {}；"
                       "{\"reveal_ids\": true} 即 ?reveal_ids=1，仅限组委会，写入审计日志；企业用户只含本企业员工），"
                       "作为后台任务生成，适合大名单：立即返回 202 与任务；按 status_url 查询进度，完成后从 result_url "
                       "下载 .xlsx。")
def export_entries_job(event_id: int, body: ExportJobIn):
    """Queue the roster export of GET /entries.xlsx (same rows and options, in the body): 202 with the job to poll."""
    job_id = export_job(actor(), "roster", _export_params(event_id, body.reveal_ids))  # queued when this commits
    return job_accepted(job_id)


@api_route("/events/<int:event_id>/sign-in-sheet.xlsx", roles=STAFF_ROLES, allow=is_staff, summary="签到表", tags=TAGS)
def sign_in_sheet(event_id: int):
    """The printable sign-in sheet of everyone not withdrawn."""
    event = _event(event_id, can_check_in, Message("只有组委会可以打印签到表。"))
    rows = [e for e in db.session.scalars(entry_query(event)) if e.status is not EntryStatus.WITHDRAWN]
    return xlsx_download(roster.sign_in_sheet(event, rows), _("%(event)s-签到表.xlsx", event=event.name))


@api_route("/entries/<int:entry_id>/check-in", roles=STAFF_ROLES, methods=["POST"], body=CheckInIn, response=EntryStateOut,
           allow=is_staff, summary="检录", tags=TAGS)
def check_in_entry(entry_id: int, body: CheckInIn):
    """Mark one entry present, absent or withdrawn (before the draw)."""
    entry = _entry(entry_id, can_check_in, Message("只有组委会可以检录。"))
    entry_service.check_in(actor(), [entry], body.status)
    return entry


@api_route("/events/<int:event_id>/check-in", roles=STAFF_ROLES, methods=["POST"], body=BulkCheckInIn, response=BulkCheckInOut,
           allow=is_staff, summary="批量检录", tags=TAGS)
def check_in_entries(event_id: int, body: BulkCheckInIn):
    """Mark several entries of the event at once; any unknown entry or refusal changes none."""
    event = _event(event_id, can_check_in, Message("只有组委会可以检录。"))
    wanted = sorted(set(body.entry_ids))
    found = list(db.session.scalars(db.select(Entry).where(Entry.event_id == event.id, Entry.id.in_(wanted))
                                    .order_by(Entry.id)))
    missing = sorted(set(wanted) - {e.id for e in found})
    if missing:
        raise Invalid(Message("有%(count)s条报名不属于本赛项，未做任何检录。", count=len(missing)),
                      details=[{"field": "entry_ids", "message": Message("报名 %(id)s 不属于本赛项。", id=i)}
                               for i in missing])
    return {"changed": entry_service.check_in(actor(), found, body.status)}


@api_route("/entries/<int:entry_id>/disqualify", methods=["POST"], body=ReasonIn, response=EntryStateOut,
           roles=(Role.ADMIN, Role.ORGANISER, Role.JUDGE), summary="取消资格", tags=TAGS)
def disqualify_entry(entry_id: int, body: ReasonIn):
    """Disqualify a present entry with a written reason (organisers, the chief judge)."""
    entry = _entry(entry_id, can_disqualify, Message("只有组委会或本赛项裁判长可以取消选手资格。"))
    return entry_service.disqualify(actor(), entry, body.reason)


@api_route("/entries/<int:entry_id>/time-used", methods=["POST"], body=TimeUsedIn, response=EntryStateOut,
           roles=(Role.ADMIN, Role.ORGANISER, Role.JUDGE), summary="记录用时", tags=TAGS)
def record_entry_time(entry_id: int, body: TimeUsedIn):
    """Record the seconds a present contestant used (organisers, panel judges; drawn or scoring events)."""
    entry = _entry(entry_id, can_record_time, Message("只有组委会或本赛项裁判可以记录用时。"))
    return record_time_used(actor(), entry, body.seconds)


def _correctable(entry_id: int) -> Entry:
    """An entry the caller may correct (staff; an enterprise user its own employees')."""
    entry = get_or_404(Entry, entry_id)
    require(can_correct_entry(api_user(), entry), Message("只能修改或删除本企业员工的报名。"))
    return entry


@api_route("/entries/<int:entry_id>", methods=["PATCH"], body=EntryPatch, response=EntryOut,
           roles=ENROLLERS, summary="修改报名", tags=TAGS, errors=[409])
def update_entry(entry_id: int, body: EntryPatch):
    """Correct an entry's mobile and employer before the draw (409 after it: only a withdrawal then)."""
    entry = _correctable(entry_id)
    values = merged(body, SimpleNamespace(phone=entry.person.phone, employer_id=entry.employer_id),
                    ("phone", "employer_id"))
    entry_changes.update_entry(actor(), entry, phone=values["phone"] or None, employer_id=values["employer_id"])
    return jsonify(entry_model(api_user(), entry.event).model_validate(entry).model_dump(mode="json"))


@api_route("/entries/<int:entry_id>", methods=["DELETE"], status=204, roles=ENROLLERS, summary="删除报名",
           tags=TAGS, errors=[409])
def remove_entry(entry_id: int):
    """Remove an entry before the draw; audited (409 after the draw)."""
    entry_changes.remove_entry(actor(), _correctable(entry_id))


@api_route("/entries/<int:entry_id>/withdraw", roles=STAFF_ROLES, methods=["POST"], body=ReasonIn, response=EntryStateOut,
           allow=is_staff, summary="退赛", tags=TAGS, errors=[409])
def withdraw_entry(entry_id: int, body: ReasonIn):
    """After the draw, record that a present contestant withdrew, with the reason (organisers)."""
    entry = _entry(entry_id, can_withdraw_entry, Message("只有组委会可以办理退赛。"))
    return entry_changes.withdraw_entry(actor(), entry, body.reason)


@api_route("/entries/<int:entry_id>/reveal-id", roles=STAFF_ROLES, methods=["POST"], response=RevealOut, allow=can_reveal_id_number,
           summary="查看完整身份证号码", tags=TAGS)
def reveal_entry_id(entry_id: int):
    """The whole ID number of an entry's contestant, for staff; the reveal is written to the audit log."""
    entry = get_or_404(Entry, entry_id)
    return {"entry_id": entry.id, "id_number": reveal_id_number(actor(), entry)}
