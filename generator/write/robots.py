"""robots.txt: every page may be crawled; the sitemap says where they all are.

The verification pages (``q/<id>/``) carry their own ``noindex``: they forward to
the product page, which is the one to index.
"""

from __future__ import annotations

from ..plan.urls import Urls
from .context import OutputContext
from .files import write_bytes


def robots_txt(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url.startswith(("https://", "http://")):
        lines.append(f"Sitemap: {site_url}{Urls.sitemap}")
    return "\n".join(lines) + "\n"


def write(context: OutputContext) -> list[str]:
    return [write_bytes(context, Urls.robots, robots_txt(context.site_url).encode("utf-8"))]
