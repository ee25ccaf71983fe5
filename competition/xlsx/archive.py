"""The checks an uploaded .xlsx passes before python-calamine reads any of it (DESIGN.md, Safety: uploads).

The zip must be sensible: few members, no member that inflates suspiciously (zip bomb), no macros, no external
links, one format only (calamine tries .xls, .xlsx, .xlsb and .ods in turn, so a part it fails to read as one must
not be read as another). The sheets are then found as calamine finds them (the package and the workbook
relationships, paths matched without regard to case), so that no part calamine reads escapes the count of
sheet_scan.py; the shared strings may not declare more strings than the cell ceiling (calamine reserves room for
them up front), and expat refuses a DTD in every XML part calamine reads.
"""
import io
import zipfile
from xml.parsers import expat

from ..errors import Invalid, TooLarge
from ..rules.messages import Message
from ..rules.text import is_ascii_digits
from .limits import MiB, UploadLimits, corrupt
from .sheet_scan import Refused, Unread, count_sheet, stream, xml_parser

RATIO_FLOOR = 64 * 1024  # members smaller than this cannot inflate into anything harmful
SHEET_FOLDER = "xl/worksheets/"
OFFICE_DOCUMENT = "/relationships/officeDocument"
PROLOG_CHUNK = 8192  # where only the prolog and the root element are wanted, inflate no more than this at a time


def check_xlsx(data: bytes, limits: UploadLimits) -> dict[str, Unread]:
    """Every check of an .xlsx; the sheets' cells without a value, by sheet name (the first sheet of a name)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_members(archive, limits)
            sheets = _workbook_sheets(archive)
            _check_shared_strings(archive, sheets, limits)
            _check_prologs(archive, sheets)
            return _count_cells(archive, sheets, limits)
    except Refused as refused:
        raise refused.error from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
            expat.ExpatError) as exc:
        raise Invalid(corrupt()) from exc


def check_members(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    """Refuse zip bombs, macros and external links by looking at the member list (nothing inflated)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise Invalid(Message("文件内部包含%(count)s个部件，超过%(limit)s个的上限，不像是普通的报名表。",
                              count=len(members), limit=limits.max_members))
    names = {m.filename.replace("\\", "/").lower(): m for m in members}
    if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：这是 Excel 二进制工作簿（.xlsb），"
                              "请在 Excel 中另存为 .xlsx 后再上传。"))
    if "content.xml" in names and "xl/workbook.xml" not in names:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：这是 OpenDocument 表格（.ods），"
                              "请在 LibreOffice 或 WPS 中另存为 .xlsx 后再上传。"))
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：缺少工作簿内容，请使用导入模板填写后再上传。"))
    if "content.xml" in names or "xl/workbook.bin" in names:  # calamine would try it as .ods or .xlsb as well
        raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：文件同时含有多种表格格式的内容，"
                              "请用 Excel 重新保存为 .xlsx 后再上传。"))
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise TooLarge(Message("文件解压后为%(size)sMB，超过%(limit)sMB的上限，请分批导入。",
                               size=format(total / MiB, ".1f"), limit=format(limits.max_uncompressed / MiB, "g")))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise Invalid(Message("文件中的“%(part)s”压缩比异常（约%(ratio)s:1，上限%(limit)s:1），疑似压缩炸弹，已拒绝。",
                                  part=member.filename, ratio=format(ratio, ".0f"), limit=limits.max_ratio))
    types = archive.read(names["[content_types].xml"]).lower()
    if (any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names)
            or b"macroenabled" in types or b"vbaproject" in types or b"macrosheet" in types):
        raise Invalid(Message("文件包含宏（VBA），出于安全考虑不予接收。请另存为不含宏的 .xlsx 文件后再上传。"))
    if any(n.startswith("xl/externallinks/") for n in names) or b"externallink" in types:
        raise Invalid(Message("文件包含指向其他工作簿的外部链接，请删除链接或“粘贴为数值”后再上传。"))


def _local(name: str) -> str:
    """An element's name without its prefix (calamine matches local names)."""
    return name.rpartition(":")[2]


