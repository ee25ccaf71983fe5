"""Safe .xlsx reading (uploads) and writing (exports) on openpyxl; see reading.py and writing.py."""
from .reading import NOT_XLSX, Row, UploadLimits, check_archive, read_upload
from .writing import (DATE_FORMAT, MONEY_FORMAT, SCORE_FORMAT, XLSX_MIMETYPE, ColumnSpec, PrintSpec, SheetSpec,
                      text_cell, write_workbook)

__all__ = [
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "NOT_XLSX",
    "SCORE_FORMAT",
    "XLSX_MIMETYPE",
    "ColumnSpec",
    "PrintSpec",
    "Row",
    "SheetSpec",
    "UploadLimits",
    "check_archive",
    "read_upload",
    "text_cell",
    "write_workbook",
]
