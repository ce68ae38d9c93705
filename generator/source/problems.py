"""Problems found in the catalogue's data, and how they are reported.

Every problem names the file, the position and the field, in the one format
``path:line:col: field: message`` that editors and CI annotations understand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


class Position(NamedTuple):
    """A place in a source file; ``line`` and ``col`` count from 1 (0: unknown).

    A named tuple: the loader makes one per YAML value, by the hundred thousand.
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


#: A kind of warning with more than this many instances is summarised: its first
#: SHOWN_PER_KIND instances, then one line with the count (``--verbose``: all of them).
SUMMARY_FROM = 10
SHOWN_PER_KIND = 5


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data."""

    position: Position
    field: str
    message: str
    severity: Severity = Severity.ERROR
    #: For warnings: what they are about, in words that follow a count
    #: ("certificates end within 90 days"); warnings of one kind are summarised.
    kind: str = field(default="", compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        name = self.field or "-"
        return f"{self.position}: {name}: {prefix}{self.message}"


@dataclass
class Problems:
    """Collects problems across a whole run so that all are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, position: Position, field_name: str, message: str) -> None:
        self.items.append(Problem(position, field_name, message))

    def warning(self, position: Position, field_name: str, message: str,
                kind: str = "") -> None:
        self.items.append(Problem(position, field_name, message, Severity.WARNING,
                                  kind or f"warnings on '{field_name}'"))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.position, p.field, p.message))

    def lines(self, verbose: bool = False) -> list[str]:
        """Every error and every warning, one a line in file order; unless
        ``verbose``, a kind of warning seen more than SUMMARY_FROM times shows its
        first SHOWN_PER_KIND, then a line with its count."""
        totals = Counter(p.kind for p in self.sorted() if p.severity is Severity.WARNING)
        crowded = {kind for kind, n in totals.items() if n > SUMMARY_FROM and not verbose}
        shown: Counter[str] = Counter()
        lines = []
        for p in self.sorted():
            if p.severity is Severity.WARNING and p.kind in crowded:
                shown[p.kind] += 1
                if shown[p.kind] > SHOWN_PER_KIND:
                    continue
            lines.append(str(p))
        for kind in sorted(crowded):
            lines.append(f"warning: {totals[kind]:,} {kind}; the first {SHOWN_PER_KIND} are "
                         "shown above (--verbose lists every one)")
        return lines

    def report(self, verbose: bool = False) -> str:
        """Every problem (crowded warnings summarised, see ``lines``), then a count line."""
        lines = self.lines(verbose)
        lines.append(
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: Problems, strict: bool = False) -> str:
    """GitHub Actions workflow commands: each problem as an annotation on its file and line.

    Data reaches these lines (found values); it is escaped as GitHub documents so
    that a crafted value cannot end the command or start another one.
    """
    lines = []
    for p in problems.sorted():
        level = "error" if p.severity is Severity.ERROR or strict else "warning"
        props = [f"file={_escape_property(p.position.path)}"]
        if p.position.line:
            props += [f"line={p.position.line}", f"col={p.position.col}"]
        name = p.field or "-"
        props.append(f"title={_escape_property(name)}")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(f'{name}: {p.message}')}")
    return "\n".join(lines) if lines else "::notice::catalogue OK"
