"""Roster workbooks as an enterprise uploads them, the rows to fill them with, and the import page's steps."""
import io
import re

from openpyxl import Workbook

from competition.rules.roster import HEADERS
from tests.builders import id_number


def roster(*rows, headers=HEADERS) -> bytes:
    """An uploaded roster: the template's header row, then the rows, ID numbers typed as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报名表"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people(count: int, code: str | None = None, start: int = 0) -> list[tuple]:
    """`count` valid rows (name, ID number, mobile, employer's credit code), distinct however many; row i is
    选手 + chr(0x4e00 + i), born 1 January 1980 (1981 from row 499 on)."""
    return [(f"选手{chr(0x4e00 + i)}", id_number(i % 499, birth=f"19{80 + i // 499}0101"), f"139{i:08d}", code)
            for i in range(start, start + count)]


def upload(client, event, data: bytes, name: str = "名单.xlsx"):
    """POST a file to the import page's preview."""
    return client.post(f"/events/{event.id}/entries/import/preview", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def token_of(response) -> str:
    """The preview's confirm-form token."""
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def confirm(client, event, token: str):
    """POST the confirmation of a previewed file."""
    return client.post(f"/events/{event.id}/entries/import/confirm", data={"token": token})
