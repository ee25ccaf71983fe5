"""The fund's pages (RULES.md §17): a season's budget lines (organisers edit them in rows), the district's spending
with its filters and totals, a new spending, and one spending with the organisers' decision (as subsidy claims are
decided: approve within the category's lines and the season's budget, or reject with a reason)."""
import re

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from ..context import current_actor
from ..errors import AppError
from ..extensions import db
from ..forms.events import choice
from ..forms.fund import LinesForm, RejectSpendingForm, SpendingFilters, SpendingForm
from ..models import (CATEGORY_LABELS, SOURCE_LABELS, SPENDING_CATEGORIES, SPENDING_STATE_LABELS, FundSource, Season,
                      Spending)
from ..permissions import can_manage_fund
from ..rules.messages import Message
from ..services.money import fund as service
from ..services.money.budget import committed
from ..services.towns import town_names
from . import labels
from .blueprints import fund as bp
from .common import apply_details, guard, page_filters, paginate, render_failed, render_invalid, saving
from .main import current_season

bp.before_request(guard(can_manage_fund, Message("只有组委会可以管理预算科目和区级赛事支出。")))
# No menu item of its own (the menu is full): the season page and its budget figures lead here.
CATEGORY_NAMES = {category.value: _l(label) for category, label in CATEGORY_LABELS.items()}
SOURCE_NAMES = {source.value: _l(label) for source, label in SOURCE_LABELS.items()}
STATE_NAMES = {state.value: _l(label) for state, label in SPENDING_STATE_LABELS.items()}
STATE_STYLES = {"proposed": "text-bg-warning", "approved": "text-bg-primary", "rejected": "text-bg-secondary"}
_ROW = re.compile(r"lines\[(\d+)\]\.(\w+)")

labels.ACTION_LABELS.update({"budget_lines.set": _l("设置预算科目"), "spending.record": _l("登记区级赛事支出"),
                             "spending.approve": _l("批准区级赛事支出"), "spending.reject": _l("驳回区级赛事支出")})
labels.OBJECT_LABELS.setdefault("Spending", _l("区级赛事支出"))


@bp.app_context_processor
def _helpers() -> dict:
    """Category, source and state names for every template (the season page links its lines)."""
    return {"FUND_CATEGORY_NAMES": CATEGORY_NAMES, "FUND_SOURCE_NAMES": SOURCE_NAMES,
            "SPENDING_STATE_NAMES": STATE_NAMES, "SPENDING_STATE_STYLES": STATE_STYLES,
            "can_manage_fund": can_manage_fund}


def _seasons() -> list[Season]:
    """Every season, newest first (the pickers)."""
    return list(db.session.scalars(db.select(Season).order_by(Season.year.desc())))


def _budget(season: Season) -> dict:
    """The season's budget, committed and remaining."""
    spent = committed(season.id)
    return {"budget": season.budget, "committed": spent, "remaining": season.budget - spent}


# Budget lines

def _lines_form(season: Season) -> LinesForm:
    """The lines editor: the season's lines, then blank rows; the towns in each row's select."""
    form = LinesForm()
    if not form.is_submitted():
        stored = [{"category": line.category.value, "source": line.source.value, "town": line.town or "",
                   "amount": line.amount, "note": line.note or ""} for line in service.season_lines(season.id)]
        blanks = max(len(form.lines.entries) - len(stored), 2)
        form.lines.process(None, (stored + [{} for _ in range(blanks)])[:form.lines.max_entries])
    towns = [choice("", _("— 镇（区）—"))] + [choice(t, t) for t in town_names()]
    for entry in form.lines.entries:
        entry.form.town.choices = towns
    return form


def _typed_lines(form: LinesForm) -> tuple[list[service.LineData], list[int]]:
    """The lines typed in the rows, blank rows left out, and the row index of each line sent."""
    lines, where = [], []
    for index, entry in enumerate(form.lines.entries):
        row = entry.form
        if row.blank():
            continue
        town = row.town.data if row.source.data == FundSource.TOWN.value else (row.town.data or None)
        lines.append(service.LineData(category=row.category.data or None, source=row.source.data,
                                      amount=row.amount.data, town=town or None, note=row.note.data))
        where.append(index)
    return lines, where


def _row_errors(form: LinesForm, error: AppError, where: list[int]) -> list[str]:
    """Put each problem of a line under its cell (lines[i].field → the i-th row sent); return the rest."""
    leftover = []
    for detail in error.details:
        match = _ROW.fullmatch(detail.get("field") or "")
        if match is None or int(match.group(1)) >= len(where):
            leftover.append(detail.get("message", ""))
            continue
        cells = form.lines.entries[where[int(match.group(1))]].form
        cell = cells[match.group(2)] if match.group(2) in cells._fields else cells.category
        cell.errors = [*cell.errors, detail.get("message", "")]
    return leftover


def _lines_page(season: Season, form: LinesForm, status: int = 200, error=None, details=None):
    return render_template("fund/lines.html", season=season, form=form, categories=service.season_categories(season.id),
                           budget=_budget(season), error=error, error_details=details), status


