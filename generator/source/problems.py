"""Problems found in the catalogue's data, and how they are reported.

Every problem names the file, the position and the field, in the one format
``path:line:col: field: message`` that editors and CI annotations understand.
"""

from __future__ import annotations

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


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data."""

    position: Position
    field: str
    message: str
    severity: Severity = Severity.ERROR

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

    def warning(self, position: Position, field_name: str, message: str) -> None:
        self.items.append(Problem(position, field_name, message, Severity.WARNING))

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

    def report(self) -> str:
        """All problems, one a line, then a count line."""
        lines = [str(p) for p in self.sorted()]
        lines.append(
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(lines)


class CatalogueError(Exception):
    """Raised when the catalogue cannot be built; carries every problem found."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__(problems.report())
