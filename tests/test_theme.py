"""The theme's overrides stay in step with the installed Material for MkDocs."""

from __future__ import annotations

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = Path(material.__file__).parent / "templates"
#: Our additions to Material's header: the catalogue's search box, the language
#: switcher, the menu's name.
OUR_LINES = (
    '    {#- ocop: catalogue search box -#}\n'
    '    {% include "partials/ocop/search-box.html" %}\n'
    '    {#- ocop: this page in the other languages -#}\n'
    '    {% include "partials/ocop/languages.html" %}\n',
    '      {#- ocop: the menu\'s name, for the keyboard-reachable drawer toggle -#}\n'
    '      <span class="ocop-sr-only">Menu</span>\n',
)
_LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)


def test_header_is_materials_own_apart_from_our_lines():
    """A Material upgrade that changes its header fails here: re-copy it, keep our lines."""
    ours = (ROOT / "theme/partials/header.html").read_text(encoding="utf-8")
    upstream = (UPSTREAM / "partials/header.html").read_text(encoding="utf-8")
    for lines in OUR_LINES:
        assert ours.count(lines) == 1
        ours = ours.replace(lines, "")
    assert _LEADING_COMMENT.sub("", ours) == _LEADING_COMMENT.sub("", upstream)


def _block(template: str, name: str) -> str:
    match = re.search(r"\{% block " + name + r" %\}(.*?)\{% endblock %\}\n(?=\s*\{%)",
                      template, re.S)
    assert match, name
    return match.group(1)


def test_container_block_is_materials_own_with_an_id():
    """theme/main.html repeats Material's container block to give it the skip link's id."""
    ours = _block((ROOT / "theme/main.html").read_text(encoding="utf-8"), "container")
    upstream = _block((UPSTREAM / "base.html").read_text(encoding="utf-8"), "container")

    def tokens(text: str) -> list[str]:
        ours_only = '{%- if breadcrumbs %}{% include "partials/ocop/breadcrumb.html" %}{% endif %}'
        return text.replace(' id="noi-dung"', "").replace(ours_only, "").split()

    assert ' id="noi-dung"' in ours
    assert tokens(ours) == tokens(upstream)
