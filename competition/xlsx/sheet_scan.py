"""Counting a worksheet's cells before calamine reads it (DESIGN.md, Safety: uploads).

calamine lays a sheet out as a dense grid from its first to its last value, so the cells, the widest column and
the rectangle of values must be known, and held to the ceilings, before it parses anything. Two ways, one answer:

- the quick scan, for XML in the form Excel, WPS and LibreOffice write (UTF-8; every cell `<c r="B12" …>` with a
  one-letter column and its reference as the first attribute; no other `r` attribute in the part, no prefixed
  cells, no formulas, no error values). It proves this with a few C-speed searches over the bytes, counts the
  cells with `bytes.count`, and bounds the rectangle by the largest reference a cell may have. For a 10,000-row
  sheet the whole check (inflating included) costs about 12 ms beside calamine's 30 ms read; expat, with a
  Python call per element, costs 60 ms.
- the exact count, for anything else: expat streams the part with a handler per start tag, counts cells as
  calamine places them (their reference, else the next along), measures the rectangle of cells that hold
  values, and notes formulas without a saved result and error values. A file that fails the quick scan's proof
  is not refused for that; it is counted exactly.

Either way expat reads the part's prolog and refuses a DTD or entity declaration (entities can only be declared
there), and reads the whole part when it is counted exactly.
"""
import functools
import re
import zipfile
from xml.parsers import expat

from ..errors import Invalid, TooLarge
from ..rules.cells import ERROR, FORMULA, UnreadCell, cell_name
from ..rules.text import is_ascii_digits
from .limits import UNSAFE_XML, UploadLimits, corrupt

CHUNK = 4 * 1024 * 1024  # a 10,000-row sheet is one chunk; a larger part is scanned piece by piece
DIGITS = "0123456789"
Unread = list[tuple[int, int, UnreadCell]]  # (row, column, marker), 1-based

# A prefixed cell (<x:c …>), another attribute named r (calamine takes the last one it meets, so a second r would
# move the cell), a formula, an error value: each sends the part to the exact count.
PREFIXED_CELL = re.compile(rb":c[\s/>]")
OTHER_R = re.compile(rb"r(?<=[\s\"']r)(?<!<c r)(?<!<row r)\s*=")
FORMULA_TAG = re.compile(rb"f[\s/>](?<=[<:]f.)")  # "f" first: a literal the search can skip to
ERROR_VALUE = re.compile(rb" t=\"e\"")


class Refused(Exception):
    """Stops a parse as soon as a ceiling is passed (carries the error to raise; None only stops)."""

    def __init__(self, error: Exception | None):
        super().__init__(str(error))
        self.error = error


def refuse_declarations(*_args) -> None:
    """A DTD or entity declaration: an XML bomb or XXE attempt."""
    raise Refused(Invalid(UNSAFE_XML))


def xml_parser(start=None) -> expat.XMLParserType:
    """An expat parser without namespace processing (names as written, like calamine's raw names), refusing DTDs."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_declarations
    parser.EntityDeclHandler = refuse_declarations
    if start is not None:
        parser.StartElementHandler = start
    return parser


def stream(archive: zipfile.ZipFile, member: zipfile.ZipInfo, parser, chunk: int = 256 * 1024) -> None:
    """Feed one member to a parser in chunks (never the whole part in memory)."""
    with archive.open(member) as source:
        while data := source.read(chunk):
            parser.Parse(data, False)
    parser.Parse(b"", True)


def count_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: UploadLimits,
                cells: int) -> tuple[int, Unread]:
    """The cells counted so far plus this sheet's, and its cells without a value; refuses past a ceiling."""
    quick = _quick_count(archive, member, limits, cells)
    if quick is not None:
        return quick, []
    counter = _CellCounter(limits, cells)
    stream(archive, member, counter.parser)
    return counter.cells, counter.unread


@functools.lru_cache(maxsize=8)
def _odd_cell(max_columns: int, max_area: int) -> re.Pattern:
    """A cell tag that is not `<c r="X123"` with a one-letter column and a row small enough that the rectangle up
    to it stays under the area ceiling."""
    last = chr(64 + min(26, max_columns))
    rows = max_area // min(26, max_columns)
    return re.compile(rb'<c(?! r="[A-' + last.encode() + rb"]" + _up_to(rows).encode() + rb'")[\s/>]')


def _up_to(number: int) -> str:
    """A regular expression for a decimal numeral (leading zeros allowed) whose value is at most `number`."""
    text = str(number)
    options = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            options.append(text[:i] + f"[0-{int(digit) - 1}]" + "[0-9]" * (len(text) - i - 1))
    options.append(text)
    return "0*(?:" + "|".join(options) + ")"


def _quick_count(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: UploadLimits,
                 cells: int) -> int | None:
    """The cells so far plus this sheet's when the quick scan proves its form, else None (count exactly)."""
    odd = _odd_cell(limits.max_columns, limits.max_area)
    rest = b""
    with archive.open(member) as source:
        first = True
        while True:
            data = source.read(CHUNK)
            piece = rest + data
            if data:  # every pattern lies inside one tag, and no tag holds a '<': cut before the last one
                cut = piece.rfind(b"<")
                if cut <= 0:
                    return None  # one tag longer than a chunk: nothing Excel writes; count it exactly
                piece, rest = piece[:cut], piece[cut:]
            if first:
                if not _plain_prolog(piece):
                    return None
                first = False
            if (odd.search(piece) or PREFIXED_CELL.search(piece) or OTHER_R.search(piece)
                    or FORMULA_TAG.search(piece) or ERROR_VALUE.search(piece)):
                return None
            cells += piece.count(b'<c r="')
            if cells > limits.max_cells:
                raise TooLarge(limits.too_many_cells())
            if not data:
                return cells


