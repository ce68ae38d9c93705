"""Statistics page: the figures a province reports, computed from the catalogue.

Every number here is counted from the linked records on the build date; none is
typed. Each chart is a horizontal bar chart laid out in Python (``layout``) and
drawn as SVG by the template, with a <title>, a <desc> and the same figures in a
data table beside it, so the chart is readable without seeing it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from ..language import VIETNAMESE, Language
from ..link.catalogue import STAR_LEVELS, Catalogue
from ..source.certificates import LABELS as STATUS_LABELS
from ..source.certificates import add_months
from ..source.records import PRODUCER_TYPE_LABELS
from ..vietnamese import sort_key
from .pages import PageSpec
from .urls import Urls

#: Communes shown one by one in the commune chart; the rest are summed in one row.
TOP_PLACES = 20
#: Drawing sizes in SVG user units, drawn 1:1 in CSS pixels (smaller screens scale down).
CHART_WIDTH = 400
LINE_HEIGHT = 16
BAR_HEIGHT = 16
ROW_GAP = 10
PADDING = 8
VALUE_ROOM = 48
#: Characters per label line at 14 px: SVG text does not wrap by itself.
LABEL_CHARS = 46

@dataclass(frozen=True)
class Row:
    """One bar and one table row."""

    label: str
    value: int
    #: Site-root-relative page listing what the row counts, if there is one.
    url: str | None = None
    #: Further figures for the table only (see ``Chart.extra_headings``).
    extra: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bar:
    """A row's geometry in the SVG: label lines above the bar, the value at its end."""

    value: int
    #: (text, baseline y) of each line of the label.
    label_lines: tuple[tuple[str, float], ...]
    bar_y: float
    width: float
    value_x: float

    @property
    def value_y(self) -> float:
        return self.bar_y + BAR_HEIGHT - 3


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    #: What the rows are (the table's first column header).
    heading: str
    #: What the values count (the table's value column header), e.g. "Sản phẩm".
    unit: str
    rows: tuple[Row, ...]
    note: str = ""
    extra_headings: tuple[str, ...] = ()
    #: The language of the page the chart is on (its description is written in it).
    lang: Language = VIETNAMESE

    @property
    def total(self) -> int:
        return sum(r.value for r in self.rows)

    @property
    def extra_totals(self) -> tuple[int, ...]:
        return tuple(sum(r.extra[i] for r in self.rows) for i in range(len(self.extra_headings)))

    @property
    def description(self) -> str:
        """A sentence that says what the chart shows (the SVG's <desc>)."""
        _, number = self.lang.gettext, self.lang.number
        parts = [_("Biểu đồ thanh ngang, %(rows)s hàng, tổng %(total)s %(unit)s.") % {
            "rows": len(self.rows), "total": number(self.total), "unit": self.unit.lower()}]
        if self.rows and self.total:
            top = max(self.rows, key=lambda r: r.value)
            parts.append(_("Nhiều nhất: %(label)s (%(value)s).") % {
                "label": top.label, "value": number(top.value)})
        parts.append(_("Số liệu chi tiết trong bảng bên cạnh."))
        return " ".join(parts)

    @property
    def height(self) -> int:
        bars = self.bars()
        return int(bars[-1].bar_y + BAR_HEIGHT + PADDING) if bars else 2 * PADDING

    @property
    def width(self) -> int:
        return CHART_WIDTH

    def bars(self) -> list[Bar]:
        """Bar geometry, top to bottom; long labels wrap onto several lines."""
        largest = max((r.value for r in self.rows), default=0)
        room = CHART_WIDTH - 2 * PADDING - VALUE_ROOM
        bars = []
        top = float(PADDING)
        for row in self.rows:
            lines = textwrap.wrap(row.label, LABEL_CHARS) or [""]
            label_lines = tuple((text, top + (i + 1) * LINE_HEIGHT - 3)
                                for i, text in enumerate(lines))
            bar_y = top + len(lines) * LINE_HEIGHT + 2
            width = round(room * row.value / largest, 1) if largest else 0.0
            bars.append(Bar(row.value, label_lines, bar_y, width, PADDING + width + 6))
            top = bar_y + BAR_HEIGHT + ROW_GAP
        return bars


