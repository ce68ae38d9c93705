"""``ocop import FILE``: from the annex of a decision to record files.

Each row of the table (``annex``) is matched to the catalogue: by id when the
table has an id column, else by the producer's name (abbreviations such as HTX
spelled out, accents and case ignored) and commune, then the product's name
within that producer. A row that matches several records is reported as
ambiguous with its candidates, never guessed. The plan lists new producers,
new products, re-certified products (old → new stars), rows already imported,
unmatched and ambiguous rows; ``--write`` carries it out: new records are
written in the scaffold's canonical form (``$schema`` line, every field
explained) with what the table gives filled in, and existing products gain the
new certificate in their history (``import_files``). Importing the same table
again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..link.addresses import did_you_mean
from ..link.catalogue import Catalogue
from ..source.admin_units import AdminUnits
from ..source.convert import build_record
from ..source.layout import SourceLayout
from ..source.problems import Problems
from ..source.records import ProducerType, Rating
from ..source.walk import PRODUCER_FILE, reserved_id_problem
from ..source.yamlsafe import Mapping, Node, Scalar, Sequence, YamlError, parse
from ..vietnamese import name_key, slugify
from .annex import Annex, AnnexProblem, AnnexRow, header_key

#: Words written short in producers' names, spelled out before comparing.
_ABBREVIATIONS = {
    "htx": "hop tac xa", "tht": "to hop tac", "cty": "cong ty", "ct": "cong ty",
    "dn": "doanh nghiep", "dntn": "doanh nghiep tu nhan", "cssx": "co so san xuat",
    "cs": "co so", "hkd": "ho kinh doanh", "tnhh": "trach nhiem huu han",
    "mtv": "mot thanh vien", "cp": "co phan",
}
#: The producer type a name's first words tell.
_TYPE_BY_NAME: tuple[tuple[str, ProducerType], ...] = (
    ("hop tac xa", "cooperative"), ("lien hiep hop tac xa", "cooperative"),
    ("to hop tac", "cooperative_group"),
    ("cong ty", "enterprise"), ("doanh nghiep", "enterprise"),
    ("ho kinh doanh", "household"), ("ho san xuat", "household"), ("co so", "household"),
    ("ho ", "household"),
)
#: Folder names start short, as the sample's do: htx-…, tht-….
_ID_PREFIXES = (("hop-tac-xa-", "htx-"), ("to-hop-tac-", "tht-"))
MAX_ID_LENGTH = 60


class ImportAborted(Exception):
    """The import cannot go on (message for staff)."""


def producer_key(name: str) -> str:
    """'HTX Thốt Nốt Ô Lâm' and 'Hợp tác xã thốt nốt Ô Lâm' compare equal."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in header_key(name).split())


def product_key(name: str) -> str:
    return header_key(name)


@dataclass
class Place:
    """A commune as the table or a record names it: by official code when the
    official list knows it, else by its name as a person reads it."""

    commune: str | None
    province: str | None
    code: int | None = None

    def same(self, other: Place) -> bool:
        if self.code is not None and other.code is not None:
            return self.code == other.code
        return (self.commune is not None and other.commune is not None
                and name_key(self.commune) == name_key(other.commune))

    def __str__(self) -> str:
        return ", ".join(p for p in (self.commune, self.province) if p) or "(no address)"


@dataclass
class NewProducer:
    id: str
    name: str
    type: ProducerType | None
    street: str | None
    place: Place
    rows: list[AnnexRow] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"products/{self.id}/{PRODUCER_FILE}"


@dataclass
class NewProduct:
    id: str
    producer_id: str
    row: AnnexRow
    rating: Rating

    @property
    def path(self) -> str:
        return f"products/{self.producer_id}/{self.id}.yaml"


@dataclass
class KnownProducer:
    """A producer folder on disk, loaded or not (a file still missing its type has a
    name and an address to match)."""

    id: str
    name: str
    place: Place
    path: str
    loaded: bool


@dataclass
class KnownProduct:
    """A product file on disk; ``loaded`` is False while ``ocop check`` finds errors
    in it (a product written by an earlier import, its photos not added yet)."""

    id: str
    producer: KnownProducer
    name: str
    path: str
    #: Its certificates, oldest first, as far as they can be read.
    ratings: list[Rating]
    loaded: bool


@dataclass
class Recertified:
    product: KnownProduct
    row: AnnexRow
    rating: Rating


@dataclass
class Unchanged:
    product: KnownProduct
    row: AnnexRow


@dataclass
class Unmatched:
    row: AnnexRow
    reason: str


@dataclass
class Ambiguous:
    row: AnnexRow
    reason: str
    candidates: list[str]


