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


def test_template_globals_are_the_environments_live_with_their_own_over_them():
    """``configure`` makes templates' globals ``TemplateGlobals``: what Jinja's
    ``ChainMap`` gives (iteration, membership, keys, the environment's globals as they
    are now, a template's own over them), by faster paths where it has none."""
    from collections import ChainMap
    from datetime import date

    from jinja2 import DictLoader, Environment

    from generator.render.environment import SiteOptions, TemplateGlobals, configure

    env = Environment(loader=DictLoader({
        "a.html": "{% import 'm.html' as m %}{{ m.hello() }} {{ late }}",
        "m.html": "{% macro hello() %}{{ greeting }}{% endmacro %}",
    }))
    configure(env, SiteOptions(), date(2026, 12, 1))
    env.globals["greeting"] = "chào"
    template = env.get_template("a.html")
    assert isinstance(template.globals, TemplateGlobals)
    env.globals["late"] = "sau"  # added after the template was loaded: seen
    assert template.render() == "chào sau"
    plain = ChainMap({}, env.globals)
    assert list(template.globals) == list(plain)
    assert template.globals.keys() == plain.keys() and "late" in template.globals
    assert "nowhere" not in template.globals
    own = env.get_template("m.html", globals={"greeting": "xin chào", "mine": 1})
    assert own.globals["greeting"] == "xin chào" and "mine" in own.globals
    mixed = ChainMap({"greeting": "xin chào", "mine": 1}, env.globals)
    assert list(own.globals) == list(mixed) and own.globals.keys() == mixed.keys()
    assert set(template.globals.keys()) - own.globals.keys() == set()
    assert own.globals.keys() - template.globals.keys() == {"mine"}
    # Chains made from it are ChainMap's own, whatever their number of maps.
    child = template.globals.new_child({"extra": 2})
    assert list(child) == list(plain.new_child({"extra": 2})) and "extra" in child
    assert list(child.parents) == list(plain) and "late" in child.parents


def test_trade_needs_only_the_page_context():
    """``trade.html`` prints data with the page's ``text`` and ``vi`` (functions of the
    page's language context) and calls no macro of ``macros.html``, which it does not
    import (importing it there again made a second module of it for every page); so
    every template imports it with context (its url filter needs the page). Were it
    to call the page's ``m``, each importer would have to import ``macros.html`` as
    ``m`` before it, or pages whose data reach that macro would fail."""
    from jinja2 import Environment, meta, nodes

    trade = "partials/ocop/trade.html"
    env = Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse((ROOT / "theme" / trade).read_text(encoding="utf-8"))
    # Our filters, as names only: what it reads is what matters here.
    env.filters.update({f.name: str for f in tree.find_all(nodes.Filter)})
    # The names it takes from the page (comments and its own names aside).
    free = meta.find_undeclared_variables(tree)
    assert "m" not in free
    assert {"text", "vi"} <= free
    importers = []
    for path in sorted((ROOT / "theme").rglob("*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        imports = [i for i in tree.find_all(nodes.Import)
                   if isinstance(i.template, nodes.Const) and i.template.value == trade]
        assert all(i.with_context for i in imports), path
        if imports:
            importers.append(path.relative_to(ROOT / "theme").as_posix())
    assert importers == ["ocop/fair.html", "ocop/fairs-year.html", "ocop/home.html",
                         "ocop/index-fairs.html", "ocop/point-of-sale.html",
                         "ocop/producer.html", "ocop/product.html"]


def test_interface_text_is_materials_for_every_key_and_language():
    """Our ``partials/language.html`` gives, for every key of Material's language files
    (and one none has), what Material's own gives, in each of the site's languages
    and as the theme's language where a page has none; and again once kept; and in
    an environment our plugin did not configure."""
    from datetime import date

    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

    from generator.language import LANGUAGES
    from generator.render.environment import SiteOptions, configure

    keys = sorted(set(re.findall(r'^\s*"([^"]+)":', (UPSTREAM / "partials" / "languages"
                                                        / "en.html").read_text("utf-8"),
                                 re.M)) | {"no.such.key"})
    assert len(keys) > 40
    probe = ("{% import 'partials/language.html' as lang with context %}"
             "{% for key in keys %}{{ lang.t(key) }}\n{% endfor %}")
    ours = Environment(loader=ChoiceLoader([DictLoader({"probe.html": probe}),
                                            FileSystemLoader([ROOT / "theme", UPSTREAM])]))
    configure(ours, SiteOptions(), date(2026, 12, 1))
    theirs = Environment(loader=ChoiceLoader([DictLoader({"probe.html": probe}),
                                              FileSystemLoader(UPSTREAM)]))
    assert type(ours.cache) is dict  # every template kept: no LRU's lock per lookup
    config = {"theme": {"language": "vi"}}
    for language in (None, *LANGUAGES):
        code = language.code if language else "vi"
        page = {"keys": keys, "ocop_lang": language, "config": config}
        expected = theirs.get_template("probe.html").render(
            keys=keys, config={"theme": {"language": code}})
        for _ in range(2):
            assert ours.get_template("probe.html").render(page) == expected, code
        assert "Tìm kiếm" in expected if code == "vi" else "Search" in expected
        assert "\nno.such.key\n" in expected
    # An environment that is not ours (Material's search plugin reads t() from one of
    # its own, before our plugin configures the build's): Material's macro, the same.
    plain = Environment(loader=ChoiceLoader([DictLoader({"probe.html": probe}),
                                             FileSystemLoader([ROOT / "theme", UPSTREAM])]))
    for code in ("vi", "en"):
        config = {"theme": {"language": code}}
        expected = theirs.get_template("probe.html").render(keys=keys, config=config)
        assert plain.get_template("probe.html").render(keys=keys, config=config) == expected
