"""Where a catalogue's sources live, and how their paths are shown to staff."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Position, Problems

#: The official product groups shipped with the generator (Decision 148/QĐ-TTg).
DEFAULT_GROUPS_FILE = Path(__file__).resolve().parent.parent / "data" / "product-groups.yaml"


@dataclass(frozen=True)
class SourceLayout:
    """Where a catalogue's sources live; every path is inside ``root``."""

    #: The project folder (the one holding mkdocs.yml), absolute.
    root: Path
    #: Producer folders: ``<root>/products`` by default.
    products_dir: Path
    #: Point-of-sale records: ``<root>/content/points-of-sale`` by default.
    points_of_sale_dir: Path
    #: Fair records: ``<root>/content/fairs`` by default.
    fairs_dir: Path
    #: The official product groups (the copy shipped with the generator by default).
    groups_file: Path

    @classmethod
    def default(cls, root: Path, groups_file: Path | None = None) -> SourceLayout:
        root = root.resolve()
        return cls(
            root=root,
            products_dir=root / "products",
            points_of_sale_dir=root / "content" / "points-of-sale",
            fairs_dir=root / "content" / "fairs",
            groups_file=groups_file or DEFAULT_GROUPS_FILE,
        )

    def rel(self, path: Path) -> str:
        """Path as shown to staff: relative to the project, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def check_inside(self, path: Path, problems: Problems) -> bool:
        """Refuse configured folders that resolve outside the project (e.g. via a link)."""
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            problems.error(Position(path.as_posix()), "-", "folder is outside the project")
            return False
        return True
