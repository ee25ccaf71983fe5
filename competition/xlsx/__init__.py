"""Uploaded roster files read safely (.xlsx, .xls and .csv on python-calamine and the csv module) and exports
written with openpyxl; see reading.py and writing.py."""
from .limits import NOT_READABLE, UploadLimits
from .reading import Row, check_archive, read_upload
from .writing import (DATE_FORMAT, MONEY_FORMAT, SCORE_FORMAT, XLSX_MIMETYPE, ColumnSpec, PrintSpec, SheetSpec,
                      text_cell, write_workbook)

__all__ = [
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "NOT_READABLE",
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
