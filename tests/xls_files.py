"""Legacy .xls files built byte by byte, for the upload tests and bench/bench_import.py: a BIFF8 workbook stream
in an OLE compound file, with whatever an attack or an oddity needs (cells anywhere, a VBA storage, a password,
a macro sheet, a broken chain). Real files saved by LibreOffice and written by xlwt are in tests/files/office/.

BIFF8 is [MS-XLS] and the container [MS-CFB]: 512-byte sectors, one FAT, every stream padded to 4096 bytes so
that none lives in the mini stream (readers choose by size), directory entries chained as right siblings.
"""
import struct

SECTOR = 512
END, FREE, FAT_SECTOR, NO_ENTRY = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
BOF, EOF, BOUNDSHEET, FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF record: kind, length, data."""
    return struct.pack("<HH", kind, len(data)) + data


def label(row: int, column: int, text: str) -> bytes:
    """A LABEL cell: text stored in the cell record (UTF-16), 0-based row and column."""
    return record(0x0204, struct.pack("<HHHHB", row, column, 15, len(text), 1) + text.encode("utf-16-le"))


def number(row: int, column: int, value: float) -> bytes:
    """A NUMBER cell (a float, as Excel stores an ID number typed into a number-formatted cell)."""
    return record(0x0203, struct.pack("<HHHd", row, column, 15, value))


def error(row: int, column: int, code: int = 0x2A) -> bytes:
    """A BOOLERR cell holding an error value (0x2A is #N/A)."""
    return record(0x0205, struct.pack("<HHHBB", row, column, 15, code, 1))


def rows(table) -> list[bytes]:
    """LABEL records for a table of texts (None for an empty cell), from A1."""
    return [label(r, c, value) for r, line in enumerate(table) for c, value in enumerate(line) if value is not None]


def workbook(sheets, *, before_sheets: bytes = b"", sheet_type: int = 0, hidden: tuple[str, ...] = ()) -> bytes:
    """The BIFF8 workbook stream: globals (BOF, extra records, a BOUNDSHEET per sheet, EOF), then each sheet's BOF,
    cell records and EOF. `sheets` is [(name, [cell records])]."""
    def bof(kind: int) -> bytes:
        return record(BOF, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))

    def boundsheet(offset: int, name: str) -> bytes:
        state = 1 if name in hidden else 0
        return record(BOUNDSHEET, struct.pack("<IBBBB", offset, state, sheet_type, len(name), 1)
                      + name.encode("utf-16-le"))

    bodies = [bof(0x0010) + b"".join(cells) + record(EOF) for _, cells in sheets]
    size = len(bof(0x0005) + before_sheets + record(EOF)) + sum(len(boundsheet(0, n)) for n, _ in sheets)
    offsets = [size + sum(len(b) for b in bodies[:i]) for i in range(len(bodies))]
    globals_ = bof(0x0005) + before_sheets + b"".join(boundsheet(o, n) for o, (n, _) in zip(offsets, sheets))
    return globals_ + record(EOF) + b"".join(bodies)


def _entry(name: str, kind: int, start: int, size: int, right: int = NO_ENTRY, child: int = NO_ENTRY) -> bytes:
    """One 128-byte directory entry (kind 1 storage, 2 stream, 5 root)."""
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, NO_ENTRY, right, child)
            + b"\0" * 36 + struct.pack("<III", start, size, 0))


def ole(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A compound file holding the streams (each padded to 4096 bytes) and empty storages."""
    names = list(streams) + list(storages)
    directory_sectors = -(-(len(names) + 1) // 4)
    data_sectors = [-(-max(len(d), 4096) // SECTOR) for d in streams.values()]
    total = directory_sectors + sum(data_sectors)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + total:
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    fat += [fat_sectors + i + 1 for i in range(directory_sectors - 1)] + [END]
    starts, body = [], b""
    for data, count in zip(streams.values(), data_sectors):
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [END]
        body += data.ljust(count * SECTOR, b"\0")
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    entries = [_entry("Root Entry", 5, END, 0, child=1 if names else NO_ENTRY)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NO_ENTRY
        if name in streams:
            entries.append(_entry(name, 2, starts[i], max(len(streams[name]), 4096), right))
        else:
            entries.append(_entry(name, 1, 0, 0, right))
    directory = b"".join(entries).ljust(directory_sectors * SECTOR, b"\0")
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_sectors, fat_sectors, 0, 4096,
                            END, 0, END, 0) + struct.pack("<109I", *difat))
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + body


def xls(*sheets, storages: tuple[str, ...] = (), **options) -> bytes:
    """An .xls file of sheets [(name, [cell records])] (see `workbook` for the options)."""
    return ole({"Workbook": workbook(list(sheets), **options)}, storages)
