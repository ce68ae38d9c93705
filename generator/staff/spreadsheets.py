"""Read the table of a certification decision: .xlsx, .xls, .ods or .csv.

Workbooks are read with python-calamine (one reader for Excel old and new and for
LibreOffice's .ods, binary wheels on Windows, macOS and Linux). A CSV is what
Excel writes on the staff's laptop: UTF-8 with or without a byte order mark, or,
when it is not UTF-8, the Windows code page for Vietnamese (1258), whose letters
come decomposed (a base letter and a combining tone), so the text is composed
(NFC) after decoding. The separator is a comma, or a semicolon where the
Windows locale writes decimals with a comma, as Vietnamese does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

#: A cell as read: text, a number, a date (or date-time), or "" when empty.
Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
#: Code pages tried, in order, when a CSV is not UTF-8.
CSV_FALLBACK_ENCODINGS = ("cp1258",)


class SpreadsheetError(Exception):
    """The file cannot be read as a table (message names the file)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its rows from row 1, cells from column A (row R, column C is
    ``rows[R - 1][C - 1]``)."""

    name: str
    rows: list[list[Cell]]


def read_sheets(path: Path) -> list[Sheet]:
    """Every visible sheet of a workbook, or the one table of a CSV file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SpreadsheetError(f"{path.name}: not a spreadsheet this command reads "
                               f"({', '.join(SUFFIXES)})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(f"{path}: cannot be read ({exc.strerror})") from exc
    if suffix == ".csv":
        return [Sheet(path.stem, read_csv_rows(data, path.name))]
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [Sheet(meta.name, book.get_sheet_by_name(meta.name)
                      .to_python(skip_empty_area=False))
                for meta in book.sheets_metadata
                if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet]
    except (CalamineError, ValueError) as exc:
        raise SpreadsheetError(f"{path.name}: cannot be read as a {suffix} workbook "
                               f"({exc})") from exc


def decode_csv(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), else the Vietnamese code page."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for encoding in CSV_FALLBACK_ENCODINGS:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError(f"{name}: neither UTF-8 nor Windows-1258 text; save it "
                                   "from Excel as 'CSV UTF-8' or as .xlsx") from None
    return unicodedata.normalize("NFC", text)


def read_csv_rows(data: bytes, name: str) -> list[list[Cell]]:
    text = decode_csv(data, name)
    first_lines = "\n".join(text.splitlines()[:20])
    # Excel writes ';' where the decimal separator is ',' (the Vietnamese locale).
    delimiter = ";" if first_lines.count(";") > first_lines.count(",") else ","
    if first_lines.count("\t") > max(first_lines.count(";"), first_lines.count(",")):
        delimiter = "\t"
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=delimiter)]
    except csv.Error as exc:
        raise SpreadsheetError(f"{name}: cannot be read as CSV ({exc}); a quote (\") may "
                               "be left open") from exc
