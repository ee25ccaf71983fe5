"""The checks a legacy .xls (an OLE compound file holding a BIFF workbook stream) passes before python-calamine
reads it (DESIGN.md, Safety: uploads).

calamine trusts the container and the records: a directory chain that loops never ends, a record shorter than its
kind panics, and every sheet is laid out at once as a dense grid from its first to its last cell (two cells at A1
and IV65536 are 16 million cells). So the container is walked here first, every chain bounded and free of loops,
and each sheet's cell records are walked the way calamine walks them: their count, widest column and the
rectangle of cells are held to the same ceilings as an .xlsx. On the way: a VBA storage (_VBA_PROJECT_CUR) or a
macro sheet refuses the file, an encrypted workbook (FILEPASS, or an encrypted .xlsx, which is an OLE file too)
is named as password-protected, and error values (#N/A) are noted for the row check.
"""
import struct
from dataclasses import dataclass, field

from ..errors import Invalid, TooLarge
from ..rules.cells import ERROR, UnreadCell, cell_name
from ..rules.messages import Message
from .limits import UploadLimits, corrupt

LAST_SECTOR = 0xFFFFFFFA  # ids from here on are markers (end of chain, free, FAT, DIFAT)
DIFAT_SECTOR = 0xFFFFFFFC
END_OF_CHAIN = 0xFFFFFFFE
MINI_CUTOFF = 4096  # calamine's (and the format's) threshold for streams kept in the mini stream
MINI_SECTOR = 64
U16X4 = struct.Struct("<HHHH")
# The records calamine turns into cells: Number, Label, RString, BoolErr, RK, LabelSst, Formula (MulRk apart).
CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
BOF, EOF, FILEPASS, BOUNDSHEET, MULRK, DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x00BD, 0x0200
MACRO_SHEETS = (1, 6)  # BoundSheet8 dt: Excel 4.0 macro sheet, VBA module
MAX_SHEETS = 255  # calamine lays out every sheet when it opens a file; a roster has a few


def password_protected() -> str:
    """The refusal of an encrypted workbook."""
    return Message("文件设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中取消密码后重新保存，再上传。")


def macros() -> str:
    """The refusal of a workbook with macros."""
    return Message("文件包含宏（VBA），出于安全考虑不予接收。请另存为不含宏的 .xlsx 文件后再上传。")


@dataclass
class OleFacts:
    """What the walk learnt: the error cells of each sheet, by name."""

    unread: dict[str, list[tuple[int, int, UnreadCell]]] = field(default_factory=dict)


def check_xls(data: bytes, limits: UploadLimits) -> OleFacts:
    """Every check of an OLE file that should be a workbook; raises Invalid or TooLarge."""
    try:
        container = _Container(data)
        names = container.names()
        if {"encryptioninfo", "encryptedpackage"} & names:
            raise Invalid(password_protected())
        if {"_vba_project_cur", "vba", "_vba_project"} & names:
            raise Invalid(macros())
        stream = container.stream("workbook") or container.stream("book")
        if stream is None:
            raise Invalid(Message("文件不是有效的表格文件（.xlsx、.xls 或 .csv）：这个 Office 文件不是 Excel 工作簿"
                                  "（可能是 Word 文档），请上传报名表。"))
        return _Workbook(stream, limits).check()
    except (struct.error, IndexError, ValueError, KeyError) as exc:
        raise Invalid(corrupt()) from exc


