"""The web editor at ``/quan-tri/``: Decap CMS, configured from the record declarations.

Staff add and edit records in a browser form; saving opens a branch and a pull
request (Decap's editorial workflow), which CI checks like any other. Nothing here
is written by hand: every collection, field, label, hint, widget, range and
pattern comes from ``source/records.py`` (the same declarations as the JSON
Schemas and ``ocop check``), and the editor writes files in ``ocop fmt``'s
canonical form through ``theme/assets/javascripts/ocop-cms.js``, which reads the
record shapes this module writes to ``editor.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from typing import Any, Literal

import yaml

from ..media.image_types import ImageSettings
from ..source.canonical import SCHEMA_LINE, record_shape
from ..source.fields import FORMATS, schema_fields, type_hints, unwrap_optional
from ..source.groups import ProductGroups
from ..source.records import (
    LEVEL_LABELS,
    POINT_OF_SALE_KINDS,
    PRODUCER_TYPE_LABELS,
    RECORD_KINDS,
    Carries,
    Exhibitor,
    Fair,
    PointOfSale,
    Producer,
    Product,
)
from ..source.walk import IMAGE_SUFFIXES
from .context import OutputContext
from .files import write_bytes

#: Where the editor is served.
EDITOR_DIR = "quan-tri/"
#: Fields the editor has but record files do not (``ocop-cms.js`` removes them before
#: writing): the producer a new product belongs to, which chooses its folder.
PRODUCT_FOLDER_FIELD = "producer"

#: What a pattern asks for, in staff's words (Decap shows it when a value does not match).
PATTERN_HINTS = {
    "slug": "chữ thường không dấu, chữ số và dấu '-', ví dụ tra-sen",
    "phone": "chữ số, dấu cách, dấu chấm hoặc gạch ngang, ví dụ 0296 3 871 234",
    "email": "một địa chỉ thư điện tử, ví dụ ten@vi-du.vn",
    "url": "một địa chỉ web bắt đầu bằng https://",
    "file": "tên một tệp trong cùng thư mục",
}
#: The labels of each enumeration staff choose from.
CHOICES: dict[frozenset[str], dict[str, str]] = {
    frozenset(labels): labels
    for labels in (PRODUCER_TYPE_LABELS, POINT_OF_SALE_KINDS, LEVEL_LABELS)
}
#: Id fields that name products: the editor offers the products to choose from (a
#: product's id is its file name). Producer ids stay text: Decap's relation values
#: cannot name a folder without the collection's own folder in front.
RELATIONS: dict[tuple[type, str], tuple[str, str]] = {
    (Carries, "products"): ("products", "{{filename}}"),
    (Exhibitor, "products"): ("products", "{{filename}}"),
}


def label_of(doc: str) -> str:
    """A field's label: the first phrase of its documentation."""
    for stop in (":", " (", ";", ", "):
        doc = doc.split(stop)[0]
    return doc.strip()


def _pattern(fmt: str) -> list[str]:
    regex = FORMATS[fmt][0].pattern
    if fmt == "url":  # the check ignores case; a browser pattern has no flags
        regex = regex.replace("^https?://", "^[hH][tT][tT][pP][sS]?://")
    return [regex, PATTERN_HINTS[fmt]]


def _image(settings: ImageSettings) -> dict[str, Any]:
    kinds = ", ".join(sorted(s.lstrip(".").upper() for s in IMAGE_SUFFIXES))
    return {
        "widget": "image", "choose_url": False,
        # Decap's own media library refuses a bigger file before it is uploaded.
        "media_library": {"config": {"max_file_size": settings.max_bytes}},
        "hint": (f"Ảnh {kinds}, tối đa {settings.max_bytes // (1024 * 1024)} MB; ảnh được "
                 "lưu trong thư mục của chủ thể."),
    }