def _plain_prolog(head: bytes) -> bool:
    """Refuse a DTD; True when the part is UTF-8 (or ASCII) text, which the byte patterns can be trusted on."""
    if b"\0" in head[:4096] or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    declared: list[str | None] = []

    def declaration(_version, encoding, _standalone):
        declared.append(encoding)

    def root(_name, _attributes):
        raise Refused(None)

    parser = xml_parser(root)
    parser.XmlDeclHandler = declaration
    try:
        parser.Parse(head, False)
    except Refused as stop:
        if stop.error is not None:
            raise stop.error from None
    except expat.ExpatError:
        return False  # let the exact count report it
    return not declared or (declared[0] or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii")


class _CellCounter:
    """Counts cells as expat streams a worksheet, refusing past a ceiling; notes formulas without a result.

    A sheet of 16,384 columns × 97 rows is 4 MB zipped and 51 MB of XML: every limit on bytes passes, yet
    parsing it costs openpyxl 20 s of CPU. Counting with expat stops at the first cell past a ceiling and
    builds nothing. The start handler is the only one called for every element; it is kept short.
    """

    def __init__(self, limits: UploadLimits, cells: int):
        self.limits = limits
        self.cells = cells
        self.columns: dict[str, int] = {}
        self.row = self.column = self.bottom = self.right = 0
        self.row_text = ""
        self.kind: str | None = None  # the t attribute of the open cell
        self.unread: Unread = []
        self.watching = self.in_value = self.has_value = self.saved = False
        self.formula: tuple[int, int, str | None] = (0, 0, None)
        self.parser = xml_parser(self.start)

    def start(self, name: str, attributes: dict) -> None:
        """A start tag: a row moves down, a cell counts, a value widens the rectangle of values."""
        if name == "c":
            self.cell(attributes)
        elif name == "v" or name == "is":
            self.in_value = self.watching
            if self.row > self.bottom or self.column > self.right:
                self.widen()
        elif name == "row":
            text = attributes.get("r")
            self.row = int(text) if text and is_ascii_digits(text) else self.row + 1
            self.row_text, self.column = "", 0
        elif name == "f":  # a formula cell is a value: marked unread, it has a place in the grid too
            self.widen()
            self.open_formula()
        elif ":" in name:
            self.start(name.rpartition(":")[2], attributes)

    def cell(self, attributes: dict) -> None:
        """A cell: its position (from its reference, else the next along), the counts, an error value."""
        self.cells += 1
        reference = attributes.get("r")
        if reference:
            letters = reference.rstrip(DIGITS)
            self.column = self.columns.get(letters) or self.column_of(letters)
            digits = reference[len(letters):]
            if digits != self.row_text:
                self.row_text = digits
                self.row = int(digits) if is_ascii_digits(digits) else self.broken()
        else:
            self.column += 1
        if self.column > self.limits.max_columns:
            raise Refused(Invalid(self.limits.too_wide(cell_name(self.row, self.column))))
        if self.cells > self.limits.max_cells:
            raise Refused(TooLarge(self.limits.too_many_cells()))
        self.kind = attributes.get("t")
        if self.kind == "e":
            self.unread.append((self.row, self.column, UnreadCell(cell_name(self.row, self.column), ERROR)))

    def widen(self) -> None:
        """The open cell holds a value: the rectangle of values reaches it; refuse one past the area ceiling."""
        self.bottom, self.right = max(self.bottom, self.row), max(self.right, self.column)
        if self.bottom * self.right > self.limits.max_area:
            raise Refused(TooLarge(self.limits.too_spread(cell_name(self.bottom, self.right))))

    def column_of(self, letters: str) -> int:
        """A reference's column as a number (A → 1, XFD → 16384), as calamine reads it (any case); remembered."""
        if not (letters.isascii() and letters.isalpha()) or len(letters) > 3:
            return self.broken()
        index = 0
        for letter in letters.upper():
            index = index * 26 + ord(letter) - 64
        self.columns[letters] = index
        return index

    def broken(self) -> int:
        """A reference calamine would not read: the file is damaged (or made to mislead)."""
        raise Refused(Invalid(corrupt()))

    def open_formula(self) -> None:
        """A formula in the open cell: watch its value until the cell closes (handlers on only meanwhile)."""
        self.formula = (self.row, self.column, self.kind)
        self.has_value = self.in_value = self.saved = False
        self.watching = True
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def text(self, data: str) -> None:
        """Text inside the formula cell's value."""
        if self.in_value and data.strip():
            self.saved = True

    def end(self, name: str) -> None:
        """An end tag while a formula is open; the cell's end decides whether a result was saved."""
        name = name.rpartition(":")[2]
        if name == "v" or name == "is":
            self.has_value, self.in_value = True, False
        elif name == "c":
            row, column, kind = self.formula
            # Excel saves a formula whose result is "" as t="str" with an empty <v>: that is a saved result.
            if not (self.saved or (self.has_value and kind in ("str", "inlineStr"))):
                self.unread.append((row, column, UnreadCell(cell_name(row, column), FORMULA)))
            self.watching = False
            self.parser.EndElementHandler = None
            self.parser.CharacterDataHandler = None
