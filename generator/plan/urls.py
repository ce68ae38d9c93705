"""Site paths of the buyer and open-data features: pages, exports, feeds, cards, QR codes.

One place names them so that the planners, the output writers and the templates
agree. Paths are relative to the site root, like ``pages.Urls``; directory-style
for pages, file names for files. They are part of the public contract of the
open data (people bookmark and script against them): never rename one.
"""

from __future__ import annotations

from ..source.records import Producer, Product
from .pages import paged_url

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


class DataUrls:
    """Site-root-relative paths of the supplier, statistics and open-data outputs."""

    @staticmethod
    def suppliers(page: int = 1) -> str:
        return paged_url("nha-cung-cap/", page)

    #: Compact facet data behind the supplier filter (plain and gzip-compressed).
    suppliers_filter = "nha-cung-cap/bo-loc.json"
    suppliers_filter_gz = "nha-cung-cap/bo-loc.json.gz"
    suppliers_script = "assets/javascripts/ocop-suppliers.js"

    statistics = "thong-ke/"
    open_data = DATA_DIR
    export_schema = DATA_DIR + "ocop-export.schema.json"
    product_feed = DATA_DIR + "san-pham-moi.xml"

    @staticmethod
    def export(kind: str) -> str:
        return DATA_DIR + EXPORT_FILES[kind]

    @staticmethod
    def csv(kind: str) -> str:
        return DATA_DIR + CSV_FILES[kind]

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