class _Container:
    """A compound file's sectors, FAT, directory and mini stream, each chain checked to end without a loop."""

    def __init__(self, data: bytes):
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise ValueError("sector sizes")
        self.size = 1 << shift
        self.sectors = max(0, -(-(len(data) - self.size) // self.size))  # a short last sector counts
        directory, _, _, mini_fat, _, difat = struct.unpack_from("<6I", data, 48)
        fat_sectors = [s for s in self._difat(difat) if s < DIFAT_SECTOR]  # as calamine reads them
        self.fat: list[int] = []
        for sector in fat_sectors:
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", data, self._offset(sector)))
        entries = self._read(self._chain(directory, self.fat, self.sectors))
        self.entries = [entries[i:i + 128] for i in range(0, len(entries) - 127, 128)]
        if not self.entries:
            raise ValueError("no root entry")
        root_start, root_size = self._extent(self.entries[0])
        self.mini_stream = self._read(self._chain(root_start, self.fat, self.sectors))[:root_size]
        table = self._read(self._chain(mini_fat, self.fat, self.sectors)) if mini_fat < LAST_SECTOR else b""
        self.mini_fat = list(struct.unpack_from(f"<{len(table) // 4}I", table))

    def _offset(self, sector: int) -> int:
        """Where a sector starts; a sector past the end of the file is damage."""
        if sector >= self.sectors:
            raise ValueError("sector beyond the file")
        return (sector + 1) * self.size

    def _difat(self, sector: int) -> list[int]:
        """The FAT's sector ids: 109 in the header, the rest in a chain of DIFAT sectors (each ends with the next)."""
        ids = list(struct.unpack_from("<109I", self.data, 76))
        seen: set[int] = set()
        while sector < LAST_SECTOR:
            if sector in seen or len(seen) > self.sectors:
                raise ValueError("DIFAT loop")
            seen.add(sector)
            more = struct.unpack_from(f"<{self.size // 4}I", self.data, self._offset(sector))
            ids.extend(more[:-1])
            sector = more[-1]
        return ids

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        """The sectors of a chain, which must end (END_OF_CHAIN) without visiting a sector twice."""
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != END_OF_CHAIN:
            if sector >= limit or sector >= len(table) or sector in seen:
                raise ValueError("broken chain")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _read(self, chain: list[int]) -> bytes:
        """The bytes of a chain of sectors (checked by _chain), a slice per run of consecutive sectors."""
        parts, size, first = [], self.size, 0
        for i in range(1, len(chain) + 1):
            if i == len(chain) or chain[i] != chain[i - 1] + 1:
                parts.append(self.data[(chain[first] + 1) * size:(chain[i - 1] + 2) * size])
                first = i
        return b"".join(parts)

    def _extent(self, entry: bytes) -> tuple[int, int]:
        """A directory entry's first sector and size (a version 3 file keeps only the low 32 bits)."""
        start, size = struct.unpack_from("<II", entry, 116)
        if size > len(self.data):
            raise ValueError("stream larger than the file")
        return start, size

    def names(self) -> set[str]:
        """The names of every storage and stream, lower-case."""
        return {self._name(entry) for entry in self.entries if entry[66] in (1, 2)}

    @staticmethod
    def _name(entry: bytes) -> str:
        """A directory entry's name (UTF-16, its length in bytes with the terminator)."""
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        return entry[:max(length - 2, 0)].decode("utf-16-le", "replace").lower()

    def stream(self, name: str) -> bytes | None:
        """A stream's bytes by name, from the FAT or, when small, the mini stream."""
        for entry in self.entries:
            if entry[66] == 2 and self._name(entry) == name:
                start, size = self._extent(entry)
                if size < MINI_CUTOFF:
                    chain = self._chain(start, self.mini_fat, len(self.mini_stream) // MINI_SECTOR)
                    data = b"".join(self.mini_stream[s * MINI_SECTOR:(s + 1) * MINI_SECTOR] for s in chain)
                else:
                    data = self._read(self._chain(start, self.fat, self.sectors))
                if len(data) < size:
                    raise ValueError("stream shorter than its size")
                return data[:size]
        return None


class _Workbook:
    """The BIFF records of a workbook stream: the globals first, then each sheet as calamine reads it."""

    def __init__(self, stream: bytes, limits: UploadLimits):
        self.stream = stream + b"\0" * 8  # room to unpack a record's first 8 bytes at the very end
        self.end = len(stream)
        self.limits = limits
        self.cells = 0
        self.area = 0

    def check(self) -> OleFacts:
        """Walk the globals, then every sheet; refuse what calamine should not be given."""
        sheets = self._globals()
        if len(sheets) > MAX_SHEETS:
            raise Invalid(Message("工作簿中有%(count)s个工作表，超过%(limit)s个的上限，不像是报名表。",
                                  count=len(sheets), limit=MAX_SHEETS))
        facts, walked = OleFacts(), 0
        for start, name in sorted(sheets):
            if start < walked:  # sheets that overlap would be walked (and parsed by calamine) again and again
                raise ValueError("sheets overlap")
            unread, walked = self._sheet(start)
            if unread and name not in facts.unread:
                facts.unread[name] = unread
        return facts

    def _records(self, start: int):
        """(kind, size, offset of the data) of each record from an offset to the stream's end."""
        unpack, stream, end = U16X4.unpack_from, self.stream, self.end
        at = start
        while at + 4 <= end:
            kind, size, _, _ = unpack(stream, at)
            if at + 4 + size > end:
                raise ValueError("record past the stream's end")
            yield kind, size, at + 4
            at += 4 + size

    def _globals(self) -> list[tuple[int, str]]:
        """Encryption, macro sheets and the sheets' offsets and names, from the globals substream."""
        sheets = []
        for kind, size, at in self._records(0):
            if kind == FILEPASS:
                raise Invalid(password_protected())
            if kind == BOUNDSHEET:
                if size < 8:
                    raise ValueError("BoundSheet8")
                offset, state, sheet_type, length = struct.unpack_from("<IBBB", self.stream, at)
                if sheet_type in MACRO_SHEETS:
                    raise Invalid(macros())
                if offset >= self.end or state & 0x3F > 2 or sheet_type not in (0, 2):
                    raise ValueError("BoundSheet8")
                sheets.append((offset, self._sheet_name(at + 7, size - 7, length)))
            elif kind == EOF:
                break
        return sheets

    def _sheet_name(self, at: int, size: int, length: int) -> str:
        """A BoundSheet8 name (ShortXLUnicodeString: a flag byte, then 8-bit or UTF-16 characters)."""
        if size < 1:
            return ""
        raw = self.stream[at + 1:at + size]
        if self.stream[at] & 1:
            return raw[:length * 2].decode("utf-16-le", "replace").replace("\0", "")
        return raw[:length].decode("latin-1").replace("\0", "")

    def _sheet(self, start: int) -> tuple[list[tuple[int, int, UnreadCell]], int]:
        """Walk one sheet as calamine does, up to its own EOF: count its cells, refuse a column past the cap or a
        rectangle past the area ceiling; its error cells and where it ends. Cells of a nested substream (an embedded chart), which
        calamine skips, are counted too. The loop is kept bare: a 10,000-row sheet is some 50,000 records."""
        unpack, stream, end, cell_kinds = U16X4.unpack_from, self.stream, self.end, CELL_RECORDS
        bottom = right = right_row = -1
        at, depth, started, cells = start, 0, False, 0
        unread: list[tuple[int, int, UnreadCell]] = []
        while at < end:
            kind, size, row, column = unpack(stream, at)  # a cell record's data begins with its row and column
            at += 4 + size
            if kind in cell_kinds:
                cells += 1
                if row > bottom:
                    bottom = row
                if column > right:
                    right, right_row = column, row
                if kind == 0x0205 or kind == 0x0006:
                    self._error(kind, at - size, row, column, unread)
            elif kind == MULRK:
                last = column + (size - 6) // 6 - 1
                cells += max(0, last - column + 1)
                bottom = max(bottom, row)
                if last > right:
                    right, right_row = last, row
            elif kind == BOF:
                depth, started = depth + started, True
            elif kind == EOF:
                if not depth:
                    break
                depth -= 1
            elif kind == DIMENSIONS:
                self._dimensions(at - size, size)
        if at > end:
            raise ValueError("record past the stream's end")
        self._measure(cells, bottom, right, right_row)
        return unread, at

    def _error(self, kind: int, at: int, row: int, column: int, unread: list) -> None:
        """An error value: a BoolErr with its error flag, or a Formula whose saved result is an error."""
        value = self.stream[at + 6:at + 14]
        if (kind == 0x0205 and value[1] == 1) or (kind == 0x0006 and value[0] == 2 and value[6:8] == b"\xff\xff"):
            unread.append((row + 1, column + 1, UnreadCell(cell_name(row + 1, column + 1), ERROR)))

    def _dimensions(self, at: int, size: int) -> None:
        """calamine reserves room for the rectangle a sheet declares: hold it to the format's own maximum."""
        if size == 14:
            first, last, left, right = struct.unpack_from("<IIHH", self.stream, at)
        elif size == 10:
            first, last, left, right = struct.unpack_from("<HHHH", self.stream, at)
        else:
            raise ValueError("Dimensions")
        if last > 65536 or right > 256 or first > last or left > right:
            raise ValueError("Dimensions")

    def _measure(self, cells: int, bottom: int, right: int, right_row: int) -> None:
        """Hold one sheet's cells to the ceilings; the rectangles from A1 of every sheet add up (calamine lays out
        all of them when it opens the file)."""
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise TooLarge(self.limits.too_many_cells())
        if bottom < 0:
            return
        if right >= self.limits.max_columns:
            raise Invalid(self.limits.too_wide(cell_name(right_row + 1, right + 1)))
        self.area += (bottom + 1) * (right + 1)
        if self.area > self.limits.max_area:
            raise TooLarge(self.limits.too_spread(cell_name(bottom + 1, right + 1)))
