"""Report pages: ask for a status-page or portfolio PDF, watch it being made, download it, and
browse the archive of issued reports. The work itself is reports.services' (and Celery's)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portfolio import roles, selectors
from portfolio.error_words import translate_error
from portfolio.errors import DomainError, NotAllowed
from portfolio.models import Project
from portfolio.web.forms import DateInput

from . import services
from .html import TWIN_POLICY
from .models import IssuedReport, ReportRequest

KINDS = [
    (ReportRequest.STATUS_PAGE, _("Status page of one project")),
    (ReportRequest.PORTFOLIO, _("Portfolio report")),
]
ARCHIVE_SIZE = 100


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=KINDS)
    project = forms.ChoiceField(label=_("Project"), required=False)
    area = forms.ChoiceField(label=_("Area (portfolio report)"), required=False)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=DateInput, help_text=_("Empty: now.")
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("da", "Dansk"), ("en", "English")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.order_by("title").values_list("slug", "title")
        self.fields["project"].choices = [("", "-"), *projects]
        areas = [(a.slug, a.name) for a in selectors.areas()]
        self.fields["area"].choices = [("", _("All areas")), *areas]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportRequest.STATUS_PAGE and not data.get("project"):
            self.add_error("project", _("Choose the project."))
        return data


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    """Show the request form (to those who may ask), their recent requests and the archive."""
    can_request = roles.can_request_report(request.user)
    form = None
    if can_request:
        initial = {"language": request.LANGUAGE_CODE}
        if request.GET.get("project"):
            initial |= {"project": request.GET["project"], "kind": ReportRequest.STATUS_PAGE}
        form = RequestForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            made = _ask(request, form)
            if made is not None:
                return redirect("report_request", made.pk)
    elif request.method == "POST":
        raise PermissionDenied
    mine = list(ReportRequest.objects.filter(requested_by=request.user)[:10])
    archive = list(IssuedReport.objects.select_related("requested_by")[:ARCHIVE_SIZE])
    _name(mine + archive)
    context = {"form": form, "mine": mine, "archive": archive}
    return render(request, "reports/archive.html", context)


def _name(reports: list) -> None:
    """Give each request or issued report the `name` of what it covers: the project's title or
    the area's name as they are now (the slug, if it is gone), or "" for the whole portfolio."""
    slugs = {r.project_slug for r in reports} - {""}
    titles = dict(Project.objects.filter(slug__in=slugs).values_list("slug", "title"))
    names = {a.slug: a.name for a in selectors.areas()}
    for r in reports:
        if r.project_slug:
            r.name = titles.get(r.project_slug, r.project_slug)
        else:
            r.name = names.get(r.area_slug, r.area_slug)


def _ask(request: HttpRequest, form: RequestForm) -> ReportRequest | None:
    data = form.cleaned_data
    status_page = data["kind"] == ReportRequest.STATUS_PAGE
    try:
        return services.request_report(
            request.user,
            data["kind"],
            data["project"] if status_page else (data["area"] or None),
            data["as_of"],
            data["language"],
        )
    except NotAllowed:
        raise PermissionDenied from None
    except DomainError as error:
        field = {"slug": "project" if status_page else "area"}.get(error.field, None)
        form.add_error(field if field in form.fields else None, translate_error(error))
        return None


@login_required
@require_POST
def request_status_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The project page's one-button request: this project's status page, as shown."""
    if not roles.can_request_report(request.user):
        raise PermissionDenied
    day = request.POST.get("as_of") or None
    form = RequestForm(
        {
            "kind": ReportRequest.STATUS_PAGE,
            "project": slug,
            "as_of": day,
            "language": request.LANGUAGE_CODE,
        }
    )
    if not form.is_valid():
        raise Http404("no such project")
    made = _ask(request, form)
    if made is None:
        raise Http404("no such project")
    return redirect("report_request", made.pk)


@login_required
def request_detail(request: HttpRequest, pk) -> HttpResponse:
    """Show one request's progress; with ?json=1 answer the page's progress poll."""
    made = get_object_or_404(ReportRequest, pk=pk)
    report = IssuedReport.objects.filter(request=made).first()
    if request.GET.get("json"):
        return JsonResponse(
            {
                "state": made.state,
                "progress": made.progress,
                "download": reverse("report_download", args=[report.pk]) if report else "",
            }
        )
    title = Project.objects.filter(slug=made.project_slug).values_list("title", flat=True).first()
    context = {"made": made, "report": report, "project_title": title or made.project_slug}
    return render(request, "reports/request.html", context)


@login_required
def download(request: HttpRequest, pk, html: bool = False) -> FileResponse:
    """Send an archived report (the PDF, or its accessible HTML twin)."""
    report = get_object_or_404(IssuedReport, pk=pk)
    field = report.html_file if html else report.file
    if not field:
        raise Http404("no such file")
    name = field.name.rsplit("/", 1)[-1]
    content_type = "text/html; charset=utf-8" if html else "application/pdf"
    response = FileResponse(
        field.open("rb"), as_attachment=not html, filename=name, content_type=content_type
    )
    if html:
        response["Content-Security-Policy"] = TWIN_POLICY  # kept by the CSP middleware
    return response
