"""The scripts' interface text in each language but the default:
``en/assets/javascripts/ocop-i18n.js`` sets ``window.ocopI18n`` (the language's
folder, number and price patterns, the translations of what the theme's scripts
mark ``t("…")``), which ``ocop-text.js`` reads. A file, not a table in each page:
browsers keep it from one page to the next."""

from __future__ import annotations

import json
from pathlib import Path

from ..language import script_messages, script_table
from .context import OutputContext
from .files import write_bytes

#: Where each language's file sits, under the language's folder.
SCRIPT_TEXT = "assets/javascripts/ocop-i18n.js"


def theme_scripts(theme_dir: Path | None) -> list[Path]:
    """The catalogue's scripts in the theme (their text is marked for translation)."""
    folder = theme_dir / "assets" / "javascripts" if theme_dir else None
    return sorted(folder.glob("ocop-*.js")) if folder and folder.is_dir() else []


def write(context: OutputContext) -> list[str]:
    others = [lang for lang in context.languages if lang.prefix]
    if not others:
        return []
    messages = script_messages(theme_scripts(context.layout.theme_dir if context.layout
                                             else None))
    written = []
    for lang in others:
        text = json.dumps(script_table(lang, messages), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        # Inside a script: no '</script>' can come from a translation.
        text = text.replace("<", "\\u003c")
        written.append(write_bytes(context, lang.prefix + SCRIPT_TEXT,
                                   f"window.ocopI18n = {text};\n".encode()))
    return written
