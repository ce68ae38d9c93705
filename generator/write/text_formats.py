"""Text in the file formats the site publishes: vCard and iCalendar content
lines, and spreadsheet cells. One home for each escaping rule.

vCard 4.0 (RFC 6350 §3.2, §3.4) and iCalendar (RFC 5545 §3.1, §3.3.11) share
theirs: TEXT values escape backslash, comma, semicolon and line breaks; content
lines are folded at 75 octets, continuation lines starting with one space,
never inside a UTF-8 character.
"""

from __future__ import annotations

from typing import Any

#: Octets in one physical line of a vCard or iCalendar file (CRLF not counted).
MAX_LINE_OCTETS = 75

#: What a spreadsheet runs as a formula when a cell starts with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, ',', ';' and line breaks (CRLF, CR, LF) escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """One content line folded at ``MAX_LINE_OCTETS`` octets, joined by CRLF + space.

    The space that starts a continuation line counts in its 75 octets.
    """
    out: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = char, width, MAX_LINE_OCTETS - 1
        else:
            current += char
            size += width
    out.append(current)
    return "\r\n ".join(out)


def csv_cell(value: Any) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading
    apostrophe (data is untrusted: '=HYPERLINK(…)' must show, not run)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
