"""The languages the catalogue is published in: Vietnamese at the site's root,
English under ``en/``.

Interface text is written in Vietnamese, in the code (``_("…")``) and in the
templates (``{{ _("…") }}``), and translated by gettext message catalogues:
``generator/locale/<code>/LC_MESSAGES/messages.po``, extracted and updated with
Babel (``make messages``). A string missing from a catalogue falls back to the
Vietnamese, which ``tests/test_english.py`` finds on the English pages.

Data is translated by staff, in the same record file: ``name_en``,
``description_en``… (``localized`` picks the field for a language and says
which language the text is really in, so a template can mark a Vietnamese
fallback ``lang="vi"``). Numbers, prices and dates are formatted with Babel's
locale data.

Every stage may import this module (like ``vietnamese``); it imports nothing of
ours but ``vietnamese``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_module
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

#: Where the message catalogues live (``<code>/LC_MESSAGES/messages.po``).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues where it cannot be translated yet
    (a module-level table); translate it with ``Language.gettext`` when shown."""
    return message


@functools.cache
def _translations(code: str) -> gettext_module.NullTranslations:
    """The catalogue of ``code``, compiled in memory from its ``.po`` file (no
    compiled ``.mo`` to keep in step); fuzzy entries are not used."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


#: The default language's text is the text as written.
_AS_WRITTEN = gettext_module.NullTranslations()


# Babel formats a price in ~20 µs; pages show the same few prices and dates again and
# again (cards, listings, histories): formatted once per build and language.
@functools.lru_cache(maxsize=1 << 14)
def _price(code: str, pattern: str, amount: int) -> str:
    return format_currency(amount, "VND", pattern, locale=code, currency_digits=False)


@functools.lru_cache(maxsize=1 << 14)
def _number(code: str, number: int) -> str:
    return format_decimal(number, locale=code)


@functools.lru_cache(maxsize=1 << 14)
def _date(code: str, pattern: str, day: dt.date) -> str:
    return format_date(day, pattern, locale=code)


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    #: BCP 47 tag: ``<html lang>``, ``hreflang``, JSON-LD ``inLanguage``.
    code: str
    #: Folder of the language's pages ('' for the default language, else 'en/').
    prefix: str
    #: Open Graph's ``og:locale``.
    og_locale: str
    #: The language's name in itself, for the language switcher.
    name: str
    #: Babel patterns: a price, a date.
    price_pattern: str
    date_pattern: str

    @property
    def translations(self) -> gettext_module.NullTranslations:
        return _translations(self.code) if self.prefix else _AS_WRITTEN

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    # --- formatting ---------------------------------------------------------------
    def price(self, amount: int) -> str:
        """85000 → '85.000 ₫' (vi), 'VND 85,000' (en); no break inside."""
        return _price(self.code, self.price_pattern, amount)

    def number(self, number: int) -> str:
        """12345 → '12.345' (vi), '12,345' (en)."""
        return _number(self.code, number)

    def date(self, day: dt.date) -> str:
        """2029-05-20 → '20/05/2029' (vi), '20 May 2029' (en)."""
        return _date(self.code, self.date_pattern, day)

    # --- data in this language ------------------------------------------------------
    def localized(self, record: Any, field: str) -> tuple[str, str]:
        """``record``'s ``field`` in this language and the language it is really in:
        ``name_en`` on English pages when staff gave one, else the Vietnamese."""
        if self.prefix:
            text = getattr(record, f"{field}_{self.code}", None)
            if text:
                return text, self.code
        return getattr(record, field) or "", VIETNAMESE.code

    def text(self, record: Any, field: str) -> str:
        """``localized`` without the language: for titles and attributes."""
        return self.localized(record, field)[0]


VIETNAMESE = Language(code="vi", prefix="", og_locale="vi_VN", name="Tiếng Việt",
                      price_pattern="#,##0\u00a0¤", date_pattern="dd/MM/y")
ENGLISH = Language(code="en", prefix="en/", og_locale="en_GB", name="English",
                   price_pattern="¤¤\u00a0#,##0", date_pattern="d MMMM y")

#: Every language the generator knows, the default first.
LANGUAGES: tuple[Language, ...] = (VIETNAMESE, ENGLISH)
BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}


#: How scripts mark interface text (theme/assets/javascripts/ocop-text.js): t("…"),
#: tn("singular", "plural", n); for Babel's JavaScript extractor (as in babel.cfg,
#: which `make messages` reads; the build reads the scripts' messages with these).
SCRIPT_KEYWORDS: dict[str, Any] = {"t": None, "tn": (1, 2)}


def script_messages(scripts: list[Path]) -> list[str | tuple[str, str]]:
    """The interface text the site's scripts mark, as gettext message ids."""
    from babel.messages.extract import extract

    found: dict[Any, None] = {}
    for path in sorted(scripts):
        with path.open("rb") as handle:
            for _line, message, _comments, _context in extract(
                    "javascript", handle, keywords=SCRIPT_KEYWORDS, comment_tags=()):
                found[message] = None
    return list(found)


def script_table(language: Language, messages: list[str | tuple[str, str]]) -> dict[str, Any]:
    """What a page in ``language`` tells its scripts (``ocop-text.js`` reads it): its
    folder, number and price patterns, and the translations of ``messages``."""
    table: dict[str, Any] = {}
    for message in messages:
        if isinstance(message, tuple):
            table[message[0]] = [language.ngettext(message[0], message[1], 1),
                                 language.ngettext(message[0], message[1], 2)]
        else:
            table[message] = language.gettext(message)
    return {"folder": language.prefix, "group": language.number(1000)[1],
            "price": language.price(0), "messages": table}


def language_of(url: str) -> Language:
    """The language of the page at site-root-relative ``url``."""
    for language in LANGUAGES[1:]:
        if url.startswith(language.prefix):
            return language
    return VIETNAMESE


def counterpart(url: str, language: Language) -> str:
    """The path of the page at ``url`` in ``language`` (same record, same page)."""
    own = language_of(url)
    return language.prefix + url[len(own.prefix):]
