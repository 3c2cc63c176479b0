"""The project's whole history, a page of changes at a time, filtered by kind."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from portfolio import changes
from portfolio.models import Project

from . import history
from .views import bad_request

PER_PAGE = 50


@login_required
def history_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the changes newest first, PER_PAGE a page; ?kind= keeps one kind of change,
    ?subject= those of one milestone, risk or KPI (by id), ?page= picks a page.

    Every change is found (the fold needs each one's state before it), but only the page shown
    is worded and rendered.
    """
    project = get_object_or_404(Project.objects.select_related("area"), slug=slug)
    kind = request.GET.get("kind", "")
    if kind and kind not in history.WEB.kinds:
        return bad_request(request, _("Kind: there is no kind of change called “%s”.") % kind)
    found = changes.changes(slug, None)
    subject = request.GET.get("subject", "")
    if subject:
        found = [c for c in found if c.subject_id == subject]
        if not found:
            message = _("Subject: the project has no milestone, risk or KPI with the id “%s”.")
            return bad_request(request, message % subject)
    if kind:
        found = [c for c in found if c.kind == kind]
    pages = Paginator(found[::-1], PER_PAGE, allow_empty_first_page=True)
    number = request.GET.get("page", "1")
    if not number.isdecimal() or not 1 <= int(number) <= pages.num_pages:
        message = _("Page: write a page number from 1 to %(last)d.")
        return bad_request(request, message % {"last": pages.num_pages})
    page = pages.page(int(number))
    context = {
        "project": project,
        "area": project.area,
        "kind": kind,
        "subject": subject,
        "subject_name": found[-1].subject if subject and found else "",
        "query": urlencode({k: v for k, v in (("subject", subject), ("kind", kind)) if v}),
        "kinds": list(history.WEB.kinds.items()),
        "page": page,
        "entries": [history.entry(c) for c in page],
        "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "portfolio/history.html", context)
