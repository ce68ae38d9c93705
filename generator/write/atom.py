"""Atom (RFC 4287) documents: the element builder both feeds share.

Written with ``xml.etree`` (escaping is the library's job, no feed library).
Every timestamp is midnight of a date in Vietnam, never the clock, so two
builds of the same catalogue are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..link.clock import VIETNAM

ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def feed_element(lang: str = "vi") -> ET.Element:
    """The root ``<feed>`` element."""
    ET.register_namespace("", ATOM)
    return ET.Element(f"{{{ATOM}}}feed", {_XML_LANG: lang})


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child Atom element with optional text and attributes."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def timestamp(day: dt.date) -> str:
    """Midnight in Vietnam on ``day``, as an RFC 3339 date-time."""
    return dt.datetime.combine(day, dt.time(0), VIETNAM).isoformat()


def document(feed: ET.Element) -> bytes:
    """The feed as UTF-8 bytes with an XML declaration, indented."""
    ET.indent(feed, space="  ")
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")
