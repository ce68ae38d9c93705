"""Property: arbitrary text in any field gives a page or our validation error,
never a traceback.

Each example puts generated text (any Unicode, mixed with YAML, HTML, template
and path syntax) into one field of a small valid catalogue — either as a value
YAML quotes correctly, or pasted raw after ``field:`` as staff might type it —
then loads, validates and links the catalogue. Every problem must be one of
ours, in the ``path:line:col: field: message`` format; with no error, the site
must build and have the record's page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import typing
from pathlib import Path
from typing import Any

import yaml
from conftest import fixed_build_date
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_corpus import lay_out

from generator.pipeline import build_catalogue
from generator.source.fields import schema_fields, type_hints, unwrap_optional
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.source.records import Fair, PointOfSale, Producer, Product

RECORD_FILES = {
    "products/htx-thu/producer.yaml": Producer,
    "products/htx-thu/duong.yaml": Product,
    "content/points-of-sale/diem-ban.yaml": PointOfSale,
    "content/fairs/hoi-cho.yaml": Fair,
}
EXTRA_RECORDS = {
    "content/points-of-sale/diem-ban.yaml": {
        "name": "Điểm bán", "kind": "showroom", "carries": {"producers": ["htx-thu"]},
        "address": {"commune": "Xã Ô Lâm", "province": "An Giang"}},
    "content/fairs/hoi-cho.yaml": {
        "name": "Hội chợ", "starts": "2026-12-01", "ends": "2026-12-05", "venue": "Nhà văn hóa",
        "city": "Long Xuyên", "exhibitors": [{"producer": "htx-thu", "products": ["duong"]}]},
}
PROBLEM = re.compile(r"^(products|content)/[^:]+(:\d+:\d+)?: [\w.\[\]-]+: (warning: )?\S.*$",
                     re.S)
#: Pieces of syntax that trouble parsers, templates and browsers.
NASTY = ["<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "&amp;", '"', "'", ": ", " #",
         "- ", "\t", "\n", "\r\n", "\x00", "\x85", "\u2028", "\ufeff", "*a", "&a ", "!!binary ",
         "%2e%2e/", "@", "`", "---", "...", "? ", "|", ">", "[", "{", "javascript:", "../",
         "\\", "0296 3 871 234", "NO", "12:30", "1.10", "2024-02-30", "1e400", "-0", "0x1F",
         "~", "null", "ả", "a\u0309", "🙂", "\U0010ffff"]
TEXT = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(NASTY)), max_size=6).map("".join)


def leaf_paths(cls: type, prefix: str = "") -> list[str]:
    """Every scalar field path of a record kind (first item of lists)."""
    out = []
    hints = type_hints(cls)
    for f in schema_fields(cls):
        tp, _ = unwrap_optional(hints[f.name])
        path = prefix + f.name
        if typing.get_origin(tp) is list:
            (tp,) = typing.get_args(tp)
            path += "[0]"
        if dataclasses.is_dataclass(tp):
            out.extend(leaf_paths(tp, path + "."))  # type: ignore[arg-type]
        else:
            out.append(path)
    return out


FIELDS = [(rel, path) for rel, cls in RECORD_FILES.items() for path in leaf_paths(cls)]


def put(data: dict[str, Any], path: str, value: str) -> None:
    """Set ``value`` at a dotted field path, creating groups and lists on the way."""
    node: Any = data
    parts = path.split(".")
    for i, part in enumerate(parts):
        key, is_list = part.removesuffix("[0]"), part.endswith("[0]")
        last = i == len(parts) - 1
        if is_list:
            items = node.get(key)
            if not isinstance(items, list) or not items:
                items = node[key] = [value if last else {}]
            if last:
                items[0] = value
            node = items[0]
        elif last:
            node[key] = value
        else:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]


def write_case(root: Path, rel: str, field: str, text: str, raw: bool) -> None:
    """Write the catalogue's files with ``text`` in ``field`` of the file ``rel``."""
    for other, data in EXTRA_RECORDS.items():
        (root / other).parent.mkdir(parents=True, exist_ok=True)
        (root / other).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if raw and "." not in field and "[" not in field:
        data.pop(field, None)
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_bytes(body.encode() + f"{field}: ".encode() + text.encode("utf-8", "replace")
                         + b"\n")
        return
    put(data, field, text)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def check(root: Path) -> Problems:
    problems = Problems()
    build_catalogue(SourceLayout.default(root), dt.date(2026, 11, 18), problems)
    for problem in problems.items:
        assert PROBLEM.match(str(problem)), str(problem)
    return problems


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), text=TEXT, raw=st.booleans())
def test_any_text_in_any_field_is_valid_or_our_error(tmp_path_factory, field, text, raw):
    root = lay_out(tmp_path_factory.mktemp("p") / "project", [])
    write_case(root, field[0], field[1], text, raw)
    event("refused" if check(root).errors else "accepted")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from([f for f in FIELDS if f[0].startswith("products/")]), text=TEXT)
def test_valid_text_in_any_field_builds_its_page(tmp_path_factory, field, text):
    from generator.adapter.publish import build_site

    root = lay_out(tmp_path_factory.mktemp("b") / "project", [])
    write_case(root, field[0], field[1], text, raw=False)
    if check(root).errors:
        event("refused")
        return
    event("built")
    with fixed_build_date():
        site = build_site(root / "mkdocs.yml", root / "site")
    assert (site / "san-pham/duong/index.html").is_file()
    assert (site / "chu-the/htx-thu/index.html").is_file()
    shutil.rmtree(root)


def test_base_is_valid(tmp_path: Path):
    """The starting point of every example has no problem at all."""
    root = lay_out(tmp_path / "project", [])
    write_case(root, "products/htx-thu/duong.yaml", "name", "Đường", raw=False)
    assert check(root).items == []
