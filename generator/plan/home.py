"""The home page as a shopper's front door: what it shows, chosen from the catalogue.

Search first; then the product groups as tiles with a photo and a count; the
five- and four-star products; fairs to come; places to buy; the figures last.
The page itself is hand-written (content/index.md: its title and lead); this
is what ``theme/ocop/home.html`` shows below them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..link.catalogue import Catalogue
from ..link.fairs import current_fairs
from ..link.where_to_buy import physical
from ..source.groups import Category
from ..source.records import Fair, PointOfSale, Product
from ..vietnamese import sorted_vi

#: Products in each featured row (one row of the desktop grid, three of a phone's).
FEATURED = 6
#: Fairs and places to buy the home page lists.
FAIRS = 3
PLACES = 4


@dataclass(frozen=True)
class GroupTile:
    group: Category
    count: int
    #: The product whose photo stands for the group: its best rated, then first by name.
    cover: Product


@dataclass(frozen=True)
class Home:
    tiles: tuple[GroupTile, ...]
    five_stars: tuple[Product, ...]
    four_stars: tuple[Product, ...]
    fairs: tuple[Fair, ...]
    #: Showrooms first, then other shops, by name.
    places: tuple[PointOfSale, ...]
    places_total: int


def home(catalogue: Catalogue) -> Home:
    tiles = []
    for group in catalogue.groups.groups:
        products = catalogue.by_category.get(group.id, [])
        if products:
            cover = max(products, key=lambda p: (p.status.certified, p.ocop.stars))
            tiles.append(GroupTile(group, len(products), cover))
    shops = physical(catalogue.points_of_sale.values())
    ranked = (sorted_vi([p for p in shops if p.kind == "showroom"], key=lambda p: p.name)
              + sorted_vi([p for p in shops if p.kind != "showroom"], key=lambda p: p.name))
    return Home(
        tiles=tuple(tiles),
        five_stars=tuple(catalogue.by_stars[5][:FEATURED]),
        four_stars=tuple(catalogue.by_stars[4][:FEATURED]),
        fairs=tuple(current_fairs(catalogue.fairs.values(), catalogue.build_date)[:FAIRS]),
        places=tuple(ranked[:PLACES]),
        places_total=len(shops),
    )