@dataclass
class ImportPlan:
    new_producers: list[NewProducer] = field(default_factory=list)
    new_products: list[NewProduct] = field(default_factory=list)
    recertified: list[Recertified] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    problems: list[AnnexProblem] = field(default_factory=list)
    #: Record files that cannot be read: a row may be theirs, so nothing is written.
    unreadable: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.unmatched or self.ambiguous or self.problems or self.unreadable)


def rating_of(row: AnnexRow) -> Rating:
    assert row.issued is not None and row.decision is not None
    return Rating(stars=row.stars, issued=row.issued, decision=row.decision, score=row.score,
                  level=row.level, certificate=row.certificate)


def _elsewhere(place: Place, named: list[KnownProducer]) -> bool:
    """The table's commune is an official one, and none of these producers is there:
    a producer of the same name in another place (a common name)."""
    return place.code is not None and all(
        p.place.code is not None and p.place.code != place.code for p in named)


def _written(row: AnnexRow) -> str:
    return ", ".join(p for p in (row.street, row.commune, row.province) if p) or "no address"


def _place(commune: str | None, province: str | None, units: AdminUnits) -> Place:
    official_province = units.province(province) if province else None
    if official_province is None:
        return Place(commune, province)
    official = units.commune(official_province, commune) if commune else None
    if official is None:
        return Place(commune, official_province.short_name)
    return Place(official.name, official_province.short_name, official.code)


def producer_type(name: str) -> ProducerType | None:
    key = producer_key(name) + " "
    return next((kind for words, kind in _TYPE_BY_NAME if key.startswith(words)), None)


def _text_at(node: Node | None, *keys: str) -> str | None:
    for key in keys:
        if not isinstance(node, Mapping) or key not in node.items:
            return None
        node = node.items[key][1]
    return node.value if isinstance(node, Scalar) and not node.is_null else None


def _raw_ratings(root: Mapping, path: str) -> list[Rating]:
    nodes: list[Node] = []
    if "ocop" in root.items:
        nodes = [root.items["ocop"][1]]
    elif "certificates" in root.items and isinstance(root.items["certificates"][1], Sequence):
        nodes = root.items["certificates"][1].items
    ratings = [build_record(Rating, node, path, Problems()) if isinstance(node, Mapping)
               else None for node in nodes]
    return [r for r in ratings if r is not None]


@dataclass
class OnDisk:
    """The records an import matches against, and every name it must not take."""

    producers: list[KnownProducer]
    products: list[KnownProduct]
    #: Record files that cannot be read at all (a row could be theirs).
    unreadable: list[str]
    #: Every producer folder and record file name, loaded or not.
    names: set[str]


def known_records(catalogue: Catalogue, layout: SourceLayout, units: AdminUnits) -> OnDisk:
    """Every producer and product on disk: from the catalogue when they loaded, read
    as far as possible from their files when they did not (one walk of products/)."""
    producers: dict[str, KnownProducer] = {}
    products: list[KnownProduct] = []
    unreadable: list[str] = []
    names = set(catalogue.producers) | set(catalogue.products)
    for producer in catalogue.producers.values():
        a = producer.address
        code = a.official_commune.code if a.official_commune is not None else None
        producers[producer.id] = KnownProducer(producer.id, producer.name,
                                               Place(a.commune, a.province, code),
                                               producer.source.path, True)
    for product in catalogue.products.values():
        products.append(KnownProduct(product.id, producers[product.producer.id], product.name,
                                     product.source.path,
                                     [c.rating for c in product.history], True))
    folders = sorted(layout.products_dir.iterdir()) if layout.products_dir.is_dir() else []
    for folder in folders:
        names.add(folder.name)
        if not folder.is_dir() or folder.is_symlink():
            continue
        files = sorted(folder.glob("*.y*ml"))
        names.update(file.stem for file in files)
        if folder.name not in producers:
            root = _parse(folder / PRODUCER_FILE, layout)
            if root is None or not _text_at(root, "name"):
                unreadable.append(layout.rel(folder / PRODUCER_FILE))
                continue
            place = _place(_text_at(root, "address", "commune"),
                           _text_at(root, "address", "province"), units)
            producers[folder.name] = KnownProducer(
                folder.name, _text_at(root, "name") or "", place,
                layout.rel(folder / PRODUCER_FILE), False)
        for file in files:
            if file.name == PRODUCER_FILE or file.stem in catalogue.products:
                continue
            root = _parse(file, layout)
            if root is not None and _text_at(root, "name"):
                products.append(KnownProduct(
                    file.stem, producers[folder.name], _text_at(root, "name") or "",
                    layout.rel(file), _raw_ratings(root, layout.rel(file)), False))
            else:
                unreadable.append(layout.rel(file))
    return OnDisk(list(producers.values()), products, unreadable, names)


def _parse(path: Path, layout: SourceLayout) -> Mapping | None:
    try:
        return parse(layout.rel(path), path.read_bytes())
    except (OSError, YamlError):
        return None


