"""The product finder page (``tim-kiem/``): facets, sorts and their first counts.

The page is rendered with the counts of its default view (certified products,
no other filter), so it reads right before the browser has loaded the index;
``ocop-finder.js`` then recomputes every count from ``facets.json`` as filters
change. The option values here are the ones the URL and the script use.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..language import N_, VIETNAMESE, Language
from ..link.catalogue import STAR_LEVELS, Catalogue
from ..source.certificates import LABELS as STATUS_LABELS
from ..source.records import PRODUCER_TYPE_LABELS, Product
from ..vietnamese import slugify, sorted_vi
from .pages import PageSpec
from .urls import Urls

#: Results per page of the finder.
FINDER_PAGE_SIZE = 24
#: Statuses shown when the URL names none: the certificate is currently valid.
DEFAULT_STATUSES = ("valid", "expiring")
#: Price ranges offered as one click (đồng, both bounds included; None = no upper bound).
PRICE_RANGES: tuple[tuple[int, int | None], ...] = (
    (0, 49_999), (50_000, 99_999), (100_000, 199_999), (200_000, 499_999), (500_000, None),
)
SORTS = (
    ("phu-hop", N_("Phù hợp nhất")),
    ("ten", N_("Tên (A–Z)")),
    ("sao", N_("Hạng sao (cao trước)")),
    ("gia-tang", N_("Giá (thấp trước)")),
    ("gia-giam", N_("Giá (cao trước)")),
)


@dataclass(frozen=True)
class Option:
    """One choice of a facet with its count in the default view."""

    value: str
    label: str
    count: int
    children: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Finder:
    """Everything the finder template shows before the script takes over."""

    total: int
    stars: tuple[Option, ...]
    groups: tuple[Option, ...]
    provinces: tuple[Option, ...]
    #: Communes of the only province, when the catalogue has one province.
    places: tuple[Option, ...]
    types: tuple[Option, ...]
    statuses: tuple[Option, ...]
    prices: tuple[Option, ...]
    sorts: tuple[tuple[str, str], ...]
    default_statuses: tuple[str, ...]
    page_size: int
    #: The first page of the default view, rendered in the page (no layout shift,
    #: no request for it), and its documents' numbers (their name rank), by which
    #: the script recognises it.
    first_page: tuple[Product, ...] = ()
    first_page_docs: str = ""


def price_label(low: int, high: int | None, lang: Language = VIETNAMESE) -> str:
    _ = lang.gettext
    if low == 0 and high is not None:
        return _("Dưới %(price)s") % {"price": lang.price(high + 1)}
    if high is None:
        return _("Từ %(price)s") % {"price": lang.price(low)}
    return f"{lang.price(low)} – {lang.price(high + 1)}"


def price_value(low: int, high: int | None) -> str:
    """URL value of a price range: '50000-99999', '500000-' (both bounds included)."""
    return f"{low}-{high if high is not None else ''}"


def build_finder(catalogue: Catalogue, lang: Language = VIETNAMESE) -> Finder:
    _ = lang.gettext
    products = catalogue.products_sorted
    shown = [p for p in products if p.status.code in DEFAULT_STATUSES]
    stars = Counter(p.ocop.stars for p in shown)
    sub = Counter(p.subgroup.id for p in shown)
    grp = Counter(p.group.id for p in shown)
    types = Counter(p.producer.type for p in shown)
    # A facet's counts ignore its own filter: every status is counted.
    statuses = Counter(p.status.code for p in products)
    provinces = Counter(p.producer.address.province for p in shown)
    groups = catalogue.groups
    province_names = sorted_vi({p.producer.address.province for p in products}
                               | {p.address.province for p in catalogue.producers.values()},
                               key=lambda n: n)
    places: tuple[Option, ...] = ()
    if len(province_names) == 1:
        place_counts = Counter(p.producer.place_slug for p in shown)
        places = tuple(Option(slug, place.commune, place_counts.get(slug, 0))
                       for slug, place in catalogue.places.items())

    def in_range(amount: int, low: int, high: int | None) -> bool:
        return amount >= low and (high is None or amount <= high)

    rank = {p.id: i for i, p in enumerate(products)}
    first_page = tuple(shown[:FINDER_PAGE_SIZE])
    return Finder(
        first_page=first_page,
        first_page_docs=",".join(str(rank[p.id]) for p in first_page),
        total=len(shown),
        stars=tuple(Option(str(s), _("%(stars)s sao") % {"stars": s}, stars.get(s, 0))
                    for s in reversed(STAR_LEVELS)),
        groups=tuple(
            Option(g.id, lang.text(g, "name"), grp.get(g.id, 0),
                   tuple(Option(c.id, lang.text(c, "name"), sub.get(c.id, 0))
                         for c in groups.subgroups[g.id]))
            for g in groups.groups
        ),
        provinces=tuple(Option(slugify(n), n, provinces.get(n, 0)) for n in province_names),
        places=places,
        types=tuple(Option(t, _(label), types.get(t, 0))
                    for t, label in PRODUCER_TYPE_LABELS.items()),
        statuses=tuple(Option(code, _(label), statuses.get(code, 0))
                       for code, label in STATUS_LABELS.items()),
        prices=tuple(
            Option(price_value(low, high), price_label(low, high, lang),
                   sum(1 for p in shown if p.price and in_range(p.price.amount, low, high)))
            for low, high in PRICE_RANGES
        ),
        sorts=tuple((value, _(label)) for value, label in SORTS),
        default_statuses=DEFAULT_STATUSES,
        page_size=FINDER_PAGE_SIZE,
    )


def plan_finder_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """The finder page (one page, whatever the size of the catalogue)."""
    _ = lang.gettext
    return [PageSpec(
        url=Urls.finder, template="ocop/finder.html", title=_("Tìm sản phẩm OCOP"),
        kind="finder", context={"finder": build_finder(catalogue, lang)},
        description=_("Tìm và lọc sản phẩm OCOP theo tên, hạng sao, nhóm, địa phương, "
                      "loại chủ thể, tình trạng chứng nhận và giá."),
    )]
