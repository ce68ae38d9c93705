"""Where a catalogue's sources live, and how their paths are shown to staff."""

from __future__ import annotations

import os
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
    #: Hand-written pages and their files (MkDocs' docs_dir): ``<root>/content``.
    content_dir: Path
    #: The project's theme overrides (MkDocs' custom_dir), if any.
    theme_dir: Path | None = None

    @classmethod
    def default(cls, root: Path, groups_file: Path | None = None) -> SourceLayout:
        root = root.resolve()
        return cls(
            root=root,
            products_dir=root / "products",
            points_of_sale_dir=root / "content" / "points-of-sale",
            fairs_dir=root / "content" / "fairs",
            groups_file=groups_file or DEFAULT_GROUPS_FILE,
            content_dir=root / "content",
        )

    def rel(self, path: Path) -> str:
        """Path as shown to staff: relative to the project, with forward slashes."""
        # By string: called for every file of a catalogue, and Path.relative_to is slow.
        text, root = os.fspath(path), os.fspath(self.root)
        if text.startswith(root) and text[len(root):len(root) + 1] in ("/", os.sep):
            return text[len(root) + 1:].replace(os.sep, "/")
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def check_inside(self, path: Path, problems: Problems, option: str = "-") -> bool:
        """Refuse a configured folder that resolves outside the project (through a
        link or '..'); the problem names mkdocs.yml and the ``option`` that sets it."""
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            shown = Path(os.path.relpath(resolved, self.root)).as_posix()
            problems.error(Position("mkdocs.yml"), option,
                           f"the folder '{shown}' is outside the project; keep it inside")
            return False
        return True
