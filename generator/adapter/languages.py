"""The site's languages as MkDocs sees them: which pages exist in which language,
each page's versions in the other languages, and a language's menu (mkdocs.yml's
``nav`` restricted to the pages that language has, with its labels)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..language import Language, counterpart, language_of
from ..render.environment import Pages


def site_pages(urls: Iterable[str], languages: tuple[Language, ...]) -> Pages:
    """``Pages`` of the site's page URLs ('' is the home page, 'en/' the English one)."""
    by_language: dict[str, set[str]] = {language.code: set() for language in languages}
    for url in urls:
        url = "" if url in (".", "./") else url  # MkDocs' File.url of the home page
        code = language_of(url).code
        if code in by_language:
            by_language[code].add(url)
    return Pages(by_language)


def alternates(url: str, pages: Pages, languages: tuple[Language, ...],
               ) -> list[tuple[Language, str]]:
    """The versions of the page at ``url``, one per language that has it, in the
    order of ``languages`` (the page itself included)."""
    out = []
    for language in languages:
        other = counterpart(url, language)
        if pages.has(other, language):
            out.append((language, other))
    return out


class LocalConfig:
    """MkDocs' config as a page in another language sees it: the site's name and
    description in that language, its home page the language's own; everything else
    is the config itself. Templates (Material's too) read ``config.site_name``.
    Also the plugin's notice in that language (``notice_lang``: the language it is
    in when nobody translated it)."""

    def __init__(self, config: Any, language: Language, translations: Mapping[str, str],
                 notice: str, has_home: bool = True):
        self._config = config
        self.site_name = translations.get(config.site_name, config.site_name)
        description = config.site_description or ""
        self.site_description = translations.get(description, description)
        # Without a home page of its own (no content/en/index.md), the default one.
        self.extra = {**(config.extra or {}), **({"homepage": language.prefix} if has_home else {})}
        self.notice = translations.get(notice, notice)
        self.notice_lang = "" if self.notice != notice or not notice else "vi"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._config, name)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key) if key in ("site_name", "site_description", "extra") \
            else self._config[key]


def default_nav(files: Any, language: Language, languages: tuple[Language, ...]) -> list[str]:
    """A language's menu when mkdocs.yml has no ``nav``: its hand-written pages, in
    MkDocs' order, the other languages' folders left out."""
    others = tuple(x.prefix for x in languages if x.prefix and x is not language)
    out = []
    for file in files.documentation_pages():
        uri = file.src_uri
        if file.inclusion.is_not_in_nav() or (others and uri.startswith(others)):
            continue
        if language.prefix and not uri.startswith(language.prefix):
            continue
        out.append(uri)
    return out


def translated_nav(items: list[Any], language: Language, has_page: Callable[[str], bool],
                   labels: Mapping[str, str]) -> list[Any]:
    """mkdocs.yml's ``nav`` for ``language``: each page entry pointing to the
    language's version of the page, entries whose page the language lacks left out
    (and sections left empty), labels from ``labels`` or the message catalogue."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            path = language.prefix + item
            if has_page(path):
                out.append(path)
            continue
        if not isinstance(item, dict):
            continue
        for label, value in item.items():
            title = labels.get(label) or language.gettext(label)
            if isinstance(value, str):
                external = "://" in value
                path = value if external else language.prefix + value
                if external or has_page(path):
                    out.append({title: path})
            elif isinstance(value, list):
                children = translated_nav(value, language, has_page, labels)
                if children:
                    out.append({title: children})
    return out
