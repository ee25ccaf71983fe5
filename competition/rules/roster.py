"""Roster import rules (名单导入, RULES.md §2): the template's columns, header matching and row checks.

Contract: pure functions of plain values. Rows come in as (Excel row number, cell values) and
facts about the league (known persons, entries, enterprises, the event's limits) are passed in;
`check_roster` never raises for bad input: it returns every problem as
{"row": <Excel row number>, "field": ..., "message": ...}, with the rows that may be enrolled.
Only 姓名 and 身份证号码 are required columns; the header may sit under a few title lines. A cell the file
holds no value for (`UnreadCell`: a formula never calculated, an error value) is a problem of its row.
"""
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from .cells import UnreadCell
from .events import check_age
from .identity import check_credit_code, check_id_number, check_mobile, check_person_name, mask_name, person_from_id
from .messages import Message, listing
from .text import identifier_text

TEMPLATE_SHEET = "报名表"
GUIDE_SHEET = "填写说明"
HEADER_SEARCH_ROWS = 10  # the header may sit under a few title lines


@dataclass(frozen=True)
class Column:
    """A template column: machine key, Chinese header, width, and the hint shown in the guide."""

    key: str
    header: str
    width: int
    hint: str


COLUMNS = (
    Column("name", "姓名", 14, "必填。2至30个字符，中文或英文字母，少数民族姓名可含间隔号“·”。"),
    Column("id_number", "身份证号码", 24, "必填。18位居民身份证号码，末位可为X；本列须为“文本”格式，"
                                          "否则 Excel 会把号码变成科学计数法并丢失末位。"),
    Column("phone", "手机号码", 16, "选填。11位手机号码；本列可以省略。"),
    Column("employer_credit_code", "工作单位统一社会信用代码", 30,
           "18位统一社会信用代码，须是已在系统登记的企业。企业用户只能为本企业员工报名，可不填或省略本列（默认为本企业）。"),
)
HEADERS = tuple(c.header for c in COLUMNS)
REQUIRED = frozenset({"name", "id_number"})  # phone and employer may be missing from the header entirely
FIELD_ORDER = {c.key: i for i, c in enumerate(COLUMNS)}
ALIASES = {"身份证号": "id_number", "身份证": "id_number", "公民身份号码": "id_number", "手机号": "phone",
           "手机": "phone", "统一社会信用代码": "employer_credit_code", "工作单位信用代码": "employer_credit_code"}
_BY_HEADER = {c.header: c.key for c in COLUMNS} | ALIASES
_DECORATION = re.compile(r"\s|[*＊]|[(（][^)）]*[)）]")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[Ee]\+?[0-9]{1,2}")


@dataclass(frozen=True)
class RosterFacts:
    """What the league already knows, loaded by the service for the file's ID numbers and codes."""

    event_date: date
    today: date
    min_age: int | None = None
    max_age: int | None = None
    enterprise_id: int | None = None  # the acting enterprise user's own enterprise; None for organisers
    enterprises: Mapping[str, int] = field(default_factory=dict)  # credit code → enterprise id
    persons: Mapping[str, str] = field(default_factory=dict)  # id number → registered name
    entries: Mapping[str, int | None] = field(default_factory=dict)  # id number → employer, in this event


class Entrant(NamedTuple):
    """A valid row that is not yet enrolled in the event (a tuple: cheap to make 10,000 of)."""

    row: int
    name: str
    id_number: str
    phone: str | None
    employer_id: int | None
    birth_date: date
    gender: str
    known: bool  # the person already exists in the league


@dataclass
class RosterCheck:
    """The outcome: a file-level error, or per-row problems, the new entrants and the already-enrolled count."""

    error: str | None = None
    problems: list[dict] = field(default_factory=list)
    entrants: list[Entrant] = field(default_factory=list)
    existing: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        """True when the whole file may be imported."""
        return self.error is None and not self.problems

    @property
    def bad_rows(self) -> int:
        """How many distinct rows have a problem."""
        return len({p["row"] for p in self.problems})


def header_key(value) -> str | None:
    """The column a header cell names, ignoring spaces, asterisks and bracketed remarks."""
    if not isinstance(value, str):
        return None
    return _BY_HEADER.get(_DECORATION.sub("", value))


def match_headers(rows: Sequence[tuple[int, Sequence]]) -> tuple[int, dict[str, int]] | str:
    """(index of the header row in `rows`, column key → cell index, optional columns only when present), or one
    message listing the headers. The header is the first of the top rows that names every required column."""
    expected = "、".join(HEADERS)
    best: set[str] = set()
    for index, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, value in enumerate(values):
            key = header_key(value)
            if key in found:
                header = COLUMNS[FIELD_ORDER[key]].header
                return Message("表头中“%(header)s”列出现了两次。请使用导入模板，表头依次为：%(expected)s。",
                               header=header, expected=expected)
            if key:
                found[key] = position
        if REQUIRED <= found.keys():
            return index, found
        if len(found) > len(best):
            best = set(found)
    if not best:
        return Message("未找到表头。请使用导入模板，第一行表头依次为：%(expected)s。", expected=expected)
    missing = listing(Message("“%(header)s”", header=c.header) for c in COLUMNS
                      if c.key in REQUIRED and c.key not in best)
    return Message("表头不正确，缺少%(missing)s列。请使用导入模板，第一行表头依次为：%(expected)s。",
                   missing=missing, expected=expected)


