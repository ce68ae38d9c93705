"""The official OCOP product groups, read from a data file staff can update."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_GROUPS_FILE = Path(__file__).parent.parent / "data" / "product-groups.yaml"


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

    def add(self, category: Category) -> None:
        self.by_id[category.id] = category
        if category.parent is None:
            self.groups.append(category)
            self.subgroups[category.id] = []
        else:
            self.subgroups[category.parent].append(category)

    def subgroup_ids(self) -> list[str]:
        return [c.id for c in self.by_id.values() if c.parent is not None]
