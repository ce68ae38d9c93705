"""The annex of a certification decision, read row by row.

A decision recognising OCOP products (Quyết định công nhận sản phẩm OCOP) ends
with a table: STT, Tên sản phẩm, Chủ thể, Địa chỉ, Phân hạng / Số sao, Điểm,
Nhóm / Phân nhóm, sometimes the certificate number. Every province words and
spells it its own way, so the header row is found by its words (with or
without diacritics, in any case and spacing, "Tên SP" as "Tên sản phẩm"), and
each cell is read the ways people write it ("4 sao", "4*", "★★★★", "Bốn sao").
A cell that cannot be read is reported as ``file:Sheet:R12:C5: field: message``
and its row left out; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..source.groups import ProductGroups
from ..source.records import RecognitionLevel
from ..vietnamese import fold
from .spreadsheets import Cell, Sheet

#: Header words of each field, folded (no diacritics, lower case, one space).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "tt", "so tt", "so thu tu"),
    "product": ("ten san pham", "ten sp", "san pham", "ten san pham ocop", "ten sp ocop",
                "san pham ocop"),
    "product_id": ("ma san pham", "ma sp"),
    "producer": ("chu the", "ten chu the", "chu the san xuat", "chu the ocop",
                 "ten chu the ocop", "don vi", "ten don vi", "co so san xuat", "chu the kinh te",
                 "ten chu the san xuat"),
    "producer_id": ("ma chu the",),
    "address": ("dia chi", "dia chi chu the", "dia chi san xuat", "dia phuong"),
    "commune": ("xa", "xa phuong", "phuong xa", "xa phuong dac khu", "xa phuong thi tran"),
    "province": ("tinh", "tinh thanh pho", "tinh thanh", "thanh pho"),
    "stars": ("so sao", "phan hang", "hang sao", "xep hang", "hang", "sao",
              "ket qua phan hang", "phan hang so sao", "so sao phan hang", "xep hang sao"),
    "score": ("diem", "diem danh gia", "tong diem", "so diem", "diem so"),
    "category": ("nhom", "phan nhom", "nhom san pham", "nhom phan nhom", "bo san pham",
                 "phan nhom san pham", "nganh hang"),
    "certificate": ("so giay chung nhan", "so gcn", "giay chung nhan", "so chung nhan",
                    "ma so chung nhan"),
    "decision": ("quyet dinh", "so quyet dinh", "so qd", "quyet dinh cong nhan"),
    "issued": ("ngay cap", "ngay cong nhan", "ngay quyet dinh", "ngay cap giay chung nhan"),
    "level": ("cap", "cap cong nhan", "cap danh gia"),
}
#: What the command calls each field in messages and in --map.
FIELDS = tuple(HEADER_WORDS)
#: A header row names at least these.
REQUIRED = ("product", "producer", "stars")
#: Rows searched for the header.
HEADER_SEARCH_ROWS = 30

_WORD_STARS = {"ba": 3, "bon": 4, "tu": 4, "nam": 5}
_LEVELS: tuple[tuple[str, RecognitionLevel], ...] = (
    ("trung uong", "central"), ("quoc gia", "central"), ("tw", "central"),
    ("bo", "central"), ("tinh", "province"), ("thanh pho", "province"),
    ("huyen", "district"), ("thi xa", "district"),
)
_COMMUNE_KINDS = ("xa ", "phuong ", "dac khu ", "thi tran ")


class AnnexError(Exception):
    """The table cannot be read at all (no header row, a bad --map)."""


def header_key(text: str) -> str:
    """'Phân hạng / Số sao' → 'phan hang so sao'; 'TÊN  SP' → 'ten sp'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def field_of_header(text: str) -> str | None:
    """The field a header cell names, or None."""
    key = header_key(text)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for name, words in HEADER_WORDS.items():
        for word in words:
            # Exactly, or followed by more words ("Số sao (phân hạng)", "Điểm (thang 100)").
            if (key == word or key.startswith(word + " ")) and (
                    best is None or len(word) > best[0]):
                best = (len(word), name)
    return best[1] if best else None