def roster_keys(rows: Sequence[tuple[int, Sequence]]) -> tuple[set[str], set[str]]:
    """The ID numbers and credit codes a file mentions, normalised, so that facts can be loaded for them."""
    matched = match_headers(rows)
    if isinstance(matched, str):
        return set(), set()
    start, columns = matched
    ids, codes = set(), set()
    id_at, code_at = columns["id_number"], columns.get("employer_credit_code")
    for _, values in rows[start + 1:]:
        ids.add(identifier_text(_text(_cell(values, id_at))))
        if code_at is not None:
            codes.add(identifier_text(_text(_cell(values, code_at))))
    ids.discard("")
    codes.discard("")
    return ids, codes


def check_roster(rows: Sequence[tuple[int, Sequence]], facts: RosterFacts) -> RosterCheck:
    """Check every row of a roster against the rules and the league's facts; report every problem."""
    matched = match_headers(rows)
    if isinstance(matched, str):
        return RosterCheck(error=matched)
    start, columns = matched
    checker = _RowChecker(facts, columns)
    for number, values in rows[start + 1:]:
        checker.check(number, values)
    if not checker.rows:
        return RosterCheck(error=Message("文件中没有选手数据：请在表头下方逐行填写选手信息后再上传。"))
    return checker.result()


def _cell(values: Sequence, index: int):
    """The value at a position, None beyond the row's end."""
    return values[index] if index < len(values) else None


def _blank(value) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (type(value) is str and not value.strip())


def _text(value) -> str:
    """A cell as trimmed text; whole floats lose their '.0'; a cell without a value is empty."""
    if type(value) is str:
        return value.strip()
    if value is None or type(value) is UnreadCell:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _numeric_id(value) -> str | None:
    """The explanation for an ID number typed into a number-formatted cell."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    shown = f"{value:.15g}" if isinstance(value, float) else str(value)
    return Message("身份证号码单元格是数字格式（%(shown)s）：Excel 只保留15位有效数字，会丢失末位或变成科学计数法。"
                   "请将“身份证号码”列设置为“文本”格式后重新填写。", shown=shown)


def _scientific_id(text: str) -> str | None:
    """The explanation for an ID number that arrived as Excel's display of a number (3.20584E+17 in a CSV)."""
    if not _SCIENTIFIC.fullmatch(identifier_text(text)):
        return None
    return Message("身份证号码“%(shown)s”是科学计数法：Excel 把号码当作数字，只保留了15位有效数字。"
                   "请将“身份证号码”列设置为“文本”格式后重新填写。", shown=text)