def field_widget(cls: type, f: dataclasses.Field[Any], tp: Any, required: bool,
                 groups: ProductGroups, settings: ImageSettings) -> dict[str, Any]:
    """The Decap field of one declared field (nested records included)."""
    doc = f.metadata["doc"]
    out: dict[str, Any] = {"label": f.metadata.get("label") or label_of(doc), "name": f.name,
                           "required": required}
    if doc != out["label"]:
        out["hint"] = doc
    tp, _ = unwrap_optional(tp)
    fmt = f.metadata.get("format")
    origin = typing.get_origin(tp)
    relation = RELATIONS.get((cls, f.name))
    if relation is not None:
        collection, value = relation
        out.update(widget="relation", collection=collection, value_field=value,
                   search_fields=["name"], display_fields=["name"],
                   multiple=origin is list, options_length=50)
    elif dataclasses.is_dataclass(tp):
        out.update(widget="object", collapsed=False,
                   fields=record_fields(tp, required, groups, settings))  # type: ignore[arg-type]
    elif origin is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            out.update(widget="list", collapsed=False,
                       fields=record_fields(item, True, groups, settings))  # type: ignore[arg-type]
        else:
            out.update(widget="list", field={"label": out["label"], "name": "item",
                                             "widget": "string"})
        if f.metadata.get("min_items") and required:
            out["min"] = f.metadata["min_items"]
    elif origin is Literal:
        values = typing.get_args(tp)
        labels = CHOICES.get(frozenset(values), {})
        out.update(widget="select", options=[
            {"label": f"{labels.get(v, v)} ({v})", "value": v} for v in values])
    elif tp is bool:
        # No default: a new record would carry "false" it never chose.
        out["widget"] = "boolean"
    elif tp in (int, float):
        out.update(widget="number", value_type="int" if tp is int else "float",
                   step=1 if tp is int else 0.0001)
        for key in ("minimum", "maximum"):
            if f.metadata.get(key) is not None:
                out[key[:3]] = f.metadata[key]
    elif tp is dt.date:
        out.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY",
                   time_format=False, picker_utc=True)
    elif fmt == "markdown":
        # Raw first: the rich editor rewrites Markdown it did not write.
        out.update(widget="markdown", modes=["raw", "rich_text"])
    elif fmt == "file":
        out.update(_image(settings))
    elif cls is Product and f.name == "category":
        out.update(widget="select", options=[
            {"label": f"{c.name} ({groups.by_id[c.parent].name})", "value": c.id}
            for c in groups.by_id.values() if c.parent is not None])
    elif tp is str:
        out["widget"] = "string"
        if fmt in FORMATS:
            out["pattern"] = _pattern(fmt)
            # The doc speaks to people writing YAML ("in quotes"); the form needs none.
            out["hint"] = f"{out['label']}: {PATTERN_HINTS[fmt]}"
    else:  # a new kind of field needs its widget chosen here, not a text box by default
        raise TypeError(f"{cls.__name__}.{f.name}: no web-editor widget for {tp!r}")
    return out


def record_fields(cls: type, required: bool, groups: ProductGroups,
                  settings: ImageSettings) -> list[dict[str, Any]]:
    """The Decap fields of a record kind, in declared order.

    A field is required in the form when the record requires it and so does every
    group it sits in (an optional group left empty must not block saving); fields
    that are alternatives (``ocop`` or ``certificates``) are optional in the form,
    and ``ocop check`` says when neither is given.
    """
    hints = type_hints(cls)
    out = []
    for f in schema_fields(cls):
        own = (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
               and not f.metadata.get("one_of"))
        out.append(field_widget(cls, f, hints[f.name], required and own, groups, settings))
    return out


def _folder_collection(name: str, label: str, cls: type, kind: str, folder: str,
                       groups: ProductGroups, settings: ImageSettings,
                       **extra: Any) -> dict[str, Any]:
    return {
        "name": name, "label": label, "label_singular": extra.pop("singular"),
        "folder": folder, "extension": "yaml", "format": f"ocop-{kind}",
        "create": True, "delete": False, "identifier_field": "name",
        "summary": "{{name}}", "sortable_fields": ["name"],
        "media_folder": "", "public_folder": "",
        "fields": record_fields(cls, True, groups, settings), **extra,
    }