@dataclass(frozen=True)
class Where:
    """A cell of the table, as messages name it: ``file:Sheet:R12:C5``."""

    file: str
    sheet: str
    row: int
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}:R{self.row}" + (f":C{self.col}" if self.col else "")


@dataclass(frozen=True)
class AnnexProblem:
    where: Where
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


@dataclass
class AnnexRow:
    """One product of the table, read; fields the table lacks are None."""

    where: Where
    product: str
    producer: str
    stars: int
    product_id: str | None = None
    producer_id: str | None = None
    street: str | None = None
    commune: str | None = None
    province: str | None = None
    score: int | None = None
    #: Sub-group id, when the table's group text names one.
    category: str | None = None
    #: What the table wrote for the group, for the list of fields to check.
    category_text: str | None = None
    certificate: str | None = None
    decision: str | None = None
    issued: dt.date | None = None
    level: RecognitionLevel | None = None


@dataclass(frozen=True)
class Defaults:
    """What the table does not carry, from the command line."""

    decision: str | None = None
    issued: dt.date | None = None
    level: RecognitionLevel | None = None


@dataclass
class Annex:
    """What was read: the rows, and the problems of the rows left out."""

    rows: list[AnnexRow] = field(default_factory=list)
    problems: list[AnnexProblem] = field(default_factory=list)
    #: (sheet, header row, {field: column}) of each table found.
    tables: list[tuple[str, int, dict[str, int]]] = field(default_factory=list)


#: Never meant in a name: control characters, zero-width spaces and joiners, BOMs,
#: non-characters (a cell copied from a web page or a PDF carries them).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe\uffff]")


def _text(cell: Cell) -> str:
    """A cell as one line of composed text; '' when empty."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if cell == "":
        return ""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", str(cell)))
    return " ".join(text.split())


def find_header(rows: list[list[Cell]], overrides: dict[str, str]
                ) -> tuple[int, dict[str, int]] | None:
    """(row index, {field: column index}) of the first row that names the required
    fields; ``overrides`` maps a header's key or a column letter to a field."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        named = 0  # cells whose words name a field: a title row has none or one
        for c, cell in enumerate(row):
            text = _text(cell)
            by_words = overrides.get(header_key(text)) or field_of_header(text)
            named += by_words is not None
            name = overrides.get(column_letter(c)) or by_words
            if name and name not in columns:
                columns[name] = c
        if named >= 2 and all(name in columns for name in REQUIRED):
            return r, columns
    return None


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_overrides(mappings: Iterable[str]) -> dict[str, str]:
    """``--map "Tên hàng=product"`` and ``--map E=stars`` into {key: field}."""
    out: dict[str, str] = {}
    for mapping in mappings:
        column, sep, name = mapping.rpartition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise AnnexError(f"--map {mapping!r}: write COLUMN=FIELD, e.g. \"Tên hàng=product\" "
                             "or E=stars")
        if name not in FIELDS:
            raise AnnexError(f"--map {mapping!r}: unknown field '{name}'; fields: "
                             + ", ".join(FIELDS))
        column = column.strip()
        out[column.upper() if re.fullmatch(r"[A-Za-z]{1,3}", column) else header_key(column)] = name
    return out