class _RowChecker:
    """Checks rows one by one, remembering what duplicates and counts need across rows."""

    def __init__(self, facts: RosterFacts, columns: dict[str, int]):
        self.facts = facts
        self.name_at, self.id_at = columns["name"], columns["id_number"]  # required: match_headers found them
        self.phone_at, self.code_at = columns.get("phone"), columns.get("employer_credit_code")  # None: not in file
        self.widest = max(at for at in columns.values())
        self.problems: dict[int, list[dict]] = {}
        self.entrants: dict[int, Entrant] = {}
        self.existing: dict[int, str] = {}  # row → ID number, already enrolled identically
        self.seen: dict[str, list[int]] = {}
        self.employers: dict[str, tuple[int | None, str | None]] = {}
        self.rows = 0

    def check(self, number: int, values: Sequence) -> None:
        """Check one row; blank rows are skipped."""
        if len(values) <= self.widest:
            values = tuple(values) + (None,) * (self.widest + 1 - len(values))
        name_raw, id_raw = values[self.name_at], values[self.id_at]
        phone_raw = None if self.phone_at is None else values[self.phone_at]
        code_raw = None if self.code_at is None else values[self.code_at]
        if _blank(name_raw) and _blank(id_raw) and _blank(phone_raw) and _blank(code_raw):
            return
        self.rows += 1
        if UnreadCell in (type(name_raw), type(id_raw), type(phone_raw), type(code_raw)):
            self.problems[number] = [_problem(number, c.key, raw.problem()) for c, raw in
                                     zip(COLUMNS, (name_raw, id_raw, phone_raw, code_raw)) if type(raw) is UnreadCell]
            return
        problems: list[dict] = []
        name = check_person_name(_text(name_raw))
        if name.error is not None:
            problems.append(_problem(number, "name", name.error))
        id_number = self._id_number(number, id_raw, problems)
        phone = check_mobile(_text(phone_raw))
        if phone.error is not None:
            problems.append(_problem(number, "phone", phone.error))
        employer_id = self._employer(number, code_raw, problems)
        if id_number is not None:
            self.seen.setdefault(id_number, []).append(number)
            person = person_from_id(id_number)
            self._league(number, id_number, person.birth_date, name.value, employer_id, problems)
            if not problems and number not in self.existing:
                self.entrants[number] = Entrant(number, name.passed_value, id_number, phone.value, employer_id,
                                                person.birth_date, person.gender, id_number in self.facts.persons)
        if problems:
            self.problems[number] = problems

    def _id_number(self, number: int, value, problems: list) -> str | None:
        """The normalised ID number, or None with the problem recorded."""
        if (why := _numeric_id(value)):
            problems.append(_problem(number, "id_number", why))
            return None
        text = _text(value)
        checked = check_id_number(text, today=self.facts.today)
        if checked.error is not None:
            problems.append(_problem(number, "id_number", _scientific_id(text) or checked.error))
        return checked.value

    def _employer(self, number: int, value, problems: list) -> int | None:
        """The employer's id from its credit code (own enterprise when blank for enterprise users)."""
        code = identifier_text(_text(value))
        if code not in self.employers:
            self.employers[code] = self._resolve(code)
        employer_id, why = self.employers[code]
        if why:
            problems.append(_problem(number, "employer_credit_code", why))
        return employer_id

    def _resolve(self, code: str) -> tuple[int | None, str | None]:
        """(enterprise id, None) or (None, reason) for one credit code."""
        own = self.facts.enterprise_id
        if not code:
            return own, None
        checked = check_credit_code(code)
        if not checked.ok:
            return None, checked.error
        found = self.facts.enterprises.get(checked.passed_value)
        if found is None:
            return None, Message("统一社会信用代码 %(code)s 对应的企业尚未在系统中登记，请先联系组委会登记该企业。",
                                 code=checked.value)
        if own is not None and found != own:
            return None, Message("企业用户只能为本企业员工报名：该统一社会信用代码不是本企业的。")
        return found, None

    def _league(self, number: int, id_number: str, born: date, name: str | None, employer_id: int | None,
                problems: list) -> None:
        """Age limits, the name the league knows for this ID, and an earlier entry in this event."""
        facts = self.facts
        if (why := check_age(born, facts.event_date, facts.min_age, facts.max_age)):
            problems.append(_problem(number, "id_number", why))
        known = facts.persons.get(id_number)
        if known is not None and name is not None and known != name:
            problems.append(_problem(number, "name", Message("该身份证号码在联赛中已登记的姓名为“%(registered)s”，"
                                                              "与填写的“%(name)s”不一致，请核对。",
                                                              registered=mask_name(known), name=name)))
        if id_number in facts.entries:
            if facts.entries[id_number] != employer_id:
                problems.append(_problem(number, "employer_credit_code",
                                         Message("该选手已以其他工作单位报名本赛项；如需更改工作单位，请联系组委会。")))
            elif not problems:
                self.existing[number] = id_number

    def result(self) -> RosterCheck:
        """Duplicates within the file are reported on every row involved; nothing duplicated is enrolled."""
        for id_number, numbers in self.seen.items():
            if len(numbers) < 2:
                continue
            for number in numbers:
                others = listing(Message("第%(row)s行", row=n) for n in numbers if n != number)
                self.problems.setdefault(number, []).append(
                    _problem(number, "id_number", Message("身份证号码与%(rows)s重复。", rows=others)))
                self.entrants.pop(number, None)
                self.existing.pop(number, None)
        problems = [p for number in sorted(self.problems) for p in
                    sorted(self.problems[number], key=lambda p: FIELD_ORDER[p["field"]])]
        return RosterCheck(problems=problems, entrants=[self.entrants[n] for n in sorted(self.entrants)],
                           existing=len(self.existing), rows=self.rows)


def _problem(row: int, key: str, message: str) -> dict:
    """One problem in the {"row", "field", "message"} shape; the message names the column."""
    header = COLUMNS[FIELD_ORDER[key]].header
    return {"row": row, "field": key, "message": Message("第%(row)s行 %(column)s：%(problem)s", row=row, column=header,
                                                         problem=message)}


def guide_lines(max_rows: int = 10_000, max_megabytes: int = 5) -> list[str]:
    """The 填写说明 sheet's text: one line per rule."""
    return [f"{c.header}：{c.hint}" for c in COLUMNS] + [
        "可以上传 .xlsx（Excel、WPS、LibreOffice 保存的均可）、.xls 或 .csv（UTF-8 或 GBK 编码）文件；"
        f"单个文件不超过{max_megabytes}MB、{max_rows}行。",
        "每位选手一行；空行会被跳过。表头上方可以有标题行，请不要修改表头的列名。",
        "同一身份证号码在同一文件中只能出现一次；同一选手在同一赛项中只能报名一次。",
        "身份证号码已在联赛中登记的，姓名须与登记的一致。比赛当日年龄须符合赛项的年龄要求。",
        "导入时只要有一行有误，整份名单都不会导入；请按提示逐行修改后重新上传。重复上传同一名单不会重复报名。",
        "含公式的单元格按保存时的计算结果导入；请勿使用宏或指向其他文件的链接。",
    ]

