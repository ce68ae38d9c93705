"""Every site path of the catalogue, in one place: pages, listings, data files.

Paths are relative to the site root: directory-style for pages
(``san-pham/<id>/``), file names for files. Planners, output writers and
templates (as ``ocop_urls``) all take them from here, so they always agree.
They are part of the public contract too (people bookmark and script against
the pages, exports and feeds): never rename one.

Why no two paths can collide: record ids are slugs, and ids that would take an
index page's path are refused by the linker — ``trang-<n>`` everywhere (listing
pages), a point of sale ``tinh`` (provinces' points of sale), a fair
``nam-<year>`` (past fairs of a year). Commune slugs always contain a '-', so no
commune page is ``dia-phuong/tinh/``. Files sit inside their record's own
folder (a fair's calendar, a producer's vCard) or have a file name no folder
takes (``hoi-cho/sap-dien-ra.ics``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..source.groups import Category
from ..source.records import Fair, Location, PointOfSale, Producer, Product

#: Folder of the open-data files and of their documentation page.
DATA_DIR = "du-lieu/"

#: Export files by kind, in the order the open-data page lists them.
EXPORT_FILES: dict[str, str] = {
    "products": "products.json",
    "producers": "producers.json",
    "points_of_sale": "points-of-sale.json",
    "fairs": "fairs.json",
}
CSV_FILES: dict[str, str] = {
    "products": "products.csv",
    "producers": "producers.csv",
}


def paged_url(base: str, page: int) -> str:
    """URL of page ``page`` of a listing at ``base``: base, then base/trang-2/ …"""
    return base if page == 1 else f"{base}trang-{page}/"


class Urls:
    """Site-root-relative paths of every page and file the catalogue publishes."""

    # --- products and producers -------------------------------------------------
    @staticmethod
    def product(product: Product) -> str:
        return f"san-pham/{product.id}/"

    @staticmethod
    def products(page: int = 1) -> str:
        return paged_url("san-pham/", page)

    @staticmethod
    def producer(producer: Producer) -> str:
        return f"chu-the/{producer.id}/"

    @staticmethod
    def producers(page: int = 1) -> str:
        return paged_url("chu-the/", page)

    @staticmethod
    def producer_products(producer: Producer, page: int = 1) -> str:
        """All products of a producer with more than a page of them."""
        return paged_url(f"chu-the/{producer.id}/san-pham/", page)

    @staticmethod
    def vcard(producer: Producer) -> str:
        """The producer's contact card, beside its page (the file name is the download name)."""
        return f"chu-the/{producer.id}/{producer.id}.vcf"

    @staticmethod
    def verify(product: Product) -> str:
        """Short stable URL a QR code on the shelf points to; it leads to the product page."""
        return f"q/{product.id}/"

    @staticmethod
    def qr_svg(product: Product) -> str:
        return f"q/{product.id}/qr.svg"

    # --- browsing -----------------------------------------------------------------
    stars_index = "sao/"
    groups_index = "nhom/"
    places = "dia-phuong/"
    finder = "tim-kiem/"

    @staticmethod
    def stars(stars: int, page: int = 1) -> str:
        return paged_url(f"sao/{stars}/", page)

    @staticmethod
    def category(category: Category, page: int = 1) -> str:
        return paged_url(f"nhom/{category.id}/", page)

    @staticmethod
    def place(slug: str, page: int = 1) -> str:
        """A commune's products (``slug`` from ``link.places.place_slug``)."""
        return paged_url(f"dia-phuong/{slug}/", page)

    @staticmethod
    def province(slug: str) -> str:
        """A province's communes, once the catalogue has several provinces."""
        return f"dia-phuong/tinh/{slug}/"

    # --- where to buy ---------------------------------------------------------------
    @staticmethod
    def point_of_sale(pos: PointOfSale, page: int = 1) -> str:
        return paged_url(f"diem-ban/{pos.id}/", page)

    @staticmethod
    def points_of_sale(page: int = 1) -> str:
        return paged_url("diem-ban/", page)

    @staticmethod
    def province_points_of_sale(slug: str, page: int = 1) -> str:
        return paged_url(f"diem-ban/tinh/{slug}/", page)

    @staticmethod
    def map(page: int = 1) -> str:
        return paged_url("ban-do/", page)

    @staticmethod
    def province_map(slug: str, page: int = 1) -> str:
        return paged_url(f"ban-do/tinh/{slug}/", page)

    @staticmethod
    def map_data(slug: str | None = None) -> str:
        """The markers of one map (the whole catalogue's, or a province's) as JSON."""
        return f"{Urls.province_map(slug) if slug else Urls.map()}vi-tri.json"

    @staticmethod
    def openstreetmap(location: Location) -> str:
        """An OpenStreetMap link with a marker: works without our map or JavaScript."""
        query = urlencode({"mlat": f"{location.lat:.5f}", "mlon": f"{location.lon:.5f}"})
        return (f"https://www.openstreetmap.org/?{query}"
                f"#map=17/{location.lat:.5f}/{location.lon:.5f}")

    # --- fairs ------------------------------------------------------------------------
    #: Fairs to come, as a calendar to subscribe to.
    upcoming_calendar = "hoi-cho/sap-dien-ra.ics"
    fair_feed = "hoi-cho/feed.xml"

    @staticmethod
    def fair(fair: Fair) -> str:
        return f"hoi-cho/{fair.id}/"

    @staticmethod
    def fairs(page: int = 1) -> str:
        return paged_url("hoi-cho/", page)

    @staticmethod
    def fair_year(year: int, page: int = 1) -> str:
        return paged_url(f"hoi-cho/nam-{year}/", page)

    @staticmethod
    def fair_calendar(fair: Fair) -> str:
        return f"{Urls.fair(fair)}{fair.id}.ics"

    # --- the site as a whole -------------------------------------------------------------
    robots = "robots.txt"
    sitemap = "sitemap.xml"

    # --- buyers and open data -----------------------------------------------------------
    #: Compact facet data behind the supplier filter (plain and gzip-compressed).
    suppliers_filter = "nha-cung-cap/bo-loc.json"
    suppliers_filter_gz = "nha-cung-cap/bo-loc.json.gz"
    suppliers_script = "assets/javascripts/ocop-suppliers.js"
    statistics = "thong-ke/"
    open_data = DATA_DIR
    export_schema = DATA_DIR + "ocop-export.schema.json"
    product_feed = DATA_DIR + "san-pham-moi.xml"

    @staticmethod
    def suppliers(page: int = 1) -> str:
        return paged_url("nha-cung-cap/", page)

    @staticmethod
    def export(kind: str) -> str:
        return DATA_DIR + EXPORT_FILES[kind]

    @staticmethod
    def csv(kind: str) -> str:
        return DATA_DIR + CSV_FILES[kind]
