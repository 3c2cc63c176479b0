"""Report endpoints: request a report, follow the request, list and download the archive."""

from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema_field,
)
from rest_framework import renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.api_platform import annotations, etag, idempotency, pagination, reading, times
from portfolio.api_platform.annotations import created, extend_schema
from portfolio.api_platform.command_api import IDEMPOTENCY_KEY
from portfolio.api_platform.listing import ListApi, ListParams
from portfolio.api_platform.parsing import BoundedJSONParser
from portfolio.api_platform.permissions import ReadOnly, RequestsReports
from portfolio.errors import DomainError
from portfolio.inputs import Input

from . import services
from .html import TWIN_POLICY
from .models import IssuedReport, ReportRequest

KINDS = (ReportRequest.STATUS_PAGE, ReportRequest.PORTFOLIO)
# Named in SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES: milestones have a `state` enum too, and
# each kind of request body has its one-value `kind`.
REQUEST_STATES = tuple(s for s, _ in ReportRequest.STATES)
STATUS_PAGE_KIND = (ReportRequest.STATUS_PAGE,)
PORTFOLIO_KIND = (ReportRequest.PORTFOLIO,)
MOMENT = {
    "type": "string",
    "maxLength": 64,
    "anyOf": [{"format": "date"}, {"format": "date-time"}],
}


@extend_schema_field(MOMENT)
class MomentField(serializers.CharField):
    """A date (2026-04-24) or a date-time, read as `reading.parse_moment` reads `?as_of=`.

    `end_of_day` says what a bare date means: its end for "as of", its start for "since".
    """

    def __init__(self, *, end_of_day: bool, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > MOMENT["maxLength"]:
            raise serializers.ValidationError("Give a date (2026-04-24) or a date-time.")
        try:
            return reading.parse_moment(self.field_name, text, end_of_day=self.end_of_day)
        except serializers.ValidationError:
            raise serializers.ValidationError("Give a date (2026-04-24) or a date-time.") from None


class ReportKindIn(serializers.Serializer):
    kind = serializers.ChoiceField(KINDS, help_text="A project's status page or the portfolio.")


class _ReportIn(Input):
    as_of = MomentField(
        end_of_day=True,
        required=False,
        help_text="The report as recorded then (a date means its end); leave out for now.",
    )
    language = serializers.ChoiceField(services.LANGUAGES, default="da")


class StatusPageIn(_ReportIn):
    kind = serializers.ChoiceField(STATUS_PAGE_KIND)
    project = serializers.SlugField(max_length=200, help_text="The project's slug.")
    changes_since = MomentField(
        end_of_day=False,
        required=False,
        help_text="List the changes since then (default: since the project's previous report).",
    )


class PortfolioIn(_ReportIn):
    kind = serializers.ChoiceField(PORTFOLIO_KIND)
    area = serializers.SlugField(
        required=False, max_length=200, help_text="Only this area's projects (default: all)."
    )


REPORT_IN = {ReportRequest.STATUS_PAGE: StatusPageIn, ReportRequest.PORTFOLIO: PortfolioIn}
# The body's shape depends on its kind; fields its kind does not name are refused.
REPORT_IN_SCHEMA = PolymorphicProxySerializer(
    component_name="ReportRequestIn",
    serializers=REPORT_IN,
    resource_type_field_name="kind",
)


class ReportLinks(serializers.Serializer):
    self = serializers.URLField()
    pdf = serializers.URLField(help_text="The PDF, as an attachment.")
    html = serializers.URLField(allow_null=True, help_text="The accessible HTML twin.")


class IssuedReportOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(KINDS)
    project = serializers.SlugField(allow_null=True)
    area = serializers.SlugField(allow_null=True, help_text="null: the whole portfolio.")
    language = serializers.ChoiceField(services.LANGUAGES)
    as_of = times.Moment(help_text="The time the report is pinned to.")
    as_of_position = serializers.IntegerField(help_text="The log position it is pinned to.")
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", help_text="SHA-256 of the PDF's bytes.")
    size = serializers.IntegerField(help_text="The PDF's size in bytes.")
    pages = serializers.IntegerField()
    reportlab_version = serializers.CharField(
        allow_null=True,
        help_text="The ReportLab version that rendered the PDF; null if it was not recorded.",
    )
    requested_by = serializers.CharField(allow_null=True, help_text="The user's name.")
    requested_at = times.Moment()
    issued_at = times.Moment()
    request = serializers.UUIDField(allow_null=True, help_text="The request it answered.")
    links = ReportLinks()


class RequestLinks(serializers.Serializer):
    self = serializers.URLField()
    report = serializers.URLField(allow_null=True, help_text="The archived report, when done.")
    pdf = serializers.URLField(allow_null=True, help_text="Its PDF, when done.")
    html = serializers.URLField(allow_null=True, help_text="Its HTML twin, when done.")


class ReportRequestOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(KINDS)
    project = serializers.SlugField(allow_null=True)
    area = serializers.SlugField(allow_null=True)
    language = serializers.ChoiceField(services.LANGUAGES)
    as_of = times.Moment()
    as_of_position = serializers.IntegerField()
    changes_since = times.Moment(allow_null=True)
    state = serializers.ChoiceField(REQUEST_STATES)
    progress = serializers.IntegerField(min_value=0, max_value=100, help_text="Percent done.")
    error = serializers.CharField(allow_null=True, help_text="Why it failed; null otherwise.")
    requested_by = serializers.CharField(allow_null=True)
    requested_at = times.Moment()
    finished_at = times.Moment(allow_null=True)
    links = RequestLinks()


def _url(request, name: str, pk) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=[pk]))


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def report_json(request, report: IssuedReport) -> dict:
    """Return an archived report as the API shows it, with links to its downloads."""
    return IssuedReportOut(
        {
            "id": report.id,
            "kind": report.kind,
            "project": report.project_slug or None,
            "area": report.area_slug or None,
            "language": report.language,
            "as_of": report.as_of_time,
            "as_of_position": report.as_of_position,
            "sha256": report.sha256,
            "size": report.size,
            "pages": report.pages,
            "reportlab_version": report.reportlab_version or None,
            "requested_by": _username(report.requested_by),
            "requested_at": report.requested_at,
            "issued_at": report.issued_at,
            "request": report.request_id,
            "links": {
                "self": _url(request, "report", report.id),
                "pdf": _url(request, "report-pdf", report.id),
                "html": _url(request, "report-html", report.id) if report.html_file else None,
            },
        }
    ).data


