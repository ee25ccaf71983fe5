"""Cells whose value an uploaded file does not hold (RULES.md §4, roster files).

Contract: a reader puts an `UnreadCell` where a cell should have a value but the file has none to give: a formula
saved by a program that never calculated it (no saved result), or an error value such as #N/A. The roster check
reports it on the cell's row, naming the cell and the fix, only when the cell is in a column the import reads.
"""
from typing import NamedTuple

from .messages import Message

FORMULA = "formula"  # a formula without a saved result
ERROR = "error"  # an error value (#N/A, #REF!, #DIV/0! …), computed or typed


class UnreadCell(NamedTuple):
    """A cell the file holds no value for: its reference (B3) and why (FORMULA or ERROR)."""

    cell: str
    why: str

    def problem(self) -> str:
        """What is wrong with the cell and how to fix it."""
        if self.why == ERROR:
            return Message("单元格 %(cell)s 是错误值（如 #N/A、#REF!），请改正公式或“粘贴为数值”后再上传。", cell=self.cell)
        return Message("单元格 %(cell)s 的公式没有保存计算结果，请在 Excel 中打开并保存，或“粘贴为数值”后再上传。",
                       cell=self.cell)


def cell_name(row: int, column: int) -> str:
    """A cell's A1 reference from its 1-based row and column (3, 2 → B3)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"
