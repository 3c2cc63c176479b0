"""The project's whole history, a page of changes at a time, filtered by kind."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from portfolio.models import Project

from . import history
from .views import bad_request

PER_PAGE = 50


@login_required
def history_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the changes newest first, PER_PAGE a page; ?kind= keeps one kind of change,
    ?subject= those of one milestone, risk or KPI (by id), ?page= picks a page.

    A page folds the events from a little before its oldest change (history.newest), so the
    first pages, the ones people read, cost the same however long the history is; the pages
    link only to the newer and the older one, as there is no total without a fold of it all.
    """
    project = get_object_or_404(Project.objects.select_related("area"), slug=slug)
    kind = request.GET.get("kind", "")
    if kind and kind not in history.WEB.kinds:
        return bad_request(request, _("Kind: there is no kind of change called “%s”.") % kind)
    number = request.GET.get("page", "1")
    if not number.isdecimal() or int(number) < 1:
        return bad_request(request, _("Page: write a page number, 1 or more."))
    number = int(number)
    subject = request.GET.get("subject", "")

    def keep(change) -> bool:
        return (not kind or change.kind == kind) and (not subject or change.subject_id == subject)

    found, older = history.newest(slug, number * PER_PAGE, keep)
    subject_name = ""
    if subject:
        # Its name from its newest change: one shown, or, when the kind leaves none, found.
        named = found or history.newest(slug, 1, keep=lambda c: c.subject_id == subject)[0]
        if not named:
            message = _("Subject: the project has no milestone, risk or KPI with the id “%s”.")
            return bad_request(request, message % subject)
        subject_name = named[0].subject
    shown = found[(number - 1) * PER_PAGE :]
    if number > 1 and not shown:
        last = max(1, -(-len(found) // PER_PAGE))
        message = _("Page: the history has %(last)d pages with this filter.")
        return bad_request(request, message % {"last": last})
    context = {
        "project": project,
        "area": project.area,
        "kind": kind,
        "subject": subject,
        "subject_name": subject_name,
        "query": urlencode({k: v for k, v in (("subject", subject), ("kind", kind)) if v}),
        "kinds": list(history.WEB.kinds.items()),
        "entries": [history.entry(c) for c in shown],
        "number": number,
        "first": (number - 1) * PER_PAGE + 1,
        "last": (number - 1) * PER_PAGE + len(shown),
        "older": older,
    }
    return render(request, "portfolio/history.html", context)
