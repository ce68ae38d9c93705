"""The English catalogue under /en/: every page family in both languages, linked both
ways, English interface text from the message catalogue, English data where staff
gave it (the Vietnamese, marked lang="vi", where they did not), locale formatting."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES, ROOT, copy_project, fixed_build_date

from generator.adapter.publish import build_site
from generator.language import ENGLISH, LOCALE_DIR, VIETNAMESE
from generator.plan import plan_pages

SITE_URL = "https://ocop.example.vn/"
#: Letters only Vietnamese text has (tones and ă â đ ê ô ơ ư), any case.
VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
DOCUMENT_NUMBER = re.compile(r"\(?\d+/[\wĐđ-]+\)?[.,;]?")


class _Page(HTMLParser):
    """Links, alternates, the switcher, JSON-LD and the text of a page outside
    elements marked lang="vi" (and outside <head>, scripts and styles)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"})

    def __init__(self, hand_written: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.hand_written = hand_written
        self.stack: list[tuple[str, bool]] = []  # (tag, text here is Vietnamese data)
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.text: list[str] = []
        self.labels: list[str] = []
        self.jsonld: list[str] = []
        self.html_lang = ""
        self._in_switcher = False

    def _vi(self) -> bool:
        return any(vi for _, vi in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        if tag == "nav" and "ocop-languages" in a.get("class", ""):
            self._in_switcher = True
        if tag == "a" and self._in_switcher:
            self.switcher[a["hreflang"]] = a["href"]
        skip = tag in ("head", "script", "style", "svg")
        # Staff's own text: Markdown (an English story may name a Vietnamese dish), the
        # hand-written pages' content.
        staff = "ocop-text" in a.get("class", "") or (
            self.hand_written and tag == "article" and "md-content__inner" in a.get("class", ""))
        vi = a.get("lang") == "vi" or skip or staff
        if not vi and not self._vi():
            self.labels += [a[k] for k in ("aria-label", "placeholder", "title") if a.get(k)]
            if tag == "img" and a.get("alt") and a.get("lang") != "vi":
                self.labels.append(a["alt"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self.stack.append(("ld", True))
            return
        if tag not in self.VOID:
            self.stack.append((tag, vi))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switcher = False
        if tag == "script" and self.stack and self.stack[-1][0] == "ld":
            self.stack.pop()
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "ld":
            self.jsonld.append(data)
        elif not self._vi():
            self.text.append(data)


def parse(path: Path, hand_written: bool = False) -> _Page:
    page = _Page(hand_written)
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_urls(site: Path) -> list[str]:
    """Every page of a built site: '' for the home page, 'en/san-pham/' …"""
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                  for p in site.rglob("index.html"))


@pytest.fixture(scope="module")
def english(sample_site: Path) -> list[str]:
    """The English pages of the sample site (the staff's web editor is not one)."""
    return [u for u in page_urls(sample_site) if u.startswith("en/")]


def test_every_generated_page_has_an_english_twin(sample_site: Path, sample_catalogue):
    specs = plan_pages(sample_catalogue, (VIETNAMESE, ENGLISH))
    vietnamese = {s.url for s in specs if s.language == "vi"}
    assert {s.url for s in specs if s.language == "en"} == {"en/" + u for u in vietnamese}
    families = {s.kind for s in specs}
    assert {"product", "producer", "products", "stars", "category", "place", "index",
            "point-of-sale", "fair", "map", "finder", "suppliers", "statistics",
            "open-data"} <= families
    for url in vietnamese:
        assert (sample_site / "en" / url / "index.html").is_file(), url
    # The home page, the about page, the verification pages, the 404 page.
    for path in ("en/index.html", "en/gioi-thieu-ocop/index.html",
                 "en/q/nuoc-mam-ca-com-phu-quoc/index.html"):
        assert (sample_site / path).is_file(), path


def sitemap_alternates(site: Path) -> dict[str, dict[str, str]]:
    """Each page of the sitemap (site path) → its hreflang alternates."""
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    out = {}
    for loc, body in re.findall(r"<url>\s*<loc>([^<]+)</loc>(.*?)</url>", xml, re.S):
        out[loc.removeprefix(SITE_URL)] = dict(
            re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', body))
    return out


def test_alternates_are_symmetric_and_absolute(sample_site: Path, english: list[str]):
    """In the sitemap: each page with its versions, both ways, x-default Vietnamese."""
    alternates = sitemap_alternates(sample_site)
    for url in english:
        if url.startswith("en/q/"):  # verification pages forward, unlisted (noindex)
            continue
        vietnamese = url.removeprefix("en/")
        if not (sample_site / vietnamese / "index.html").is_file():
            assert alternates[url] == {}, url
            continue
        assert alternates[url] == {"vi": SITE_URL + vietnamese, "en": SITE_URL + url,
                                   "x-default": SITE_URL + vietnamese}, url
        assert alternates[vietnamese] == alternates[url]


def test_pages_carry_no_alternate_link_material_would_fetch_a_sitemap_for(
        sample_site: Path, english: list[str]):
    """Material's script fetches 'sitemap.xml' beside every <link rel="alternate">
    of a page, on every page view: the sitemap tells search engines instead."""
    for url in [*english, "", "san-pham/nuoc-mam-ca-com-phu-quoc/"]:
        assert parse(sample_site / url / "index.html").alternates == {}, url


def test_a_page_without_translation_has_no_alternate(sample_site: Path):
    """The staff guide is Vietnamese only: no English alternate, and the switcher
    leads to the English home page instead."""
    assert sitemap_alternates(sample_site)["huong-dan-dang-tai/"] == {}
    page = parse(sample_site / "huong-dan-dang-tai" / "index.html")
    assert page.switcher == {"en": "../en/"}
    assert not (sample_site / "en" / "huong-dan-dang-tai").exists()


def _follow(url: str, href: str) -> str:
    """The site path ``href`` (relative, from the page at ``url``) leads to."""
    parts = url.split("/")[:-1]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + ("/" if parts else "")


@pytest.mark.parametrize("url", [
    "", "san-pham/nuoc-mam-ca-com-phu-quoc/", "chu-the/htx-thot-not-phuoc-hoa/", "sao/4/",
    "nhom/thuc-pham/", "dia-phuong/phuong-chau-doc-an-giang/", "diem-ban/",
    "hoi-cho/hoi-cho-ocop-an-giang-2027/", "ban-do/", "tim-kiem/", "nha-cung-cap/",
    "thong-ke/", "du-lieu/", "gioi-thieu-ocop/"])
def test_the_switcher_round_trips(sample_site: Path, url: str):
    there = _follow(url, parse(sample_site / url / "index.html").switcher["en"])
    assert there == "en/" + url
    back = _follow(there, parse(sample_site / there / "index.html").switcher["vi"])
    assert back == url


def test_english_pages_say_they_are_english(sample_site: Path, english: list[str]):
    for url in english:
        assert parse(sample_site / url / "index.html").html_lang == "en", url
    html = (sample_site / "en/san-pham/nuoc-mam-ca-com-phu-quoc/index.html").read_text("utf-8")
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:locale:alternate" content="vi_VN">' in html
    data = json.loads("".join(parse(
        sample_site / "en/san-pham/nuoc-mam-ca-com-phu-quoc/index.html").jsonld))
    assert data["name"] == "Premium anchovy fish sauce, 40°N"
    assert data["mainEntityOfPage"] == {
        "@type": "WebPage", "inLanguage": "en",
        "@id": SITE_URL + "en/san-pham/nuoc-mam-ca-com-phu-quoc/"}
    assert data["brand"]["url"] == SITE_URL + "en/chu-the/nuoc-mam-ganh-nhum/"


def _data_values(catalogue) -> list[str]:
    """Every text staff wrote (Vietnamese data an English page may show), longest first."""
    out: set[str] = set()

    def walk(value, depth=0):
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, depth)
        elif hasattr(value, "__dataclass_fields__") and depth < 3:
            for name in value.__dataclass_fields__:
                # Where staff gave the English, an English page must show it, never
                # the Vietnamese: that text does not count as data shown.
                translated = getattr(value, f"{name}_en", None)
                if name not in ("products", "producer", "points_of_sale", "fairs",
                                "producers", "source", "history") and not translated:
                    walk(getattr(value, name), depth + 1)

    for records in (catalogue.products.values(), catalogue.producers.values(),
                    catalogue.points_of_sale.values(), catalogue.fairs.values(),
                    catalogue.groups.by_id.values(), catalogue.places.values()):
        for record in records:
            walk(record)
    return sorted(out, key=len, reverse=True)


def _uncovered_words(text: str, values: list[str]) -> list[str]:
    """Words with a Vietnamese letter in ``text`` that no staff-written value covers."""
    covered = [False] * len(text)
    for value in values:
        start = text.find(value)
        while start >= 0:
            covered[start:start + len(value)] = [True] * len(value)
            start = text.find(value, start + 1)
    return [m.group() for m in re.finditer(r"[^\s,.;:()“”\"'!?·–—…]+", text)
            if VIETNAMESE_LETTERS.search(m.group())
            and not all(covered[m.start():m.end()])
            # Numbers of official documents: 148/QĐ-TTg.
            and not DOCUMENT_NUMBER.fullmatch(m.group())]


def test_no_vietnamese_interface_text_on_english_pages(sample_site: Path, english: list[str],
                                                       sample_catalogue):
    """Outside elements marked lang="vi", an English page holds no Vietnamese letter but
    in the names staff wrote (a commune, a province, a unit): any other is interface
    text the English catalogue lacks (an untranslated string fails here)."""
    data = [v for v in _data_values(sample_catalogue) if VIETNAMESE_LETTERS.search(v)]
    generated = {s.url for s in plan_pages(sample_catalogue, (VIETNAMESE, ENGLISH))}
    found: dict[str, set[str]] = {}
    for url in english:
        page = parse(sample_site / url / "index.html", hand_written=url not in generated)
        for text in [*page.text, *page.labels]:
            if VIETNAMESE_LETTERS.search(text):
                for word in _uncovered_words(text, data):
                    found.setdefault(word, set()).add(url)
    assert {w: sorted(u)[:3] for w, u in found.items()} == {}


def test_english_data_where_given_vietnamese_marked_where_not(sample_site: Path):
    html = (sample_site / "en/san-pham/nuoc-mam-ca-com-phu-quoc/index.html").read_text("utf-8")
    assert "<h1>Premium anchovy fish sauce, 40°N</h1>" in html
    # The name on the label, under the title, in Vietnamese.
    assert '<p class="ocop-name-en" lang="vi">Nước mắm cá cơm nhĩ 40 độ đạm</p>' in html
    # A product without English text: its Vietnamese description, marked.
    html = (sample_site / "en/san-pham/banh-bo-thot-not-tinh-bien/index.html").read_text("utf-8")
    assert '<div class="ocop-text" lang="vi">' in html


def test_prices_and_dates_in_english(sample_site: Path):
    html = (sample_site / "en/san-pham/nuoc-mam-ca-com-phu-quoc/index.html").read_text("utf-8")
    assert re.search(r'<span class="ocop-price">VND\xa0\d{1,3}(,\d{3})+</span>', html)
    assert re.search(r"<dd>\d{1,2} (January|February|March|April|May|June|July|August|"
                     r"September|October|November|December) 20\d\d</dd>", html)
    vietnamese = (sample_site / "san-pham/nuoc-mam-ca-com-phu-quoc/index.html").read_text("utf-8")
    assert re.search(r'<span class="ocop-price">\d{1,3}(\.\d{3})+\xa0₫</span>', vietnamese)


def test_english_search_index_and_other_language_files(sample_site: Path):
    manifest = json.loads((sample_site / "en/assets/ocop-search/manifest-2.json").read_text())
    assert manifest["products"] == 42
    for path in ("en/hoi-cho/feed.xml", "en/hoi-cho/sap-dien-ra.ics",
                 "en/nha-cung-cap/bo-loc.json", "en/ban-do/vi-tri.json"):
        assert (sample_site / path).is_file(), path
    feed = (sample_site / "en/hoi-cho/feed.xml").read_text(encoding="utf-8")
    assert "<title>OCOP Fair An Giang 2027</title>" in feed
    assert f"{SITE_URL}en/hoi-cho/hoi-cho-ocop-an-giang-2027/" in feed


def test_sitemap_lists_each_page_with_its_alternates(sample_site: Path):
    assert sitemap_alternates(sample_site)["san-pham/"] == {
        "vi": SITE_URL + "san-pham/", "en": SITE_URL + "en/san-pham/",
        "x-default": SITE_URL + "san-pham/"}
    assert sitemap_alternates(sample_site)[""] == {
        "vi": SITE_URL, "en": SITE_URL + "en/", "x-default": SITE_URL}


def test_the_english_catalogue_translates_every_message_of_the_sources(tmp_path: Path):
    """`make messages` would change nothing, and every message has English."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", "--omit-header", "-o", str(pot), "generator", "theme"],
                   cwd=ROOT, check=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="en")
    have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    assert sorted(wanted - have.keys()) == [], "run make messages, then translate"
    untranslated = [key for key, m in have.items()
                    if not all(m.string if isinstance(m.string, tuple) else (m.string,))]
    assert untranslated == []
    placeholder = re.compile(r"%\(\w+\)s")
    for key, message in have.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in strings:
            assert set(placeholder.findall(text)) <= set(placeholder.findall(ids[-1])) | {
                "%(num)s"}, key


def test_english_can_be_switched_off(tmp_path: Path):
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      notice:", "      english: false\n      notice:"), encoding="utf-8")
    with fixed_build_date():
        site = build_site(config, project / "site", strict=True)
    assert not (site / "en").exists()
    html = (site / "san-pham/duong-thot-not/index.html").read_text(encoding="utf-8")
    assert "hreflang" not in html and "ocop-languages" not in html


def test_the_printed_qr_page_speaks_to_english_readers_in_english(sample_site: Path):
    html = (sample_site / "q/nuoc-mam-ca-com-phu-quoc/index.html").read_text(encoding="utf-8")
    line = re.search(r'<p lang="en"><a href="([^"]+)" hreflang="en">([^<]+)</a></p>', html)
    assert line and line.group(1) == "../../en/san-pham/nuoc-mam-ca-com-phu-quoc/"
    assert not VIETNAMESE_LETTERS.search(line.group(2)), line.group(2)


def _links(site: Path, url: str) -> list[str]:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return [h for h in re.findall(r'(?:href|src)="([^"#?]+)', html)
            if not h.startswith(("http:", "https:", "mailto:", "tel:", "data:"))]


@pytest.mark.parametrize("change", ["no English home page", "no nav in mkdocs.yml"])
def test_english_pages_link_only_to_pages_that_exist(tmp_path: Path, change: str):
    """Without content/en/index.md the English pages lead to the Vietnamese home page;
    without a nav, each language's menu lists its own pages."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    config = project / "mkdocs.yml"
    if change == "no English home page":
        (project / "content/en/index.md").unlink()
        # And a notice nobody translated: shown as written, said to be Vietnamese.
        config.write_text(config.read_text(encoding="utf-8").replace(
            "        Dữ liệu thử nghiệm: Test data\n", ""), encoding="utf-8")
    else:
        text = config.read_text(encoding="utf-8")
        config.write_text(text[:text.index("nav:")], encoding="utf-8")
    with fixed_build_date():
        site = build_site(config, project / "site", strict=True)
    english = [u for u in page_urls(site) if u.startswith("en/")]
    assert english
    for url in english:
        for href in _links(site, url):
            target = (site / url / href).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (url, href)
    home = (site / "en/san-pham/index.html").read_text(encoding="utf-8")
    menu = re.search(r'<nav class="ocop-sections".*?</nav>', home, re.S).group()
    if change == "no nav in mkdocs.yml":
        # The English menu lists the English home page, the Vietnamese one does not.
        assert 'href="../../en/"' in menu
        vietnamese = (site / "san-pham/index.html").read_text(encoding="utf-8")
        assert "en/" not in re.search(r'<nav class="ocop-sections".*?</nav>', vietnamese,
                                      re.S).group()
    else:
        assert '<p class="ocop-notice" lang="vi">Dữ liệu thử nghiệm</p>' in home
        assert not (site / "en/index.html").exists()
        assert 'class="md-header__button md-logo"' in home
        logo = re.search(r'<a href="([^"]+)" title="[^"]*" class="md-header__button md-logo"',
                         home).group(1)
        assert (site / "en/san-pham" / logo / "index.html").resolve().is_file()


def test_messages_are_made_once_but_as_each_call_asks():
    """gettext keeps each message without variables once made (millions of calls in a
    national build): still formatted ('%%' is '%'), escaped only where the template
    autoescapes, a Markup message never taken for the text it equals, and messages
    with variables made each time."""
    from jinja2 import Environment
    from markupsafe import Markup

    from generator.render.environment import language_context

    def render(source: str, autoescape: bool, **values: object) -> str:
        env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        env.install_null_translations(newstyle=True)
        return env.from_string(source).render(**language_context(VIETNAMESE.code), **values)

    twice = '{{ _("100%% <b>") }}|{{ _("100%% <b>") }}'
    assert render(twice, True) == "100% &lt;b&gt;|100% &lt;b&gt;"
    assert render(twice, False) == "100% <b>|100% <b>"
    assert render(twice, True) == "100% &lt;b&gt;|100% &lt;b&gt;"
    assert render("{{ _(m) }}|{{ _(s) }}", True, m=Markup("<b>"), s="<b>") == "<b>|&lt;b&gt;"
    assert render("{{ _(s) }}|{{ _(m) }}", True, m=Markup("<b>"), s="<b>") == "&lt;b&gt;|<b>"
    assert render('{{ _("%(x)s sao", x=n) }}|{{ _("%(x)s sao", x=m) }}', True,
                  n="<5>", m=3) == "&lt;5&gt; sao|3 sao"
    assert render('{{ ngettext("%(num)s star", "%(num)s stars", 1) }}|'
                  '{{ ngettext("%(num)s star", "%(num)s stars", 2) }}', True) == "1 star|2 stars"


def test_a_message_without_variables_is_translated_once():
    from jinja2 import Environment

    from generator.render.environment import _newstyle

    asked: list[str] = []
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    template = env.from_string('{{ _("Nơi mua") }}|{{ _("Nơi mua") }}')
    gettext = _newstyle(lambda message: asked.append(message) or message.upper())
    assert [template.render(gettext=gettext) for _ in range(2)] == ["NƠI MUA|NƠI MUA"] * 2
    assert asked == ["Nơi mua"]


def test_a_message_with_variables_is_translated_once_and_filled_at_each_call():
    """The translation is escaped once (it is text); each call's values are escaped as
    they are put in, in an autoescaped template, except markup (a link made by the
    template); a plain one puts them in as they are."""
    from jinja2 import Environment
    from markupsafe import Markup

    from generator.render.environment import _newstyle

    asked: list[str] = []
    gettext = _newstyle(lambda message: asked.append(message) or message.replace("Hỏi", "Ask <b>"))
    source = '{% for name in names %}{{ _("Hỏi %(who)s", who=name) }}|{% endfor %}'
    names = ["An", "<i>Bình</i>", Markup('<a href="x">Chi</a>')]
    escaped = Environment(extensions=["jinja2.ext.i18n"], autoescape=True).from_string(source)
    plain = Environment(extensions=["jinja2.ext.i18n"], autoescape=False).from_string(source)
    for _ in range(2):
        assert escaped.render(gettext=gettext, _=gettext, names=names) == (
            "Ask &lt;b&gt; An|Ask &lt;b&gt; &lt;i&gt;Bình&lt;/i&gt;|"
            'Ask &lt;b&gt; <a href="x">Chi</a>|')
        assert plain.render(gettext=gettext, _=gettext, names=names) == (
            'Ask <b> An|Ask <b> <i>Bình</i>|Ask <b> <a href="x">Chi</a>|')
    assert asked == ["Hỏi %(who)s", "Hỏi %(who)s"]  # once escaped, once not


def test_a_pages_underscore_is_its_languages_gettext():
    """Pages call ``_`` of their own language directly (Jinja's own ``_`` took the whole
    context only to look ``gettext`` up in it); the globals' are Vietnamese."""
    from jinja2 import Environment

    from generator.render.environment import language_context

    for language in (VIETNAMESE, ENGLISH):
        context = language_context(language.code)
        assert context["_"] is context["gettext"] and context["ocop_lang"] is language
    template = Environment(extensions=["jinja2.ext.i18n"], autoescape=True).from_string(
        '{% for n in [1] %}{{ _("Nơi mua") }}{% endfor %}')
    assert template.render(**language_context("en")) == "Where to buy"
    assert template.render(**language_context("vi")) == "Nơi mua"


def test_a_pages_versions_are_planned_one_after_another(sample_catalogue, monkeypatch):
    """Each page's English version right after its Vietnamese one (a worker renders
    both, converting their shared Markdown once); a family whose pages differ between
    languages keeps one language after another. The pages are the same either way."""
    import generator.plan as plan

    specs = plan_pages(sample_catalogue, (VIETNAMESE, ENGLISH))
    assert len(specs) == len({s.url for s in specs})
    for vietnamese, english in zip(specs[::2], specs[1::2], strict=True):
        assert (vietnamese.language, english.language) == ("vi", "en")
        assert english.url == "en/" + vietnamese.url
    assert [s.url for s in specs if s.language == "vi"] == [
        s.url for s in plan_pages(sample_catalogue)]
    assert plan_pages(sample_catalogue, ()) == []

    products = plan.plan_product_pages

    def fewer_in_english(catalogue, language):
        found = products(catalogue, language)
        return found[1:] if language.prefix else found

    monkeypatch.setattr(plan, "PLANNERS", [fewer_in_english])
    urls = [s.url for s in plan_pages(sample_catalogue, (VIETNAMESE, ENGLISH))]
    vietnamese = [s.url for s in products(sample_catalogue, VIETNAMESE)]
    assert urls == vietnamese + ["en/" + u for u in vietnamese[1:]]


def test_a_text_is_converted_once_for_the_pages_that_follow(monkeypatch):
    """render_markdown converts a text once for consecutive pages that show it;
    another text is converted anew, and each gives its own HTML."""
    from generator.render import sanitize

    sanitize._converted.cache_clear()
    converted: list[str] = []
    real = sanitize._converter

    class Counting:
        def __init__(self) -> None:
            self.md = real()

        def reset(self):
            self.md.reset()
            return self

        def convert(self, text: str) -> str:
            converted.append(text)
            return self.md.convert(text)

    monkeypatch.setattr(sanitize, "_converter", Counting)
    first = [sanitize.render_markdown("Nước mắm **cá cơm**") for _ in range(2)]
    other = sanitize.render_markdown("# Câu chuyện")
    assert first == ["<p>Nước mắm <strong>cá cơm</strong></p>"] * 2
    assert other == "<h3>Câu chuyện</h3>"
    assert converted == ["Nước mắm **cá cơm**", "# Câu chuyện"]
    sanitize._converted.cache_clear()
