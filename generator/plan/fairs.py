"""Fair pages and the ``hoi-cho/`` index: fairs to come, then past fairs.

Past fairs stay on the index while they are few; beyond a page of them each
year gets its own paginated page (``hoi-cho/nam-<year>/``).
"""

from __future__ import annotations

from ..language import Language
from ..link.catalogue import Catalogue
from ..link.fairs import fair_phase, fair_schedule
from ..source.records import Fair
from .pages import PageSpec, page_suffix, paginate
from .urls import Urls

#: Lines on one page of the fair lists.
FAIRS_PAGE_SIZE = 50


def _fair_summary(fair: Fair, lang: Language) -> str:
    return lang.gettext("%(fair)s: %(starts)s–%(ends)s, %(venue)s, %(city)s; "
                        "%(count)s chủ thể OCOP tham gia.") % {
        "fair": lang.text(fair, "name"), "starts": lang.date(fair.starts),
        "ends": lang.date(fair.ends), "venue": fair.venue, "city": fair.city,
        "count": len(fair.exhibitors)}


def _fair_indexes(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """``hoi-cho/``: fairs to come (paginated); past fairs there too while they are
    few, else on a page per year (``hoi-cho/nam-YYYY/``, paginated)."""
    _ = lang.gettext
    schedule = fair_schedule(catalogue.fairs.values(), catalogue.build_date)
    past_inline = sum(len(y.fairs) for y in schedule.past_by_year) <= FAIRS_PAGE_SIZE
    pages = []
    for pager in paginate(schedule.current, Urls.fairs, FAIRS_PAGE_SIZE):
        pages.append(PageSpec(
            url=Urls.fairs(pager.number), template="ocop/index-fairs.html",
            title=_("Hội chợ, triển lãm OCOP") + page_suffix(pager, lang), kind="index",
            description=_("Hội chợ, triển lãm có sản phẩm OCOP: sắp diễn ra và đã diễn ra."),
            context={"schedule": schedule, "pager": pager, "past_inline": past_inline},
        ))
    for year in () if past_inline else schedule.past_by_year:
        for pager in paginate(year.fairs, lambda n, y=year.year: Urls.fair_year(y, n),
                              FAIRS_PAGE_SIZE):
            pages.append(PageSpec(
                url=Urls.fair_year(year.year, pager.number), template="ocop/fairs-year.html",
                title=_("Hội chợ, triển lãm OCOP năm %(year)s") % {"year": year.year}
                + page_suffix(pager, lang), kind="index",
                description=_("Hội chợ, triển lãm có sản phẩm OCOP đã diễn ra năm %(year)s.")
                % {"year": year.year},
                context={"year": year, "pager": pager},
            ))
    return pages


def plan_fair_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """A page per fair, then the indexes."""
    today = catalogue.build_date
    pages = [PageSpec(
        url=Urls.fair(fair), template="ocop/fair.html", title=lang.text(fair, "name"),
        kind="fair", description=_fair_summary(fair, lang),
        context={"fair": fair, "phase": fair_phase(fair, today)},
    ) for fair in catalogue.fairs.values()]
    return pages + _fair_indexes(catalogue, lang)
