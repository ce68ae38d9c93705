"""Generate the search fold: generator/data/fold-table.json and the browser's tables.

The fold (what search compares: 'Mắm Châu Đốc' → 'mam chau doc') is defined one
character at a time, for the characters of Unicode 14.0, as

    đ/Đ → d, then NFD, then every character of combining class ≠ 0 dropped,
    then NFC, then case folding.

That needs Unicode tables, and Python's change with its version (3.11 has
14.0, 3.13 has 15.1). So the result is shipped as data: fold-table.json maps
every character whose fold is not itself (``map``), and lists those whose fold
is empty (``remove``); ``generator.vietnamese.fold`` only reads it, on any
Python. The browser folds with its own NFD, NFC and lower-casing plus two small
tables written here into theme/assets/javascripts/ocop-text.js (the characters
it drops, and where case folding differs from lower-casing); tests compare the
browser's fold with the shipped table on every character of Unicode 14.0.

Generating needs a Python whose unicodedata is Unicode 14.0 (Python 3.11).

Usage: python tools/fold_tables.py [--check]
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE_FILE = ROOT / "generator" / "data" / "fold-table.json"
JS_FILE = ROOT / "theme" / "assets" / "javascripts" / "ocop-text.js"
UNICODE = "14.0.0"
BEGIN = "/* BEGIN fold tables (tools/fold_tables.py) */"
END = "/* END fold tables */"
#: Cherokee: casefold maps the lower-case letters back to upper case.
CHEROKEE = ((0xAB70, 0xABBF, 0x13A0), (0x13F8, 0x13FD, 0x13F0))
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def _assigned(cp: int) -> bool:
    return unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")


def _stripped(char: str) -> str:
    """đ/Đ → d/D, NFD, combining marks dropped, NFC: the fold before case folding."""
    text = unicodedata.normalize("NFD", char.translate(_D_STROKE))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _ranges(cps: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def fold_table() -> dict[str, object]:
    """The fold of every assigned character of this Python's Unicode version."""
    mapping: dict[str, str] = {}
    removed: list[int] = []
    assigned = [cp for cp in range(0x110000) if _assigned(cp)]
    for cp in assigned:
        char = chr(cp)
        folded = _stripped(char).casefold()
        if folded == "":
            removed.append(cp)
        elif folded != char:
            mapping[char] = folded
    return {"unicode": unicodedata.unidata_version, "assigned": _ranges(assigned),
            "remove": _ranges(removed), "map": mapping}


def _js_char(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\u{{{cp:x}}}"


def casefold_map(table: dict[str, object]) -> dict[str, str]:
    """Where the browser's lower-casing differs from the table: lower-cased → folded."""
    folds: dict[str, str] = {}
    mapping = table["map"]
    assert isinstance(mapping, dict)
    removed = {cp for a, b in table["remove"] for cp in range(a, b + 1)}  # type: ignore[attr-defined]
    for start, end in table["assigned"]:  # type: ignore[attr-defined]
        for cp in range(start, end + 1):
            char = chr(cp)
            folded = "" if cp in removed else mapping.get(char, char)
            lowered = _stripped(char).lower()
            if lowered == folded or folded == "":
                continue
            if len(lowered) != 1:
                raise SystemExit(f"U+{cp:04X}: lower-cases to several characters: {lowered!r}")
            low = ord(lowered)
            if any(a <= low <= b and folded == chr(low - a + base) for a, b, base in CHEROKEE):
                continue
            if folds.get(lowered, folded) != folded:
                raise SystemExit(f"U+{cp:04X}: conflicting case folds for {lowered!r}")
            folds[lowered] = folded
    return dict(sorted(folds.items()))


def js_tables(table: dict[str, object]) -> str:
    removed = "".join(_js_char(a) if a == b else f"{_js_char(a)}-{_js_char(b)}"
                      for a, b in table["remove"])  # type: ignore[attr-defined]
    folds = json.dumps(casefold_map(table), ensure_ascii=True, separators=(",", ":"))
    return "\n".join([
        BEGIN,
        f"  // Unicode {table['unicode']}: characters whose fold is nothing (combining marks).",
        f'  const COMBINING = "{removed}";',
        "  // Case folds that differ from toLowerCase() (Cherokee is handled in code).",
        f"  const CASEFOLD = {folds};",
        "  " + END,
    ])


def table_json(table: dict[str, object]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> int:
    if unicodedata.unidata_version != UNICODE:
        print(f"This Python has Unicode {unicodedata.unidata_version}; the fold is defined on "
              f"Unicode {UNICODE}: run this tool with Python 3.11.", file=sys.stderr)
        return 2
    table = fold_table()
    js = JS_FILE.read_text(encoding="utf-8")
    start, end = js.index(BEGIN), js.index(END) + len(END)
    updated_js = js[:start] + js_tables(table) + js[end:]
    updated_table = table_json(table)
    if "--check" in argv:
        stale = [str(path) for path, new in ((TABLE_FILE, updated_table), (JS_FILE, updated_js))
                 if path.read_text(encoding="utf-8") != new]
        for path in stale:
            print(f"{path} is out of date: run python tools/fold_tables.py", file=sys.stderr)
        return 1 if stale else 0
    TABLE_FILE.write_text(updated_table, encoding="utf-8")
    JS_FILE.write_text(updated_js, encoding="utf-8")
    print(f"updated {TABLE_FILE} and {JS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
