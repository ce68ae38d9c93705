"""Write the Unicode tables the browser's fold() needs into ocop-text.js.

``generator.vietnamese.fold`` drops every character whose canonical combining class is
not 0 (``unicodedata.combining``) and case-folds with ``str.casefold``. Browsers
have neither: JavaScript's /\\p{M}/ is a different set and ``toLowerCase`` is not
case folding. This script writes both as data between the BEGIN/END markers of
theme/assets/javascripts/ocop-text.js, from the running Python's unicodedata;
tests/test_search_fold.py fails when the file is out of date.

Usage: python tools/fold_tables.py [--check]
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JS_FILE = ROOT / "theme" / "assets" / "javascripts" / "ocop-text.js"
BEGIN = "/* BEGIN fold tables (tools/fold_tables.py) */"
END = "/* END fold tables */"
#: Cherokee: casefold maps the lower-case letters back to upper case.
CHEROKEE = ((0xAB70, 0xABBF, 0x13A0), (0x13F8, 0x13FD, 0x13F0))


def _js_char(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\u{{{cp:x}}}"


def combining_class() -> str:
    """A regex character-class body of every code point with combining class ≠ 0."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if unicodedata.combining(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(_js_char(a) if a == b else f"{_js_char(a)}-{_js_char(b)}" for a, b in ranges)


def _without_casefold(char: str) -> str:
    """What the browser computes for one character before the case-fold table."""
    text = unicodedata.normalize("NFD", char.translate({0x111: "d", 0x110: "D"}))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).lower()


def casefold_map() -> dict[str, str]:
    """Lower-cased character → its case fold, where the two differ (Cherokee aside)."""
    from generator.vietnamese import fold

    table: dict[str, str] = {}
    for cp in range(0x110000):
        char = chr(cp)
        if unicodedata.category(char) in ("Cn", "Cs", "Co"):
            continue
        lowered, folded = _without_casefold(char), fold(char)
        if lowered == folded:
            continue
        if len(lowered) != 1:
            raise SystemExit(f"U+{cp:04X}: lower-cases to several characters: {lowered!r}")
        low = ord(lowered)
        if any(a <= low <= b and folded == chr(low - a + base) for a, b, base in CHEROKEE):
            continue
        if table.get(lowered, folded) != folded:
            raise SystemExit(f"U+{cp:04X}: conflicting case folds for {lowered!r}")
        table[lowered] = folded
    return dict(sorted(table.items()))


def tables() -> str:
    folds = json.dumps(casefold_map(), ensure_ascii=True, separators=(",", ":"))
    return "\n".join([
        BEGIN,
        f"  // Unicode {unicodedata.unidata_version}: canonical combining class not 0.",
        f'  const COMBINING = "{combining_class()}";',
        "  // Case folds that differ from toLowerCase() (Cherokee is handled in code).",
        f"  const CASEFOLD = {folds};",
        "  " + END,
    ])


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    text = JS_FILE.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + tables() + text[end:]
    if "--check" in argv:
        if updated != text:
            print(f"{JS_FILE} is out of date: run python tools/fold_tables.py", file=sys.stderr)
            return 1
        return 0
    JS_FILE.write_text(updated, encoding="utf-8")
    print(f"updated {JS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