def read_annex(sheets: list[Sheet], file_name: str, groups: ProductGroups, defaults: Defaults,
               overrides: dict[str, str] | None = None) -> Annex:
    """Every product row of every sheet that has a header row."""
    annex = Annex()
    for sheet in sheets:
        found = find_header(sheet.rows, overrides or {})
        if found is None:
            continue
        header, columns = found
        annex.tables.append((sheet.name, header + 1, columns))
        section: str | None = None
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            cells = {name: _text(row[c]) if c < len(row) else "" for name, c in columns.items()}
            if not any(cells.values()):
                continue
            if not cells["producer"] and not cells["stars"]:
                # A heading row ("I. NHÓM THỰC PHẨM") or a total: the group of the rows below.
                heading = next((v for v in (_text(x) for x in row) if v and not v.isdigit()
                                and len(v) > 3), None)
                section = heading if heading and category_of(heading, groups) else section
                continue
            if _is_furniture(cells):
                continue
            where = Where(file_name, sheet.name, r + 1)
            parsed = _row(where, row, columns, cells, groups, defaults, section, annex.problems)
            if parsed is not None:
                annex.rows.append(parsed)
    if not annex.tables:
        raise AnnexError(
            f"{file_name}: no header row found in the first {HEADER_SEARCH_ROWS} rows of any "
            "sheet: the table needs columns for the product's name (Tên sản phẩm), the "
            "producer (Chủ thể) and the stars (Số sao / Phân hạng); name others with "
            "--map \"Header=field\"")
    return annex


def _is_furniture(cells: dict[str, str]) -> bool:
    """A row that belongs to the table's layout, not a product: a total ('Tổng cộng:
    42 sản phẩm'), the column numbers under a header ('(1)', '(2)' …), a second
    header row."""
    values = [v for v in cells.values() if v]
    if header_key(cells.get("product", "")).startswith(("tong", "cong ")):
        return True
    return all(re.fullmatch(r"\(?\d{1,2}\)?|[A-Z]", v) or field_of_header(v) for v in values)


def _row(where: Where, row: list[Cell], columns: dict[str, int], cells: dict[str, str],
         groups: ProductGroups, defaults: Defaults, section: str | None,
         problems: list[AnnexProblem]) -> AnnexRow | None:
    before = len(problems)

    def fail(name: str, message: str) -> None:
        col = columns[name] + 1 if name in columns else 0
        problems.append(AnnexProblem(Where(where.file, where.sheet, where.row, col), name,
                                     message))

    for name in ("product", "producer"):
        if not cells[name]:
            fail(name, "missing")
    stars = parse_stars(row[columns["stars"]] if columns["stars"] < len(row) else "")
    if isinstance(stars, str):
        fail("stars", stars)
    score = None
    if cells.get("score"):
        score = parse_score(row[columns["score"]])
        if isinstance(score, str):
            fail("score", score)
    issued = defaults.issued
    if cells.get("issued"):
        issued = parse_date(row[columns["issued"]])
        if isinstance(issued, str):
            fail("issued", issued)
    elif issued is None:
        fail("issued", "missing: give the date in a column (Ngày cấp) or as --issued YYYY-MM-DD")
    decision = cells.get("decision") or defaults.decision
    if not decision:
        fail("decision", "missing: give the decision number in a column (Số quyết định) or as "
                         "--decision")
    level = defaults.level
    if cells.get("level"):
        level = parse_level(cells["level"])
        if level is None:
            fail("level", f"must say trung ương, tỉnh or huyện; found {cells['level']!r}")
    street = commune = province = None
    if cells.get("address"):
        street, commune, province = split_address(cells["address"])
    commune = cells.get("commune") or commune
    province = cells.get("province") or province
    if province:
        province = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", province, flags=re.I)
    category_text = cells.get("category") or section
    if len(problems) > before:
        return None
    assert isinstance(stars, int) and (score is None or isinstance(score, int))
    assert issued is None or isinstance(issued, dt.date)
    return AnnexRow(
        where=where, product=cells["product"], producer=cells["producer"], stars=stars,
        product_id=cells.get("product_id") or None, producer_id=cells.get("producer_id") or None,
        street=street, commune=commune or None, province=province or None, score=score,
        category=category_of(category_text, groups) if category_text else None,
        category_text=category_text or None, certificate=cells.get("certificate") or None,
        decision=decision, issued=issued, level=level)


