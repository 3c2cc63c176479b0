"""The public pages: published status pages, for anyone, without login.

Only what was published is shown, rendered from the publication's own pin: never the
project's later changes, its history, its internal notes or an as-of of the visitor's choosing.
The language is the one query parameter read (`?lang=en`; Danish otherwise), so every answer
is cacheable by its URL; each carries an ETag and Cache-Control. Whether other sites may frame
the pages is a setting (PUBLIC_FRAME_ANCESTORS).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from portfolio.selectors import AsOf

from . import wording
from .build import build_status_page
from .html import status_page_context
from .models import Publication


def language_of(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "da"


def _etag(request, *args, **kwargs) -> str:
    """Changes whenever any publication is made or withdrawn, and with the language."""
    seen = Publication.objects.aggregate(
        n=Count("pk"), last=Max("published_at"), gone=Max("withdrawn_at")
    )
    text = f"{seen['n']}|{seen['last']}|{seen['gone']}|{language_of(request)}|{request.path}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def public(view):
    """A public page: GET only, Danish unless ?lang=en, cacheable, framed only where allowed."""

    @require_safe
    @cache_control(public=True, max_age=300)
    @condition(etag_func=_etag)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(language_of(request)):
            response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language_of(request))
        ancestors = list(settings.PUBLIC_FRAME_ANCESTORS)
        if ancestors:  # X-Frame-Options names no host: CSP frame-ancestors says who may
            response._csp_replace = {"frame-ancestors": ["'self'", *ancestors]}
            response.xframe_options_exempt = True
        return response

    return wrapped


def _published(area: str | None = None):
    rows = Publication.objects.filter(withdrawn_at__isnull=True)
    return rows.filter(area_slug=area) if area else rows


def _latest_per_project(rows) -> list[Publication]:
    latest: dict[str, Publication] = {}
    for row in rows.order_by("-published_at"):
        latest.setdefault(row.project_slug, row)
    return sorted(latest.values(), key=lambda p: (p.area_name, p.title))


@public
def index(request: HttpRequest) -> HttpResponse:
    areas: dict[str, dict] = {}
    for row in _latest_per_project(_published()):
        area = areas.setdefault(row.area_slug, {"name": row.area_name, "slug": row.area_slug})
        area.setdefault("projects", []).append(row)
    return render(
        request,
        "reports/public/index.html",
        {"areas": list(areas.values()), "lang": language_of(request)},
    )


def _publication(area: str, slug: str, report=None) -> Publication:
    rows = _published(area).filter(project_slug=slug).select_related("report", "report__request")
    found = rows.filter(pk=report).first() if report else rows.first()
    if found is None:
        raise Http404(_("No published status page here."))
    return found


@public
def project_page(request: HttpRequest, area: str, slug: str, report=None) -> HttpResponse:
    publication = _publication(area, slug, report)
    issued = publication.report
    point = AsOf(time=issued.as_of_time, position=issued.as_of_position)
    since = issued.request.changes_since if issued.request else None
    language = language_of(request)
    snapshot = build_status_page(slug, point, language, since)
    with wording.in_language(language):
        page = status_page_context(snapshot)
    earlier = [p for p in _published(area).filter(project_slug=slug) if p.pk != publication.pk]
    return render(
        request,
        "reports/public/project.html",
        {**page, "publication": publication, "earlier": earlier, "lang": language},
    )


@public
def pdf(request: HttpRequest, area: str, slug: str, report) -> FileResponse:
    issued = _publication(area, slug, report).report
    name = f"{slug}-{issued.as_of_time:%Y%m%d}.pdf"
    return FileResponse(issued.file.open("rb"), content_type="application/pdf", filename=name)


@public
def stylesheet(request: HttpRequest) -> HttpResponse:
    """The status page's style, shared with the HTML twin (reports/status_page.css)."""
    return render(request, "reports/status_page.css", content_type="text/css; charset=utf-8")


class PublicationsFeed(Feed):
    """Atom: the status pages published, newest first, for the portfolio or one area."""

    feed_type = Atom1Feed

    def get_object(self, request, area=None):
        self.language = language_of(request)
        return area

    def title(self, area):
        name = _published(area).values_list("area_name", flat=True).first() if area else None
        return _("Published status pages") + (f" – {name}" if name else "")

    def link(self, area):
        return reverse("public_status")

    def items(self, area):
        return _published(area).order_by("-published_at")[:50]

    def item_title(self, item: Publication):
        return f"{item.title} ({item.status_date:%d.%m.%Y})" if item.status_date else item.title

    def item_description(self, item: Publication):
        return item.area_name

    def item_link(self, item: Publication):
        return reverse("public_publication", args=[item.area_slug, item.project_slug, item.pk])

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.published_at


feed = public(PublicationsFeed())