def request_json(request, report_request: ReportRequest, report: IssuedReport | None) -> dict:
    """Return a report request, its progress and, once done, where its report is."""
    done = report.id if report is not None else None
    # Through the serializer, so a stored idempotent answer reads exactly like the first one.
    return ReportRequestOut(
        {
            "id": report_request.id,
            "kind": report_request.kind,
            "project": report_request.project_slug or None,
            "area": report_request.area_slug or None,
            "language": report_request.language,
            "as_of": report_request.as_of_time,
            "as_of_position": report_request.as_of_position,
            "changes_since": report_request.changes_since,
            "state": report_request.state,
            "progress": report_request.progress,
            "error": report_request.error or None,
            "requested_by": _username(report_request.requested_by),
            "requested_at": report_request.requested_at,
            "finished_at": report_request.finished_at,
            "links": {
                "self": _url(request, "report-request", report_request.id),
                "report": _url(request, "report", done) if done else None,
                "pdf": _url(request, "report-pdf", done) if done else None,
                "html": _url(request, "report-html", done) if done and report.html_file else None,
            },
        }
    ).data


class ReportQuery(serializers.Serializer):
    project = serializers.SlugField(required=False, help_text="A project's slug.")
    area = serializers.SlugField(required=False, help_text="An area's slug.")
    kind = serializers.ChoiceField(KINDS, required=False)


LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="The request's URL: poll it for progress and the download links.",
    response=[202],
)


