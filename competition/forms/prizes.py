"""Prize tiers as form rows (获奖等级, RULES.md §15), shared by the event form and the policy version form: each row a
name and a share in percent or a fixed count. Blank rows are ignored; the rules check the rest."""
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from ..rules.prizes import MAX_TIERS, NAME_LENGTH, TierSpec
from .fields import WholeNumberField

BASIS_NAMES = {"share": _l("比例（%）"), "count": _l("固定人数")}


class PrizeTierForm(Form):
    """One tier: its name, and a share of the ranked entries in whole percent or a fixed number of entries."""

    name = StringField(_l("获奖等级"), validators=[Length(max=NAME_LENGTH, message=_l("获奖等级名称最多20个字符。"))])
    basis = SelectField(_l("方式"), choices=[SelectChoice(code, name) for code, name in BASIS_NAMES.items()],
                        validate_choice=False, default="share")
    value = WholeNumberField(_l("数值"))


def tier_rows(label) -> FieldList:
    """MAX_TIERS rows of tiers (the page shows them all; blank ones mean nothing)."""
    return FieldList(FormField(PrizeTierForm), label=label, min_entries=MAX_TIERS, max_entries=MAX_TIERS)


def rows_posted(rows: FieldList) -> bool:
    """Whether the post carried the tier rows at all (blank rows count: they mean "the policy's"); WTForms leaves a
    field's raw_data empty when its name was not in the post."""
    return any(entry.form.name.raw_data for entry in rows.entries)


def field_posted(field) -> bool:
    """Whether the post carried this field (even empty)."""
    return bool(field.raw_data)


def typed_tiers(rows: FieldList) -> tuple[TierSpec, ...]:
    """The tiers typed into the rows, blank rows left out (a row with only a name or only a value is kept, so the
    rules can say what it lacks)."""
    tiers = []
    for entry in rows.entries:
        name, value = (entry.form.name.data or "").strip(), entry.form.value.data
        if not name and value is None:
            continue
        if entry.form.basis.data == "count":
            tiers.append(TierSpec(name, count=value))
        else:
            tiers.append(TierSpec(name, share=value))
    return tuple(tiers)


def tier_data(tiers) -> list[dict]:
    """Stored tiers ([{"name", "share" | "count"}]) as the rows' initial data."""
    return [{"name": t.get("name", ""), "basis": "count" if t.get("count") is not None else "share",
             "value": t["count"] if t.get("count") is not None else t.get("share")} for t in tiers or []]
