"""A contact card (vCard 4.0, RFC 6350) per producer, beside its page.

A buyer downloads it from the producer page and has the producer in the phone's
address book: name, address, phone (as a ``tel:`` URI), e-mail, website, Zalo,
map position and the supplier facts in the note.
"""

from __future__ import annotations

import re
import uuid
from functools import partial

from ..link.suppliers import Supplier, suppliers
from ..plan.urls import Urls
from ..source.records import PRODUCER_TYPE_LABELS, Producer
from .context import OutputContext
from .kept_files import watched, write_made
from .text_formats import escape_text, fold_line

PRODID = "-//OCOP catalogue generator//vCard 4.0//VI"

_PHONE_CHARS = re.compile(r"[ .\-()]")


def tel_uri(phone: str) -> str | None:
    """'0296 3 871 234' → 'tel:+842963871234'; None when the number is not understood.

    Vietnamese numbers are written with the trunk prefix 0; the URI form needs
    the country code, so that a phone abroad can dial it too.
    """
    digits = _PHONE_CHARS.sub("", phone)
    if digits.startswith("+") and digits[1:].isdigit():
        return f"tel:{digits}"
    if digits.startswith("0") and digits.isdigit() and 9 <= len(digits) <= 11:
        return f"tel:+84{digits[1:]}"
    return None


def vcard(entry: Supplier, site_url: str, logo_url: str | None = None) -> str:
    """The vCard 4.0 text of one producer (CRLF line ends, folded)."""
    p = entry.producer
    page = site_url + Urls.producer(p)
    a, c, f = p.address, p.contacts, p.supplier
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{PRODID}",
        # Stable across builds and catalogue moves within one site: derived from the page URL.
        f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page)}",
        "KIND:org",
        f"FN:{escape_text(p.name)}",
        f"ORG:{escape_text(p.name)}",
        "ADR;TYPE=work:;;" + ";".join(escape_text(part) for part in (
            a.street or "", a.commune, a.province, "", "Việt Nam")),
    ]
    if c.phone:
        uri = tel_uri(c.phone)
        lines.append(f"TEL;VALUE=uri;TYPE=work,voice:{uri}" if uri
                     else f"TEL;VALUE=text;TYPE=work,voice:{escape_text(c.phone)}")
    if c.zalo:
        uri = tel_uri(c.zalo)
        if uri:
            lines.append(f"TEL;VALUE=uri;TYPE=cell,text:{uri}")
            lines.append(f"URL;TYPE=x-zalo:https://zalo.me/{_PHONE_CHARS.sub('', c.zalo)}")
    if c.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(c.email)}")
    if c.website:
        lines.append(f"URL;TYPE=work:{c.website}")
    lines.append(f"URL:{page}")
    if p.location is not None:
        lines.append(f"GEO:geo:{p.location.lat},{p.location.lon}")
    if logo_url:
        lines.append(f"LOGO:{logo_url}")
    if entry.groups:
        lines.append("CATEGORIES:" + ",".join(escape_text(g.name) for g in entry.groups))
    note = [f"{PRODUCER_TYPE_LABELS[p.type]}, sản phẩm OCOP"
            + (f" {', '.join(f'{n} sao' for n in entry.stars)}" if entry.stars else "") + "."]
    if p.representative:
        note.append(f"Người đại diện: {p.representative}.")
    if f.capacity:
        note.append(f"Năng lực: {f.capacity}.")
    if f.minimum_order:
        note.append(f"Đơn tối thiểu: {f.minimum_order}.")
    note.append("Có bán sỉ." if f.wholesale else "Không bán sỉ.")
    if f.standards:
        note.append(f"Tiêu chuẩn: {', '.join(f.standards)}.")
    lines.append("NOTE:" + escape_text("\n".join(note)))
    lines.append(f"SOURCE:{site_url}{Urls.vcard(p)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _logo_url(context: OutputContext, producer: Producer) -> str | None:
    if context.media is None or producer.logo_path is None:
        return None
    return context.site_url + context.media.picture(producer.logo_path).src


def write(context: OutputContext) -> list[str]:
    entries = suppliers(context.catalogue)  # before records note their readers
    with watched(context):
        return [write_made(context, Urls.vcard(entry.producer), (entry,),
                           partial(_card_bytes, context, entry))
                for entry in entries]


def _card_bytes(context: OutputContext, entry: Supplier) -> bytes:
    return vcard(entry, context.site_url, _logo_url(context, entry.producer)).encode("utf-8")