class ReportsApi(ListApi):
    """List the archive of issued reports, newest first, a page at a time, to any signed-in user
    (GET); request a new report (POST)."""

    schema = annotations.SchemaClass("reports.api_schema.ReportsSchema")
    permission_classes = [ReadOnly | RequestsReports]
    # JSON only: a form's empty `area` would mean "not given", the whole portfolio.
    parser_classes = [BoundedJSONParser]

    item_serializer = IssuedReportOut
    page_name = "ReportPage"
    filters = ReportQuery
    # JSON field: the column it is read from
    orderings = {"issued_at": ("issued_at",), "as_of": ("as_of",)}
    columns = {"issued_at": "issued_at", "as_of": "as_of_time"}
    ordering = "-issued_at"
    search = ("project", "area")
    reads_as_of = False  # the archive is a table, not a fold of the log
    csv_name = "reports"
    schema_links = {"GetReportRequest": created("reports_requests_retrieve", "request_id")}
    list_operation_id = "reports_list"
    list_tag = "reports"

    def page(self, params: ListParams) -> pagination.Page:
        rows = IssuedReport.objects.select_related("requested_by")
        for name, column in (("project", "project_slug"), ("area", "area_slug"), ("kind", "kind")):
            if name in params.filters:
                rows = rows.filter(**{column: params.filters[name]})
        if params.q is not None:
            rows = rows.filter(
                Q(project_slug__icontains=params.q) | Q(area_slug__icontains=params.q)
            )
        return pagination.page_of_queryset(
            rows,
            ordering=params.ordering,
            column=self.columns[params.ordering.lstrip("-")],
            fields=params.fields,
            cursor=params.cursor,
            limit=params.limit,
            count=params.count,
            serialize=lambda found: [report_json(self.request, r) for r in found],
        )

    @extend_schema(
        operation_id="reports_request",
        description=(
            "Request a status page or portfolio report, pinned now to a time and log position "
            "and generated in the background. Steering-group members, project managers and "
            "administrators only."
        ),
        tags=["reports"],
        request=REPORT_IN_SCHEMA,
        parameters=[IDEMPOTENCY_KEY, LOCATION],
        responses={202: OpenApiResponse(ReportRequestOut, "Queued; follow Location.")},
    )
    def post(self, request):
        # The request, its task and the stored answer of an Idempotency-Key commit together;
        # a retry that raced this one and answered first makes this one roll back, so one
        # request (and one report) comes of one key.
        with transaction.atomic():
            response = self._request(request)
            if response.has_header("Idempotent-Replayed"):
                transaction.set_rollback(True)
        if response.has_header("Idempotent-Replayed") and response.status_code == 202:
            # A stored "queued" would outlive the job: a replay tells the request as it is now.
            response.data = _request_now(request, response.data["id"])
        return response

    @idempotency.idempotent
    def _request(self, request):
        kind = ReportKindIn(data=request.data)
        kind.is_valid(raise_exception=True)
        given = REPORT_IN[kind.validated_data["kind"]](data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        subject = "project" if data["kind"] == ReportRequest.STATUS_PAGE else "area"
        since = data.get("changes_since")
        try:
            report_request = services.request_report(
                request.user,
                data["kind"],
                data.get(subject),
                data.get("as_of"),
                data["language"],
                changes_since=(since.time or timezone.now()) if since else None,
            )
        except DomainError as error:
            # The service names its subject `slug`; the client sent it as `project` or `area`.
            if error.field == "slug":
                error.field = subject
            raise
        url = _url(request, "report-request", report_request.id)
        body = request_json(request, report_request, None)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


def _request_now(request, request_id) -> dict:
    found = ReportRequest.objects.select_related("requested_by", "report").filter(pk=request_id)
    report_request = found.first()
    if report_request is None:
        raise Http404
    return request_json(request, report_request, getattr(report_request, "report", None))


class ReportRequestApi(APIView):
    """Return a report request: its state, progress, error and, when done, its downloads."""

    @extend_schema(
        operation_id="reports_requests_retrieve", tags=["reports"], responses=ReportRequestOut
    )
    def get(self, request, request_id: UUID):
        return Response(_request_now(request, request_id))


def _report(report_id: UUID) -> IssuedReport:
    report = IssuedReport.objects.select_related("requested_by").filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


class ReportDetailApi(APIView):
    """Return one archived report with its hash, pin and download links."""

    @extend_schema(operation_id="reports_retrieve", tags=["reports"], responses=IssuedReportOut)
    def get(self, request, report_id: UUID):
        return Response(report_json(request, _report(report_id)))


class PdfRenderer(renderers.BaseRenderer):
    """Lets content negotiation accept `Accept: application/pdf`; the view sends the file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class HtmlFileRenderer(renderers.BaseRenderer):
    media_type = "text/html"
    format = "html"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def download_name(report: IssuedReport, extension: str) -> str:
    """Return a file name a reader recognises: subject, as-of date, language, short hash."""
    subject = report.project_slug or f"portefolje-{report.area_slug or 'alle'}"
    day = timezone.localtime(report.as_of_time).date().isoformat()
    return f"{subject}-{day}-{report.language}-{report.sha256[:8]}.{extension}"


class ReportPdfApi(APIView):
    """Download an archived report's PDF; its SHA-256 is the archive's and its ETag."""

    renderer_classes = [PdfRenderer]
    conditional_get = True

    @extend_schema(
        operation_id="reports_pdf",
        tags=["reports"],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, report_id: UUID):
        report = _report(report_id)
        cached = etag.not_modified(request, etag.etag(report.sha256))
        if cached is not None:
            return cached
        response = FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=download_name(report, "pdf"),
            content_type="application/pdf",
        )
        response["ETag"] = etag.etag(report.sha256)
        return response


class ReportHtmlApi(APIView):
    """Show an archived report's accessible HTML twin (same content, headings, table headers)."""

    renderer_classes = [HtmlFileRenderer]

    @extend_schema(
        operation_id="reports_html",
        tags=["reports"],
        responses={(200, "text/html"): OpenApiTypes.STR},
    )
    def get(self, request, report_id: UUID):
        report = _report(report_id)
        if not report.html_file:
            raise Http404
        response = FileResponse(
            report.html_file.open("rb"),
            filename=download_name(report, "html"),
            content_type="text/html; charset=utf-8",
        )
        response["Content-Security-Policy"] = TWIN_POLICY
        return response