class _Sheets:
    """Where calamine will find things: (sheet name, member) in workbook order, and the shared strings."""

    def __init__(self, members: list[zipfile.ZipInfo]):
        self.lookup: dict[str, list[zipfile.ZipInfo]] = {}
        for member in members:  # calamine's path cache: '\\' as '/', case ignored
            self.lookup.setdefault(member.filename.replace("\\", "/").lower(), []).append(member)
        self.sheets: list[tuple[str, str]] = []
        self.folder = "xl/"
        self.shared_strings = ""

    def find(self, path: str) -> list[zipfile.ZipInfo]:
        """Every member calamine might open for a path (all of them when a name is repeated)."""
        return self.lookup.get(path.lower(), [])


def _elements(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], wanted: str) -> list[dict]:
    """The attributes of every element of a local name in a (small) part."""
    found: list[dict] = []

    def start(name, attributes):
        if _local(name) == wanted:
            found.append(attributes)

    for member in members[:1]:
        stream(archive, member, xml_parser(start))
    return found


def _workbook_sheets(archive: zipfile.ZipFile) -> _Sheets:
    """Resolve the sheets as calamine does: _rels/.rels names the workbook's folder, its relationships the parts."""
    sheets = _Sheets(archive.infolist())
    relations = _elements(archive, sheets.find("_rels/.rels"), "Relationship")
    target = next((r.get("Target", "") for r in relations if r.get("Type", "").endswith(OFFICE_DOCUMENT)), "xl/")
    folder = sheets.folder = target[:target.rfind("/") + 1].removeprefix("/")
    sheets.shared_strings = folder + "sharedStrings.xml"
    parts = {r.get("Id"): r.get("Target", "") for r in
             _elements(archive, sheets.find(folder + "_rels/workbook.xml.rels"), "Relationship")}
    for sheet in _elements(archive, sheets.find(folder + "workbook.xml"), "sheet"):
        rel = next((v for k, v in sheet.items() if _local(k) == "id"), None)
        target = parts.get(rel, "")
        sheets.sheets.append((sheet.get("name", ""), target[1:] if target.startswith("/") else folder + target))
    return sheets


def _check_shared_strings(archive: zipfile.ZipFile, sheets: "_Sheets", limits: UploadLimits) -> None:
    """calamine reserves room for the count the shared strings declare; refuse a count no real roster has."""
    def start(name, attributes):
        count = attributes.get("uniqueCount", "")
        if is_ascii_digits(count) and int(count) > limits.max_cells:
            raise Refused(TooLarge(limits.too_many_cells()))
        raise Refused(None)  # the first element is all that is needed

    for member in sheets.find(sheets.shared_strings)[:1]:
        try:
            stream(archive, member, xml_parser(start), chunk=PROLOG_CHUNK)
        except Refused as refused:
            if refused.error is not None:
                raise


def _check_prologs(archive: zipfile.ZipFile, sheets: "_Sheets") -> None:
    """Refuse a DTD in the one other XML part calamine reads (the relationships, the workbook and the shared strings
    went through expat already; calamine's own parser expands no entities: this is belt and braces)."""
    for path in ("styles.xml",):
        for member in sheets.find(sheets.folder + path)[:1]:
            try:
                stream(archive, member, xml_parser(_stop), chunk=PROLOG_CHUNK)
            except Refused as refused:
                if refused.error is not None:
                    raise


def _stop(_name, _attributes) -> None:
    """The root element: the prolog is over."""
    raise Refused(None)


def _count_cells(archive: zipfile.ZipFile, sheets: "_Sheets", limits: UploadLimits) -> dict[str, Unread]:
    """Count every worksheet calamine could read (sheet_scan.py); the unread cells by sheet name."""
    cells = 0
    by_path: dict[str, Unread] = {}
    paths = {path.lower() for _, path in sheets.sheets}
    paths |= {p for p in sheets.lookup if p.startswith(SHEET_FOLDER) and p.endswith(".xml") and p.count("/") == 2}
    for path in sorted(paths):
        for member in sheets.find(path):
            cells, by_path[path] = count_sheet(archive, member, limits, cells)
    unread: dict[str, Unread] = {}
    for name, path in sheets.sheets:
        if by_path.get(path.lower()) and name not in unread:
            unread[name] = by_path[path.lower()]
    return unread
