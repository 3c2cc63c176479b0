"""Build the seed project (and a plainly named example project) through commands.

The seed project is its published page imported (reports/status_pages), dated on its day of
publication: "as of 24 April 2026" shows it, and nothing known earlier. Running it again
appends nothing: the importer records only what differs, and the other steps carry fixed
command ids.
"""

from datetime import date, datetime, time
from pathlib import Path

from django.utils import timezone

from portfolio import commands
from portfolio.models import Area, KpiSeries

from ..status_pages import read_page
from ..status_pages.record import published_at, record
from . import seed

SEED_PAGE = Path(__file__).with_name("status-page-kommuneomraadet.md")  # shared/seed's page


def at(day: str, hour: int = 10) -> datetime:
    """Return a moment on a business day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(hour)))


def _area(actor, slug: str, name: str, known_at: datetime, key: str) -> str:
    existing = Area.objects.filter(slug=slug).values_list("id", flat=True).first()
    if existing:
        return existing
    return commands.area_create(
        slug=slug, name=name, actor=actor, command_id=f"demo:{key}:area", known_at=known_at
    ).stream_id


def build_seed(actor) -> str:
    """Import the seed page as published on 24 April 2026, with its chart's figures (an
    image on the page, so not in its text); return the project's id."""
    page = read_page(SEED_PAGE)
    project_id = record(
        page,
        as_of=page.status_date,
        actor=actor,
        area_slug=seed.AREA_SLUG,
        slug=seed.PROJECT_SLUG,
        managers=["projektleder"],
        kpi_charts={
            seed.KPI_NAME: {
                "unit": seed.KPI_UNIT,
                "denominator": seed.KPI_DENOMINATOR,
                "denominator_label": seed.KPI_DENOMINATOR_LABEL,
            }
        },
    ).project_id
    kpi_id = KpiSeries.objects.get(project_id=project_id, name=seed.KPI_NAME).id
    for measured_on, value in seed.KPI_POINTS:
        commands.kpi_measure(
            kpi_id=kpi_id,
            measured_on=date.fromisoformat(measured_on),
            value=value,
            actor=actor,
            command_id=f"demo:seed:kpi:{measured_on}",
            known_at=published_at(page.status_date),
        )
    return project_id