def same_decision(a: str, b: str) -> bool:
    """'99/QĐ-UBND' and '99/QD-UBND' (or '99 / QĐ-UBND') are one decision."""
    return header_key(a) == header_key(b)


def product_keys(product: KnownProduct) -> set[str]:
    """A product is found by its name or by its id read as words: a table's 'Nước mắm
    cá linh Châu Đốc' is the file nuoc-mam-ca-linh-chau-doc named 'Nước mắm cá linh'."""
    return {product_key(product.name), product.id.replace("-", " ")}


class _Planner:
    def __init__(self, catalogue: Catalogue, layout: SourceLayout, units: AdminUnits) -> None:
        self.units = units
        self.plan = ImportPlan()
        disk = known_records(catalogue, layout, units)
        self.plan.unreadable = disk.unreadable
        self.producers = {p.id: p for p in disk.producers}
        self.products = {p.id: p for p in disk.products}
        self.producers_by_key: dict[str, list[KnownProducer]] = defaultdict(list)
        for producer in disk.producers:
            self.producers_by_key[producer_key(producer.name)].append(producer)
        self.products_by_key: dict[str, list[KnownProduct]] = defaultdict(list)
        self.products_of: dict[str, list[KnownProduct]] = defaultdict(list)
        for product in disk.products:
            self.products_of[product.producer.id].append(product)
            for key in product_keys(product):
                self.products_by_key[key].append(product)
        self.new_by_key: dict[tuple[str, str], NewProducer] = {}
        #: Products given a certificate by an earlier row: that row.
        self.touched: dict[str, AnnexRow] = {}
        self.new_products: dict[tuple[str, str], NewProduct] = {}
        #: Products given by two rows (existing ids, or new (producer, name) keys).
        self.conflicts: set[object] = set()
        # A new id never takes a name on disk; "producer" would be the producer's file.
        self.taken_ids = disk.names | {Path(PRODUCER_FILE).stem}

    def _new_id(self, name: str) -> str:
        base = slugify(name)[:MAX_ID_LENGTH].strip("-") or "chu-the"
        for long, short in _ID_PREFIXES:
            if base.startswith(long):
                base = short + base[len(long):]
        if reserved_id_problem(base, "file"):
            base += "-ocop"
        candidate, n = base, 2
        while candidate in self.taken_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.taken_ids.add(candidate)
        return candidate

    def row(self, row: AnnexRow) -> None:
        place = _place(row.commune, row.province, self.units)
        if row.product_id:
            product = self.products.get(row.product_id)
            if product is None:
                self.plan.unmatched.append(Unmatched(
                    row, f"no product with id '{row.product_id}' in the catalogue"))
            else:
                self.certify(product, row)
            return
        if row.producer_id:
            found = self.producers.get(row.producer_id)
            if found is None:
                self.plan.unmatched.append(Unmatched(
                    row, f"no producer with id '{row.producer_id}' in the catalogue"))
                return
            producers = [found]
        else:
            named = self.producers_by_key.get(producer_key(row.producer), [])
            producers = [p for p in named if place.commune is None or p.place.same(place)]
            if named and not producers and not _elsewhere(place, named):
                # Known by name, and the table's address does not show another place:
                # most likely the same producer, written with an old or partial address.
                self.plan.ambiguous.append(Ambiguous(
                    row, f"producer '{row.producer}' is in the catalogue at "
                         + "; ".join(str(p.place) for p in named)
                         + f", the table says '{_written(row)}'", sorted(p.path for p in named)))
                return
        if len(producers) > 1:
            self.plan.ambiguous.append(Ambiguous(
                row, f"producer '{row.producer}' ({place}) matches {len(producers)} producers",
                sorted(p.path for p in producers)))
            return
        key = product_key(row.product)
        if len(producers) == 1:
            products = [p for p in self.products_of[producers[0].id] if key in product_keys(p)]
            if len(products) > 1:
                self.plan.ambiguous.append(Ambiguous(
                    row, f"product '{row.product}' matches {len(products)} products of "
                         f"{producers[0].name}", sorted(p.path for p in products)))
            elif products:
                self.certify(products[0], row)
            else:
                self.new_product(row, producers[0].id)
            return
        # No producer of that name there. A product of that name in that commune may be
        # the same producer written another way ("Cơ sở Ba Tâm", "Hộ kinh doanh Ba Tâm"),
        # or a neighbour's: staff decide.
        same = [p for p in self.products_by_key.get(key, [])
                if place.commune is not None and p.producer.place.same(place)]
        if same:
            self.plan.ambiguous.append(Ambiguous(
                row, f"no producer named '{row.producer}' in {place}, but a product of that "
                     "name there belongs to " + "; ".join(sorted({p.producer.name for p in same})),
                sorted(p.path for p in same)))
        elif place.commune is None or place.province is None:
            self.plan.unmatched.append(Unmatched(
                row, f"producer '{row.producer}' is not in the catalogue and the table gives "
                     "no commune and province for a new one (add an Địa chỉ column, or "
                     "--map the columns that hold them)"))
        elif place.code is None:
            self.plan.unmatched.append(Unmatched(
                row, f"producer '{row.producer}' is not in the catalogue, and a new one needs "
                     f"an address of today: {self.not_official(row)}"))
        else:
            self.new_product(row, self.new_producer(row, place).id)

    def not_official(self, row: AnnexRow) -> str:
        """Why the row's commune and province are not in the official list."""
        units = self.units
        province = units.province(row.province or "")
        if province is None:
            merged = units.merged_into(row.province or "")
            return (f"'{row.province}' became part of {merged.short_name} on 1/7/2025"
                    if merged else f"'{row.province}' is not a province or city since "
                    f"1/7/2025{did_you_mean(units.suggest_provinces(row.province or ''))}")
        hint = did_you_mean(units.suggest_communes(province, row.commune or ""))
        return (f"'{row.commune}' is not a commune, ward or special zone of "
                f"{province.short_name}{hint}")

    def new_producer(self, row: AnnexRow, place: Place) -> NewProducer:
        key = (producer_key(row.producer), str(place.code or name_key(place.commune or "")))
        if key not in self.new_by_key:
            self.new_by_key[key] = NewProducer(
                self._new_id(row.producer), row.producer, producer_type(row.producer),
                row.street, place)
            self.plan.new_producers.append(self.new_by_key[key])
        self.new_by_key[key].rows.append(row)
        return self.new_by_key[key]

    def new_product(self, row: AnnexRow, producer_id: str) -> None:
        key = (producer_id, product_key(row.product))
        if key in self.new_products:
            self.twice(row, self.new_products[key].row, f"'{row.product}' of '{row.producer}'")
            self.conflicts.add(key)
            return
        new = NewProduct(self._new_id(row.product), producer_id, row, rating_of(row))
        self.new_products[key] = new
        self.plan.new_products.append(new)

    def twice(self, row: AnnexRow, first: AnnexRow, what: str) -> None:
        at = (f"row {first.where.row}" if first.where.sheet == row.where.sheet
              else f"sheet {first.where.sheet}, row {first.where.row}")
        self.plan.problems.append(AnnexProblem(
            row.where, "product", f"{what} is also on {at}; give each product once (neither "
                                  "row is imported)"))

    def certify(self, product: KnownProduct, row: AnnexRow) -> None:
        rating = rating_of(row)
        if product.id in self.touched:
            self.twice(row, self.touched[product.id], product.path)
            self.conflicts.add(product.id)
            return
        self.touched[product.id] = row
        same = [r for r in product.ratings if r.issued == rating.issued and (
            same_decision(r.decision, rating.decision)
            or (r.certificate and r.certificate == rating.certificate))]
        if same:
            if same[0].stars == rating.stars:
                self.plan.unchanged.append(Unchanged(product, row))
            else:
                self.plan.problems.append(AnnexProblem(
                    row.where, "stars", f"{product.path} already has the certificate "
                    f"of decision {rating.decision} of {rating.issued:%d/%m/%Y} with "
                    f"{same[0].stars} stars; the table says {rating.stars}"))
            return
        if not product.loaded:
            self.plan.problems.append(AnnexProblem(
                row.where, "product", f"{product.path} does not load yet (run ocop check); "
                                      "fix it, then import again"))
            return
        newest = max(r.issued for r in product.ratings)
        if rating.issued < newest:
            self.plan.problems.append(AnnexProblem(
                row.where, "issued", f"{rating.issued:%d/%m/%Y} is before the newest certificate "
                f"of {product.path} ({newest:%d/%m/%Y}); add an older certificate by "
                "hand, in date order"))
            return
        self.plan.recertified.append(Recertified(product, row, rating))


def plan_import(annex: Annex, catalogue: Catalogue, layout: SourceLayout,
                units: AdminUnits) -> ImportPlan:
    """What importing the table would change; nothing is written."""
    planner = _Planner(catalogue, layout, units)
    planner.plan.problems.extend(annex.problems)
    for row in annex.rows:
        planner.row(row)
    plan, conflicts = planner.plan, planner.conflicts
    plan.recertified = [r for r in plan.recertified if r.product.id not in conflicts]
    plan.unchanged = [u for u in plan.unchanged if u.product.id not in conflicts]
    plan.new_products = [p for p in plan.new_products
                         if (p.producer_id, product_key(p.row.product)) not in conflicts]
    needed = {p.producer_id for p in plan.new_products}
    plan.new_producers = [p for p in plan.new_producers if p.id in needed]
    planner.plan.problems.sort(key=lambda p: (p.where.sheet, p.where.row, p.where.col))
    return planner.plan
