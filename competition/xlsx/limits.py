"""The ceilings an uploaded roster file must stay under, and the refusals every reader shares."""
from dataclasses import dataclass

from ..rules.messages import Message

MiB = 1024 * 1024
# Every refusal of a file that is not a readable table begins so.
NOT_READABLE = Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）")
UNSAFE_XML = Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：文件包含不安全的 XML 内容（实体或文档类型声明），已拒绝。")


def corrupt() -> str:
    """The refusal of a file that is damaged or incomplete."""
    return Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：文件已损坏或不完整，请重新保存后再上传。")


@dataclass(frozen=True)
class UploadLimits:
    """The ceilings an upload must stay under."""

    max_bytes: int = 5 * MiB
    max_members: int = 100
    max_uncompressed: int = 50 * MiB
    max_ratio: int = 100
    max_rows: int = 10_000  # data rows, the header row not counted
    max_columns: int = 64  # the template has 4; a wider sheet is not a roster
    max_cells: int = 200_000  # across every worksheet, counted before any parser builds a cell
    # The rectangle from A1 to a sheet's last value, which calamine fills cell by cell (32 bytes each) before
    # anything can look at it: a million cells is 32 MB; two stray values far apart would otherwise be billions.
    max_area: int = 1_000_000

    def too_large(self, size: int) -> str:
        """The refusal of a file over the size limit."""
        return Message("文件大小为%(size)sMB，超过%(limit)sMB的上限，请分批导入。",
                       size=format(size / MiB, ".1f"), limit=format(self.max_bytes / MiB, "g"))

    def too_many_rows(self) -> str:
        """The refusal of a file with more data rows than the cap."""
        return Message("文件的数据超过%(limit)s行的上限，请分批导入。", limit=self.max_rows)

    def too_wide(self, cell: str) -> str:
        """The refusal of a sheet with a cell past the last column a roster may use."""
        return Message("工作表有超过%(limit)s列的内容（如单元格 %(cell)s），不像是报名表。"
                       "请使用导入模板，只保留模板中的列后再上传。", limit=self.max_columns, cell=cell)

    def too_many_cells(self) -> str:
        """The refusal of a file with more cells than the ceiling."""
        return Message("文件的单元格超过%(limit)s个的上限，请删除与报名无关的内容或分批导入。",
                       limit=format(self.max_cells, ","))

    def too_spread(self, cell: str) -> str:
        """The refusal of a sheet whose values span more than the area ceiling."""
        return Message("工作表的内容分布过广（最远到单元格 %(cell)s），超过%(limit)s个单元格的范围上限。"
                       "请删除表格下方或右侧与报名无关的内容后再上传。", cell=cell, limit=format(self.max_area, ","))