def editor_config(groups: ProductGroups, *, repo: str, branch: str, auth_url: str,
                  site_url: str, products_dir: str, points_of_sale_dir: str, fairs_dir: str,
                  content_dir: str, settings: ImageSettings | None = None) -> dict[str, Any]:
    """The editor's ``config.yml`` (as data)."""
    settings = settings or ImageSettings()
    backend: dict[str, Any] = {"name": "github", "repo": repo, "branch": branch,
                               "commit_messages": {
                                   "create": "Thêm {{collection}} “{{slug}}”",
                                   "update": "Sửa {{collection}} “{{slug}}”",
                                   "uploadMedia": "Tải ảnh “{{path}}”",
                                   "deleteMedia": "Xóa ảnh “{{path}}”"}}
    if auth_url:
        backend["base_url"] = auth_url
    producers = _folder_collection(
        "producers", "Chủ thể OCOP", Producer, "producer", products_dir, groups, settings,
        singular="chủ thể", path="{{slug}}/producer",
        filter={"field": "_kind", "value": "producer"},
        description="Mỗi chủ thể có một thư mục; sản phẩm và ảnh nằm trong thư mục đó.")
    products = _folder_collection(
        "products", "Sản phẩm", Product, "product", products_dir, groups, settings,
        singular="sản phẩm", path=f"{{{{{PRODUCT_FOLDER_FIELD}}}}}/{{{{slug}}}}",
        filter={"field": "_kind", "value": "product"})
    products["fields"].insert(0, {
        "label": "Chủ thể", "name": PRODUCT_FOLDER_FIELD, "widget": "relation",
        "collection": "producers", "value_field": "{{dirname}}",
        "search_fields": ["name"], "display_fields": ["name"], "required": False,
        "hint": "Chọn khi thêm sản phẩm mới: sản phẩm và ảnh được lưu vào thư mục của "
                "chủ thể này. Với sản phẩm đã có, để trống.",
    })
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        # `make edit`: decap-server on this computer writes into the working copy.
        "local_backend": True,
        "locale": "vi",
        "site_url": site_url,
        "show_preview_links": False,
        "editor": {"preview": False},
        "media_folder": products_dir,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            producers, products,
            _folder_collection("points-of-sale", "Điểm bán", PointOfSale, "point-of-sale",
                               points_of_sale_dir, groups, settings, singular="điểm bán"),
            _folder_collection("fairs", "Hội chợ", Fair, "fair", fairs_dir, groups,
                               settings, singular="hội chợ"),
            {"name": "pages", "label": "Trang viết tay", "label_singular": "trang",
             "folder": content_dir, "extension": "md", "format": "frontmatter",
             "create": False, "delete": False, "media_folder": "", "public_folder": "",
             "fields": [{"label": "Tiêu đề", "name": "title", "widget": "string",
                         "required": False,
                         "hint": "Để trống thì dùng dòng tiêu đề # đầu trang"},
                        # Raw only: the rich editor would rewrite MkDocs' own syntax
                        # ({ #anchor } headings, admonitions, attribute lists).
                        {"label": "Nội dung", "name": "body", "widget": "markdown",
                         "modes": ["raw"]}]},
        ],
    }


def editor_json(products_dir: str) -> dict[str, Any]:
    """What ``ocop-cms.js`` needs: each kind's canonical form, and where producers live
    (a new product's folder is the producer chosen, whose value starts with it)."""
    return {
        "products_folder": products_dir,
        "product_folder_field": PRODUCT_FOLDER_FIELD,
        # What the build can use; the form refuses other photos before uploading them.
        "photo_suffixes": sorted(IMAGE_SUFFIXES),
        "records": {kind: {"schema_line": SCHEMA_LINE.format(kind=kind),
                           "fields": record_shape(cls)}
                    for kind, cls in RECORD_KINDS.items()},
    }


def index_html(site_name: str) -> str:
    """The editor's page: Decap and our format, no script from elsewhere."""
    title = f"Cập nhật danh mục — {site_name}".replace("&", "&amp;").replace("<", "&lt;")
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
<link rel="icon" href="../assets/images/favicon.png">
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="../assets/vendor/js-yaml/js-yaml.min.js"></script>
<script src="../assets/javascripts/ocop-cms.js"></script>
<script src="../assets/vendor/decap-cms/decap-cms.js"></script>
</body>
</html>
"""


def write(context: OutputContext) -> list[str]:
    layout = context.layout
    if layout is None:
        return []
    config = editor_config(
        context.catalogue.groups, repo=context.editor_repo, branch=context.editor_branch,
        auth_url=context.editor_auth_url, site_url=context.site_url,
        products_dir=layout.rel(layout.products_dir),
        points_of_sale_dir=layout.rel(layout.points_of_sale_dir),
        fairs_dir=layout.rel(layout.fairs_dir), content_dir=layout.rel(layout.content_dir))
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    return [
        write_bytes(context, f"{EDITOR_DIR}index.html",
                    index_html(context.site_name).encode("utf-8")),
        write_bytes(context, f"{EDITOR_DIR}config.yml", text.encode("utf-8")),
        write_bytes(context, f"{EDITOR_DIR}editor.json",
                    json.dumps(editor_json(layout.rel(layout.products_dir)),
                               ensure_ascii=False).encode("utf-8")),
    ]

