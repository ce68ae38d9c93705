"""The official OCOP product groups, read from a data file staff can update."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .fields import spec
from .layout import SourceLayout
from .problems import Position, Problems
from .read import read_record


@dataclass(frozen=True)
class Category:
    """A product group (``parent`` is None) or one of its sub-groups."""

    id: str
    name: str
    parent: str | None = None
    name_en: str | None = None
    note: str | None = None


@dataclass
class ProductGroups:
    """All groups and sub-groups, in the order of the decision."""

    decision: str
    groups: list[Category] = field(default_factory=list)
    subgroups: dict[str, list[Category]] = field(default_factory=dict)
    by_id: dict[str, Category] = field(default_factory=dict)
    #: The decision's name in English (the English pages cite it).
    decision_en: str | None = None

    def add(self, category: Category) -> None:
        self.by_id[category.id] = category
        if category.parent is None:
            self.groups.append(category)
            self.subgroups[category.id] = []
        else:
            self.subgroups[category.parent].append(category)

    def subgroup_ids(self) -> list[str]:
        return [c.id for c in self.by_id.values() if c.parent is not None]


@dataclass
class _SubgroupDef:
    """Một phân nhóm."""

    id: str = spec("Mã phân nhóm", fmt="slug")
    name: str = spec("Tên phân nhóm")
    name_en: str | None = spec("Tên tiếng Anh", default=None)
    note: str | None = spec("Ghi chú", default=None)


@dataclass
class _GroupDef:
    """Một nhóm sản phẩm."""

    id: str = spec("Mã nhóm", fmt="slug")
    name: str = spec("Tên nhóm")
    subgroups: list[_SubgroupDef] = spec("Các phân nhóm", min_items=1)
    name_en: str | None = spec("Tên tiếng Anh", default=None)


@dataclass
class _GroupsFile:
    """Bộ phân nhóm sản phẩm OCOP."""

    decision: str = spec("Văn bản quy định")
    groups: list[_GroupDef] = spec("Các nhóm", min_items=1)
    decision_en: str | None = spec("Văn bản quy định, bằng tiếng Anh", default=None)


def load_groups(path: Path, layout: SourceLayout, problems: Problems) -> ProductGroups:
    """The groups file at ``path`` (problems reported like a record's)."""
    data = read_record(_GroupsFile, path, layout, problems)
    groups = ProductGroups(decision=data.decision if data else "",
                           decision_en=data.decision_en if data else None)
    if data is None:
        return groups
    for g in data.groups:
        groups.add(Category(g.id, g.name, None, g.name_en))
        for s in g.subgroups:
            if s.id in groups.by_id:
                problems.error(Position(layout.rel(path)), "groups",
                               f"group id '{s.id}' is used twice")
                continue
            groups.add(Category(s.id, s.name, g.id, s.name_en, s.note))
    return groups
