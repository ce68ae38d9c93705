"""The supplier filter's data: a compact JSON beside the directory, plain and gzipped.

The script fetches the gzipped copy and inflates it in the browser, so the
download stays small on any static host, even one that does not compress
responses; browsers without ``DecompressionStream`` fetch the plain copy.
"""

from __future__ import annotations

from ..plan.suppliers import filter_data
from ..plan.urls import DataUrls
from .context import OutputContext
from .files import gzip_bytes, json_bytes, write_bytes


def write(context: OutputContext) -> list[str]:
    data = json_bytes(filter_data(context.catalogue))
    return [
        write_bytes(context, DataUrls.suppliers_filter, data),
        write_bytes(context, DataUrls.suppliers_filter_gz, gzip_bytes(data)),
    ]