@dataclass(frozen=True)
class Summary:
    """The headline figures, in the words of a provincial plan."""

    products: int
    rated_by_stars: dict[int, int]
    certified: int
    certified_by_stars: dict[int, int]
    producers: int
    producers_by_type: dict[str, int]
    places: int
    provinces: int
    expiring_12_months: int

    @property
    def rated_three_plus(self) -> int:
        return sum(self.rated_by_stars.values())


@dataclass(frozen=True)
class Statistics:
    build_date: dt.date
    summary: Summary
    charts: tuple[Chart, ...] = field(default_factory=tuple)


def _by_stars(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    certified = catalogue.count_by_stars(certified_only=True)
    rated = catalogue.count_by_stars(certified_only=False)
    return Chart(
        lang=lang,
        id="theo-hang-sao", title=_("Sản phẩm OCOP theo hạng sao"), heading=_("Hạng"),
        unit=_("Sản phẩm còn hiệu lực"),
        rows=tuple(Row(_("%(stars)s sao") % {"stars": n}, certified[n], Urls.stars(n),
                       (rated[n],))
                   for n in sorted(STAR_LEVELS, reverse=True)),
        extra_headings=(_("Đã phân hạng (kể cả hết hạn, thu hồi)"),),
        note=_("Biểu đồ đếm sản phẩm có giấy chứng nhận còn hiệu lực vào ngày dữ liệu."),
    )


def _by_status(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    counts = catalogue.count_by_status()
    return Chart(
        lang=lang,
        id="tinh-trang", title=_("Tình trạng giấy chứng nhận"), heading=_("Tình trạng"),
        unit=_("Sản phẩm"),
        rows=tuple(Row(_(STATUS_LABELS[code]), count) for code, count in counts.items()),
        note=_("“Sắp hết hạn”: hết hạn trong 90 ngày tới."),
    )


def _by_group(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    rows = []
    for group, count in catalogue.count_by_group():
        certified = sum(1 for p in catalogue.by_category.get(group.id, []) if p.status.certified)
        rows.append(Row(lang.text(group, "name"), count, Urls.category(group) if count else None,
                        (certified,)))
    return Chart(
        lang=lang,
        id="theo-nhom", title=_("Sản phẩm theo nhóm"), heading=_("Nhóm sản phẩm"),
        unit=_("Sản phẩm"), rows=tuple(rows), extra_headings=(_("Còn hiệu lực"),),
        note=_("Nhóm theo %(decision)s.") % {"decision": lang.text(catalogue.groups, "decision")},
    )


def _by_place(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    places = sorted(catalogue.places.values(),
                    key=lambda p: (-len(p.products), sort_key(p.commune)))
    rows = [Row(f"{p.commune}, {p.province}", len(p.products), Urls.place(p.slug))
            for p in places[:TOP_PLACES]]
    rest = places[TOP_PLACES:]
    note = ""
    if rest:
        rows.append(Row(_("%(count)s xã, phường khác") % {"count": len(rest)},
                        sum(len(p.products) for p in rest), "dia-phuong/"))
        note = _("%(count)s xã, phường có nhiều sản phẩm nhất; các nơi khác gộp một hàng.") % {
            "count": TOP_PLACES}
    return Chart(lang=lang, id="theo-xa-phuong", title=_("Sản phẩm theo xã, phường"),
                 heading=_("Xã, phường"), unit=_("Sản phẩm"), rows=tuple(rows), note=note)


def _by_province(catalogue: Catalogue, lang: Language) -> Chart | None:
    _ = lang.gettext
    counts = Counter(p.producer.address.province for p in catalogue.products.values())
    if len(counts) < 2:
        return None
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))
    return Chart(lang=lang, id="theo-tinh", title=_("Sản phẩm theo tỉnh, thành phố"),
                 heading=_("Tỉnh, thành phố"), unit=_("Sản phẩm"),
                 rows=tuple(Row(name, count) for name, count in rows))


def _producers_by_type(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    counts = catalogue.count_producers_by_type()
    return Chart(
        lang=lang,
        id="chu-the-theo-loai", title=_("Chủ thể OCOP theo loại hình"),
        heading=_("Loại chủ thể"),
        unit=_("Chủ thể"),
        rows=tuple(Row(_(PRODUCER_TYPE_LABELS[kind]), count) for kind, count in counts.items()),
    )


def _issued_by_year(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    counts = Counter(p.ocop.issued.year for p in catalogue.products.values())
    years = range(min(counts), max(counts) + 1) if counts else range(0)
    return Chart(
        lang=lang,
        id="cap-theo-nam", title=_("Giấy chứng nhận theo năm cấp"), heading=_("Năm cấp"),
        unit=_("Giấy chứng nhận"), rows=tuple(Row(str(y), counts.get(y, 0)) for y in years),
        note=_("Mỗi sản phẩm tính theo giấy chứng nhận đang ghi trong dữ liệu."),
    )


def expiring_within_12_months(catalogue: Catalogue) -> list[tuple[dt.date, int]]:
    """(first day of month, certificates ending that month) for the next 12 months.

    Counts certified products (valid or expiring, so never revoked) whose
    certificate ends on or after the build date and at most 12 months after it.
    """
    today = catalogue.build_date
    end = add_months(today, 12)
    counts = Counter(
        (p.status.expires.year, p.status.expires.month)
        for p in catalogue.products.values()
        if p.status.certified and today <= p.status.expires <= end
    )
    months = []
    first = today.replace(day=1)
    for i in range(13):
        month = add_months(first, i)
        if month > end:
            break
        months.append((month, counts.get((month.year, month.month), 0)))
    return months


def _expiring(catalogue: Catalogue, lang: Language) -> Chart:
    _ = lang.gettext
    months = expiring_within_12_months(catalogue)
    return Chart(
        lang=lang,
        id="het-han-12-thang", title=_("Giấy chứng nhận hết hạn trong 12 tháng tới"),
        heading=_("Tháng"), unit=_("Giấy chứng nhận"),
        rows=tuple(Row(f"{m.month:02d}/{m.year}", n) for m, n in months),
        note=_("Sản phẩm đang được công nhận có giấy chứng nhận hết hạn sau ngày dữ liệu "
               "và trong vòng 12 tháng; cơ sở cần làm hồ sơ đánh giá lại."),
    )


def summary(catalogue: Catalogue) -> Summary:
    products = list(catalogue.products.values())
    certified = catalogue.count_by_stars(certified_only=True)
    return Summary(
        products=len(products),
        rated_by_stars=catalogue.count_by_stars(certified_only=False),
        certified=sum(certified.values()),
        certified_by_stars=certified,
        producers=len(catalogue.producers),
        producers_by_type=catalogue.count_producers_by_type(),
        places=len(catalogue.places),
        provinces=len({p.province for p in catalogue.places.values()}),
        expiring_12_months=sum(n for _, n in expiring_within_12_months(catalogue)),
    )


def statistics(catalogue: Catalogue, lang: Language = VIETNAMESE) -> Statistics:
    charts = [chart(catalogue, lang) for chart in (
        _by_stars, _by_status, _by_group, _by_place, _by_province, _producers_by_type,
        _issued_by_year, _expiring)]
    return Statistics(catalogue.build_date, summary(catalogue),
                      tuple(c for c in charts if c is not None))


def plan_statistics_page(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    _ = lang.gettext
    return [PageSpec(
        url=Urls.statistics, template="ocop/statistics.html", title=_("Thống kê"),
        kind="statistics", context={"stats": statistics(catalogue, lang)},
        description=_("Số sản phẩm OCOP theo hạng sao, nhóm, xã phường; chủ thể theo loại "
                      "hình; giấy chứng nhận theo năm cấp và sắp hết hạn."),
    )]