@bp.route("/seasons/<int:season_id>/budget-lines", methods=["GET", "POST"])
@login_required
def lines(season_id: int):
    """A season's lines with what each category has committed and what remains; organisers replace them."""
    season = db.get_or_404(Season, season_id)
    form = _lines_form(season)
    if not form.is_submitted():
        return _lines_page(season, form)
    if not form.validate():
        return _lines_page(season, form, 400, _("请检查填写的内容。"))
    typed, where = _typed_lines(form)
    with saving() as saved:
        service.set_lines(current_actor(), season, typed)
    if (error := saved.error) is not None:
        return _lines_page(season, form, error.status, error.message, _row_errors(form, error, where))
    flash(_("已保存预算科目。"), "success")
    return redirect(url_for("fund.lines", season_id=season.id))


# Spending

@bp.get("/spending")
@login_required
def spending():
    """The district's spending of a season, filtered by category and state, with the totals."""
    typed = page_filters(SpendingFilters)
    season = db.get_or_404(Season, typed.season) if typed.season else current_season()
    wanted = service.SpendingFilter(season.id if season else None, typed.category,
                                    typed.state.value if typed.state else None)
    page = paginate(service.spending_query(wanted)) if season is not None else None
    return render_template("fund/spending.html", season=season, seasons=_seasons(), page=page,
                           totals=service.spending_totals(wanted) if season is not None else {},
                           category_choices=[(c.value, CATEGORY_NAMES[c.value]) for c in SPENDING_CATEGORIES],
                           people=service.people_of(list(page.items)) if page is not None else {})


def _spending_form() -> SpendingForm:
    """The new-spending form with its choices; the season and event asked for (?season=, ?event=) chosen at first."""
    form = SpendingForm()
    form.season_id.choices = [choice("", _("请选择联赛年度"))] + [choice(s.id, s.name) for s in _seasons()]
    typed = page_filters(SpendingFilters)
    if not form.is_submitted():
        season = db.session.get(Season, typed.season) if typed.season else current_season()
        form.season_id.data = season.id if season else None
        if typed.category:
            form.category.data = typed.category
    season_id = form.season_id.data if isinstance(form.season_id.data, int) else None
    events = service.spending_events(season_id)
    form.event_id.choices = [choice("", _("不指定赛项"))] + [
        choice(e.id, f"{e.name}（{_('区级赛') if e.kind.value == 'district' else _('企业赛')}，{e.event_date.isoformat()}）")
        for e in events]
    return form


@bp.route("/spending/new", methods=["GET", "POST"])
@login_required
def new_spending():
    """Record a spending of the district: proposed, for an organiser to approve within its line."""
    form = _spending_form()
    if not form.validate_on_submit():
        return render_invalid("fund/new.html", form)
    data = service.SpendingData(season_id=form.season_id.data, category=form.category.data,
                                event_id=form.event_id.data, amount=form.amount.data, spent_on=form.spent_on.data,
                                voucher=form.voucher.data, note=form.note.data)
    with saving() as saved:
        record = service.record_spending(current_actor(), data)
    if (error := saved.error) is not None:
        return render_failed("fund/new.html", form, error)
    flash(_("已登记支出，待审批。"), "success")
    return redirect(url_for("fund.spending_detail", spending_id=record.id))


def _detail(spending: Spending, error: str | None = None, status: int = 200, reject=None, unsaved=None):
    """One spending with its voucher and decisions and, while proposed, its line before and after approval."""
    season = db.session.get(Season, spending.season_id)
    return render_template(
        "fund/detail.html", spending=spending, season=season, error=error,
        line=service.category_lines(spending.season_id, spending.category),
        budget=_budget(season) if season is not None else None, people=service.people_of([spending]),
        reject_form=reject or RejectSpendingForm(formdata=None), unsaved=unsaved), status


@bp.get("/spending/<int:spending_id>")
@login_required
def spending_detail(spending_id: int):
    """A spending: category, event, amount, day, voucher, note, and every decision."""
    return _detail(db.get_or_404(Spending, spending_id))


def _refused(spending_id: int, error: AppError, form=None, **forms) -> tuple[str, int]:
    """The spending's page again with the reason a decision was refused; what was typed is shown, not lost."""
    if form is not None:
        apply_details(form, error)
    unsaved = form if form is not None and error.code == "invalid_spending_state" else None
    return _detail(db.get_or_404(Spending, spending_id), error=error.message, status=error.status, unsaved=unsaved,
                   **forms)


def _decided(spending_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("fund.spending_detail", spending_id=spending_id))


@bp.post("/spending/<int:spending_id>/approve")
@login_required
def approve(spending_id: int):
    """Approve a proposed spending within its category's lines and the season's budget."""
    spending = db.get_or_404(Spending, spending_id)
    with saving() as saved:
        service.approve_spending(current_actor(), spending)
    if saved.error is not None:
        return _refused(spending_id, saved.error)
    return _decided(spending_id, _("已批准支出，金额 %(amount)s 元。", amount=format(spending.amount, ",")))


@bp.post("/spending/<int:spending_id>/reject")
@login_required
def reject(spending_id: int):
    """Reject a proposed spending with a reason."""
    spending = db.get_or_404(Spending, spending_id)
    form = RejectSpendingForm()
    if not form.validate_on_submit():
        return _detail(spending, error=_("请检查填写的内容。"), status=400, reject=form)
    with saving() as saved:
        service.reject_spending(current_actor(), spending, form.reason.data or "")
    if saved.error is not None:
        return _refused(spending_id, saved.error, form, reject=form)
    return _decided(spending_id, _("已驳回支出。"))

