"""Publishing a project's status page on the public pages, and withdrawing it.

A publication is its own stream, named by the issued report it makes public: `Issued` says
who published which page and when (the event's actor and time), `Withdrawn` takes it down with
a reason. The event carries what the public index shows of the page (title, area, status date,
light), so nothing the project recorded after the page is ever shown.

A project manager (or an administrator) asks to publish; the worker issues the status page as
of that moment, and the archive records the publication with the issued report
(services._archive), in one transaction.
"""

from dataclasses import dataclass
from datetime import date

from portfolio import checks
from portfolio.commanding import context, existing, project_for_write
from portfolio.errors import InvalidInput, NotFound
from portfolio.eventstore import repository
from portfolio.eventstore.aggregate import Aggregate, Event
from portfolio.eventstore.projections import Projection, Rows, handles, touched
from portfolio.models import Project as ProjectRow
from portfolio.selectors import AsOf, project_state

from .models import IssuedReport, ReportRequest
from .models import Publication as PublicationRow

# The light the index shows: the page's worst reported rating.
_WORST_FIRST = ("red", "yellow", "green", "not_started", "finished")


def light_of(ratings) -> str:
    """Return the worst of a page's ratings ("" when it has none)."""
    found = set(ratings)
    return next((rating for rating in _WORST_FIRST if rating in found), "")


class Publication(Aggregate):
    stream_type = "Publication"
    project_id: str
    withdrawn: bool

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.project_id = ""
        self.withdrawn = False

    @dataclass(frozen=True)
    class Issued(Event):
        project_id: str
        project_slug: str
        area_slug: str
        area_name: str
        title: str
        status_date: date | None
        light: str

        def apply(self, publication):
            publication.project_id = self.project_id

    @dataclass(frozen=True)
    class Withdrawn(Event):
        reason: str

        def apply(self, publication):
            publication.withdrawn = True

    def withdraw(self, reason: str) -> None:
        if self.withdrawn:
            raise InvalidInput("publication", "is withdrawn already")
        self.trigger(Publication.Withdrawn(checks.text("reason", reason, max_length=500)))


def check_may_publish(actor, project_slug: str) -> None:
    """Raise NotFound or NotAllowed unless `actor` may publish the project's page."""
    project_id = ProjectRow.objects.filter(slug=project_slug).values_list("id", flat=True).first()
    if project_id is None:
        raise NotFound("project", "no such project")
    project_for_write(actor, project_id)


def issue(report: IssuedReport, actor) -> None:
    """Record the publication of an issued status page (inside the archive's transaction)."""
    if report.kind != ReportRequest.STATUS_PAGE:
        raise InvalidInput("report", "only a status page is published")
    state = project_state(
        report.project_slug, AsOf(time=report.as_of_time, position=report.as_of_position)
    )
    if state is None:
        raise NotFound("project", "no such project")
    project = state.project
    project_for_write(actor, project.id)
    issued = Publication.Issued(
        project.id,
        report.project_slug,
        state.area.slug,
        state.area.name,
        project.title,
        project.status_date,
        light_of(s.rating for s in project.statuses.values() if s.rating),
    )
    repository.execute(
        Publication,
        str(report.id),
        lambda p: p.trigger(issued),
        context=context(actor, f"publish:{report.id}"),
        expected_version=0,
    )


def withdraw(report_id: str, *, reason: str, actor) -> None:
    """Take a publication down, saying why; its page stays in the archive."""

    def decide(publication: Publication):
        existing(publication, "publication")
        project_for_write(actor, publication.project_id)
        publication.withdraw(reason)

    repository.execute(
        Publication, str(report_id), decide, context=context(actor, None), expected_version=None
    )


def current(project_slug: str) -> PublicationRow | None:
    """Return the project's public page: its latest publication not withdrawn."""
    return (
        PublicationRow.objects.filter(project_slug=project_slug, withdrawn_at__isnull=True)
        .select_related("report")
        .first()
    )


class PublicationsProjection(Projection):
    name = "publications"
    models = (PublicationRow,)

    @handles("Publication.Issued")
    def issued(self, event, rows: Rows):
        data = dict(event.data)
        data.pop("project_id")
        rows.add(
            PublicationRow,
            report_id=event.stream_id,
            project_id=event.data["project_id"],
            published_at=event.known_at,
            version=event.version,
            **data,
        )

    @handles("Publication.Withdrawn")
    def withdrawn(self, event, rows: Rows):
        touched(
            rows,
            PublicationRow,
            event,
            withdrawn_at=event.known_at,
            withdrawal_reason=event.data["reason"],
        )
