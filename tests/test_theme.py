"""The theme's overrides stay in step with the installed Material for MkDocs."""

from __future__ import annotations

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = Path(material.__file__).parent / "templates"
#: The one addition to Material's header: the catalogue's search box.
OUR_INCLUDE = ('    {#- ocop: catalogue search box -#}\n'
               '    {% include "partials/ocop/search-box.html" %}\n')
_LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)


def test_header_is_materials_own_apart_from_the_search_box():
    """A Material upgrade that changes its header fails here: re-copy it, keep the include."""
    ours = (ROOT / "theme/partials/header.html").read_text(encoding="utf-8")
    upstream = (UPSTREAM / "partials/header.html").read_text(encoding="utf-8")
    assert ours.count(OUR_INCLUDE) == 1
    # The include sits just before Material's own (unused) search block.
    assert OUR_INCLUDE + '    {% if "material/search" in config.plugins %}' in ours
    assert (_LEADING_COMMENT.sub("", ours.replace(OUR_INCLUDE, ""))
            == _LEADING_COMMENT.sub("", upstream))
