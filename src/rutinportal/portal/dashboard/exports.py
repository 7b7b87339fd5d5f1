"""Tables as CSV for Swedish Excel and as an XLSX workbook, safe to open.

A name or title from the roster or the content could start like a formula (`=HYPERLINK(…)`,
`+1`, `@SUM(…)`); a spreadsheet would run it. Every text cell that could is written with a
leading apostrophe, so it is shown as the text it is (OWASP: CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_NAME = 31  # Excel's limit
MIN_WIDTH, MAX_WIDTH = 8, 60


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with `'`; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    """A table with Swedish column names; `sheet` is its name in the workbook."""

    sheet: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.sheet) > MAX_SHEET_NAME or any(c in self.sheet for c in "[]:*?/\\"):
            raise ValueError(f"Expected an Excel sheet name of at most {MAX_SHEET_NAME} "
                             f"characters without []:*?/\\ but received {self.sheet!r}")


def _csv_cell(value: Any) -> str:
    if isinstance(value, str):  # the common case first: registers have many thousand rows
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)  # a number, not text: a negative number stays a number
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")  # Swedish Excel reads a decimal comma
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return neutralise(str(value))


CSV_BOM = "\ufeff"


def csv_lines(rows: Iterable[Sequence[Any]], as_text: bool = False) -> str:
    """Rows as CSV lines for Swedish Excel (`;`, CRLF, formulas neutralised): for a file
    written in parts (the evidence bundle streams its registers). `as_text`: every cell is
    already text, neutralised by the caller (`neutralise`) — half a million rows go faster."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows if as_text else ([_csv_cell(v) for v in row] for row in rows))
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark and `;` between fields: what Swedish Excel opens."""
    return (CSV_BOM + csv_lines([table.columns, *table.rows])).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters cannot be stored in XLSX; openpyxl would refuse the file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _width(values: Iterable[Any]) -> int:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def to_xlsx(tables: Iterable[Table], creator: str = "Rutinportalen") -> bytes:
    """One workbook, one sheet per table: a bold, frozen header row and readable widths."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = creator
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet)
        sheet.append([_xlsx_cell(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(table.columns, start=1):
            values = [column, *(row[index - 1] for row in table.rows)]
            sheet.column_dimensions[get_column_letter(index)].width = _width(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
