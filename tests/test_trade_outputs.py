"""Fair calendars (.ics) parsed back with the icalendar library, and the Atom feed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from conftest import ROOT

from generator.link.catalogue import Catalogue
from generator.pipeline import build_catalogue
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.source.records import Fair
from generator.write import WRITERS, calendars, fair_feed

FIXED = dt.date(2026, 11, 18)
SITE = "https://ocop.example.vn/"
ATOM = "{http://www.w3.org/2005/Atom}"
#: Midnight of 18/11/2026 in Vietnam (UTC+7).
STAMP = dt.datetime(2026, 11, 17, 17, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(ROOT), FIXED, problems)
    assert problems.errors == []
    return catalogue


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert component.errors == [], component.errors
    return calendar


def test_every_writer_writes_exactly_the_files_it_reports(cat: Catalogue, tmp_path: Path):
    """Each registered writer, run on the sample: it writes something, every path it
    reports is a non-empty file, and nothing it does not report."""
    from generator.language import ENGLISH, VIETNAMESE
    from generator.media.library import MediaLibrary
    from generator.plan import plan_pages
    from generator.write import OutputContext
    from generator.write.sitemap import Sitemap

    layout = SourceLayout.default(ROOT)
    media = MediaLibrary(tmp_path / "cache", layout, jobs=1)
    problems = Problems()
    media.prepare(cat, problems)
    assert problems.errors == []
    site = tmp_path / "site"
    languages = (VIETNAMESE, ENGLISH)
    urls = tuple(spec.url for spec in plan_pages(cat, languages))
    # The plugin hands over the sitemap's entries (render/sitemap.py) from MkDocs' pages.
    entries = [f"\n    <url>\n         <loc>{SITE}{url}</loc>\n    </url>" for url in urls]
    context = OutputContext(catalogue=cat, site_dir=site, site_url=SITE, page_urls=urls,
                            media=media, cache_dir=tmp_path / "cache", layout=layout,
                            languages=languages, sitemap=Sitemap(lambda: entries, 0))
    reported: set[str] = set()
    for writer in WRITERS:
        written = writer(context)
        assert written, writer.__module__
        for path in written:
            assert (site / path).is_file() and (site / path).stat().st_size > 0, path
        reported |= set(written)
    assert calendars.write in WRITERS and fair_feed.write in WRITERS
    assert {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} == reported


def test_every_fair_has_a_calendar_that_imports(sample_site: Path, cat):
    for fair in cat.fairs.values():
        data = (sample_site / "hoi-cho" / fair.id / f"{fair.id}.ics").read_bytes()
        cal = parse(data)
        assert cal["VERSION"] == "2.0"
        assert str(cal["PRODID"]) == calendars.PRODID
        assert str(cal["METHOD"]) == "PUBLISH"
        assert str(cal["X-WR-CALNAME"]) == fair.name
        assert str(cal["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
        [zone] = cal.walk("VTIMEZONE")
        assert str(zone["TZID"]) == "Asia/Ho_Chi_Minh"
        [standard] = zone.walk("STANDARD")
        assert standard["TZOFFSETTO"].td == dt.timedelta(hours=7)
        [event] = cal.walk("VEVENT")
        assert str(event["UID"]) == f"{fair.id}@ocop.example.vn"
        assert event["DTSTAMP"].dt == STAMP
        # All-day: plain dates, DTEND exclusive (the day after the last day).
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date
        assert start == fair.starts
        assert end == fair.ends + dt.timedelta(days=1)
        assert str(event["SUMMARY"]) == fair.name
        assert str(event["LOCATION"]) == f"{fair.venue}, {fair.city}"
        assert str(event["URL"]) == f"{SITE}hoi-cho/{fair.id}/"
        description = str(event["DESCRIPTION"])
        assert description.startswith(f"{fair.starts:%d/%m/%Y} – {fair.ends:%d/%m/%Y}, ")
        assert f"Xem chi tiết: {SITE}hoi-cho/{fair.id}/" in description
        assert str(event["TRANSP"]) == "TRANSPARENT"
        # RFC 5545 §3.1: CRLF line ends, at most 75 octets a line.
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
        assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_upcoming_calendar_lists_the_fairs_to_come(sample_site: Path, cat):
    cal = parse((sample_site / "hoi-cho" / "sap-dien-ra.ics").read_bytes())
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    upcoming = sorted((f for f in cat.fairs.values() if f.ends >= FIXED),
                      key=lambda f: f.starts)
    assert uids == [f"{f.id}@ocop.example.vn" for f in upcoming]
    assert len(uids) == 5
    assert str(cal["REFRESH-INTERVAL"].dt) == str(dt.timedelta(days=1))


def test_empty_upcoming_calendar_stays_valid():
    data = calendars.calendar([], "Hội chợ OCOP sắp diễn ra", SITE, FIXED, refresh=True)
    cal = parse(data)
    assert cal.walk("VEVENT") == []
    assert len(cal.walk("VTIMEZONE")) == 1


def test_text_is_escaped_and_folded_without_splitting_characters():
    name = 'Hội chợ "A, B; C" \\ thử'
    description = "Dòng một; có dấu phẩy, và gạch \\ ngược.\n\n" + "Đặc sản Bảy Núi " * 12
    fair = Fair(name=name, starts=dt.date(2027, 4, 12), ends=dt.date(2027, 4, 12),
                venue="Nhà văn hóa, ấp 1", city="Tịnh Biên", organiser="Sở; Phòng",
                description=description)
    fair.id = "thu"
    data = calendars.calendar([fair], name, "/", FIXED)
    data.decode("utf-8")  # no character cut in half by folding
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    [event] = parse(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == name
    assert str(event["LOCATION"]) == "Nhà văn hóa, ấp 1, Tịnh Biên"
    assert str(event["DESCRIPTION"]).endswith(description.strip())
    assert "Đơn vị tổ chức: Sở; Phòng." in str(event["DESCRIPTION"])
    # A one-day fair ends the next day (exclusive); no site URL, no URL property.
    assert event["DTEND"].dt == dt.date(2027, 4, 13)
    assert "URL" not in event
    assert str(event["UID"]) == "thu@ocop-catalogue.invalid"


def test_calendars_do_not_depend_on_the_clock(cat):
    fair = cat.fairs["hoi-cho-ocop-an-giang-2027"]
    one = calendars.calendar([fair], fair.name, SITE, FIXED)
    assert one == calendars.calendar([fair], fair.name, SITE, FIXED)
    later = calendars.calendar([fair], fair.name, SITE, FIXED + dt.timedelta(days=1))
    assert one.replace(b"DTSTAMP:20261117T170000Z", b"DTSTAMP:20261118T170000Z") == later


# --- Atom ---------------------------------------------------------------------------------

def test_fair_feed(sample_site: Path, cat):
    data = (sample_site / "hoi-cho" / "feed.xml").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert root.findtext(f"{ATOM}id") == f"{SITE}hoi-cho/feed.xml"
    assert root.findtext(f"{ATOM}updated") == "2026-11-18T00:00:00+07:00"
    assert root.find(f"{ATOM}author/{ATOM}name").text
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{SITE}hoi-cho/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(cat.fairs)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    # Fairs to come first (soonest first), then past ones (latest first).
    assert ids[0] == f"{SITE}hoi-cho/hoi-cho-ocop-an-giang-2027/"
    assert ids[-1] == f"{SITE}hoi-cho/hoi-cho-ocop-phia-nam-tp-hcm-2020/"
    terms = [e.find(f"{ATOM}category").get("term") for e in entries]
    assert terms == ["upcoming"] * 5 + ["past"] * 6
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated") == "2026-11-18T00:00:00+07:00"
        page = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert (sample_site / page.removeprefix(SITE) / "index.html").is_file()
        ics = entry.find(f"{ATOM}link[@rel='related']").get("href")
        assert (sample_site / ics.removeprefix(SITE)).is_file()


def test_feed_content_is_sanitised_and_limited():
    fairs = []
    for n in range(fair_feed.FEED_LIMIT + 5):
        f = Fair(name=f"Hội chợ {n}", starts=dt.date(2020, 1, 1) + dt.timedelta(days=n),
                 ends=dt.date(2020, 1, 2) + dt.timedelta(days=n), venue="V", city="C",
                 description="**Đậm** <script>alert(1)</script> [x](javascript:alert(1))")
        f.id = f"hoi-cho-{n}"
        fairs.append(f)
    root = ET.fromstring(fair_feed.feed(fairs, SITE, FIXED))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == fair_feed.FEED_LIMIT
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<strong>Đậm</strong>" in content.text
    assert "<script" not in content.text and "javascript:" not in content.text