def _found(cell: Cell) -> str:
    text = _text(cell)
    return f'"{text}"' if text else "nothing"


def parse_stars(cell: Cell) -> int | str:
    """3, 4 or 5 from how people write it; else the message."""
    message = f"must be 3, 4 or 5; found {_found(cell)}"
    if isinstance(cell, bool):
        return message
    if isinstance(cell, int | float):
        return int(cell) if float(cell).is_integer() and 3 <= cell <= 5 else message
    raw = _text(cell)
    text = header_key(raw)
    stars: int | None = None
    if raw and set(raw) <= set("★☆* "):
        # ★ is a star given, ☆ one not given: "★★★★☆" is four stars of five.
        stars = raw.count("★") + raw.count("*")
    elif m := re.fullmatch(r"(\d+)\s*(?:sao)?", text):
        stars = int(m.group(1))
    elif re.fullmatch(r"\d+\s*\*+\s*", raw):
        stars = int(raw.rstrip("* "))
    elif m := re.fullmatch(r"(ba|bon|tu|nam)(?: sao)?", text):
        stars = _WORD_STARS[m.group(1)]
    return stars if stars is not None and 3 <= stars <= 5 else message


def parse_score(cell: Cell) -> int | str:
    message = f"must be a whole number from 0 to 100; found {_found(cell)}"
    if isinstance(cell, bool):
        return message
    if isinstance(cell, int | float):
        return int(cell) if float(cell).is_integer() and 0 <= cell <= 100 else message
    m = re.fullmatch(r"(\d{1,3})(?:\s*(?:điểm|diem|/\s*100))?", str(cell).strip(), re.I)
    return int(m.group(1)) if m and int(m.group(1)) <= 100 else message


def parse_date(cell: Cell) -> dt.date | str:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    try:
        if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    return f"must be a date, dd/mm/yyyy; found {_found(cell)}"


def parse_level(text: str) -> RecognitionLevel | None:
    key = header_key(text)
    for words, level in _LEVELS:
        if re.search(rf"\b{words}\b", key):
            return level
    return None


_DISTRICT_KINDS = ("huyen ", "thi xa ", "quan ", "tp ", "thanh pho ")


def split_address(text: str) -> tuple[str | None, str | None, str | None]:
    """'Ấp Phước Lộc, Xã Ô Lâm, tỉnh An Giang' → street, commune, province.

    The province is the last part unless that part is a commune ('…, xã Ô Lâm');
    a pre-2025 district between commune and province ('huyện Tri Tôn') is left out.
    """
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        return None, None, None
    province = None if header_key(parts[-1]).startswith(_COMMUNE_KINDS) else parts.pop()
    parts = [p for p in parts if not (header_key(p) + " ").startswith(_DISTRICT_KINDS)]
    if not parts:
        return None, None, province
    at = next((i for i in range(len(parts) - 1, -1, -1)
               if (header_key(parts[i]) + " ").startswith(_COMMUNE_KINDS)), len(parts) - 1)
    street = ", ".join(parts[:at]) or None
    return street, parts[at], province


def category_of(text: str, groups: ProductGroups) -> str | None:
    """The sub-group id a group text names: 'Thực phẩm / Thực phẩm chế biến', 'Gia vị',
    'thuc-pham-che-bien', 'I. NHÓM GIA VỊ'."""
    names = {header_key(c.name): c.id for subs in groups.subgroups.values() for c in subs}
    ids = {c.id for subs in groups.subgroups.values() for c in subs}
    for part in reversed(re.split(r"\s*[/>›:–]\s*|\s+-\s+", text)):
        key = header_key(part)
        key = re.sub(r"^(?:[ivx]+|\d+)\s+", "", key)  # "I. ", "2. "
        key = re.sub(r"^(?:nhom|phan nhom)\s+", "", key)
        if part.strip() in ids:
            return part.strip()
        if key in names:
            return names[key]
    return None
