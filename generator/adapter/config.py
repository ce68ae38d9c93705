"""Options of the ``ocop`` MkDocs plugin, as written in ``mkdocs.yml``."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CatalogueConfig(base.Config):
    #: Producer folders (each with producer.yaml, product files and photos).
    products_dir = c.Type(str, default="products")
    #: Point-of-sale records.
    points_of_sale_dir = c.Type(str, default="content/points-of-sale")
    #: Fair records.
    fairs_dir = c.Type(str, default="content/fairs")
    #: The official product groups; empty for the copy shipped with the generator.
    product_groups = c.Type(str, default="")
    #: A note shown on every page, e.g. that the catalogue holds sample data.
    notice = c.Type(str, default="")
    #: Treat warnings (e.g. certificates expiring soon) as errors.
    strict = c.Type(bool, default=False)
    #: Build only part of the catalogue, for a quick preview of a national one:
    #: "province:<name>" or "products:<n>". The OCOP_PREVIEW variable overrides it.
    preview = c.Type(str, default="")
    #: Processes rendering generated pages; 0 means one per CPU, 1 turns it off.
    #: The OCOP_WORKERS variable overrides it.
    workers = c.Type(int, default=0)
    #: Folder for processed photos kept between builds (relative to mkdocs.yml).
    cache_dir = c.Type(str, default=".cache/ocop")
    #: Licence of the open data (exports, feeds), chosen by the catalogue owner.
    data_licence = c.Type(str, default="CC BY 4.0")
    #: Where the licence text is; empty for none.
    data_licence_url = c.Type(str, default="https://creativecommons.org/licenses/by/4.0/deed.vi")
