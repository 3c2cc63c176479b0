"""A portfolio report fanned out over the workers: tasks that build the project pages, a join.

Each part builds the status page snapshots of a batch of projects at the report's pin, on
whichever worker is free; the join renders the report from the parts in the one-process order
(portfolio_states': by title), so the fanned-out report is the one-process report, byte for
byte. A part answers its snapshots as JSON through the result backend; the join builds the
dataclasses again with their constructors.
"""

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from portfolio.domain.change import Change
from portfolio.eventstore import replicas
from portfolio.models import Project as ProjectRow
from portfolio.selectors import AsOf, portfolio_states

from . import lights, services, snapshot
from .build import snapshot_of
from .models import ReportRequest

# Every class a status page snapshot is made of: a part's answer names them by these keys.
CLASSES = {
    cls.__name__: cls
    for cls in (
        snapshot.StatusPageSnapshot,
        snapshot.Participant,
        snapshot.Supplier,
        snapshot.TrackStatus,
        snapshot.TrackLight,
        snapshot.RiskLine,
        snapshot.MilestoneRow,
        snapshot.KpiPoint,
        snapshot.KpiSeries,
        snapshot.Decision,
        snapshot.Track,
        lights.Reason,
        Change,
    )
}


def enabled() -> bool:
    """Return whether portfolio reports fan out (REPORTS_FAN_OUT=1 and a result backend)."""
    return settings.REPORTS_FAN_OUT and bool(settings.CELERY_RESULT_BACKEND)


def encode(value):
    """Return a snapshot (or any part of one) as JSON-ready data that decode() reverses."""
    if is_dataclass(value):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} is not a part of a status page snapshot")
        return {"@": name, **{f.name: encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"@dict": {key: encode(item) for key, item in value.items()}}
    if isinstance(value, datetime):
        return {"@datetime": value.isoformat()}
    if isinstance(value, date):
        return {"@date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"@decimal": str(value)}
    return value


def decode(data):
    """Return the value encode() made `data` of (lists come back as the snapshots' tuples)."""
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        return data
    if "@" in data:
        cls = CLASSES[data["@"]]
        return cls(**{key: decode(item) for key, item in data.items() if key != "@"})
    (tag, raw), *_ = data.items()
    if tag == "@dict":
        return {key: decode(item) for key, item in raw.items()}
    if tag == "@datetime":
        return datetime.fromisoformat(raw)
    if tag == "@date":
        return date.fromisoformat(raw)
    if tag == "@decimal":
        return Decimal(raw)
    raise ValueError(f"not an encoded snapshot part: {tag}")


def project_slugs(area_slug: str | None) -> list[str]:
    """Return the slugs of the projects a portfolio report covers, as portfolio_states reads
    them (the join sorts by title after, as it does)."""
    projects = ProjectRow.objects.all()
    if area_slug:
        projects = projects.filter(area__slug=area_slug)
    return list(projects.values_list("slug", flat=True))


def batches(slugs: list[str]) -> list[list[str]]:
    """Return the slugs in parts of REPORTS_FAN_OUT_BATCH: a part loads its projects together,
    as the one-process report loads them all, which one query per project cannot match."""
    size = settings.REPORTS_FAN_OUT_BATCH
    return [slugs[start : start + size] for start in range(0, len(slugs), size)]


def pages(
    slugs: list[str],
    position: int,
    time: str,
    language: str,
    changes_since: str | None = None,
) -> list[dict]:
    """Return the status page snapshots of these projects at the pin, encoded, by title; a
    project not known then is left out, as portfolio_states leaves it out."""
    point = AsOf(time=datetime.fromisoformat(time), position=position)
    since = datetime.fromisoformat(changes_since) if changes_since else None
    with translation.override(language), replicas.pinned(point.position):
        states = portfolio_states(point, slugs=slugs)
        return [encode(snapshot_of(state, point, language, since)) for state in states]


def ordered(parts: list[list[dict]]) -> list[snapshot.StatusPageSnapshot]:
    """Return the parts' snapshots in the one-process order: by title, ties as listed."""
    snapshots = [decode(page) for part in parts for page in part]
    return sorted(snapshots, key=lambda s: s.title.lower())


def join(parts: list[list[dict]], request_id: str) -> str:
    """Render and archive a fanned-out portfolio request from its parts; return the report's id."""
    request = ReportRequest.objects.get(pk=request_id)
    pdf, html = services.render_portfolio_of(request, ordered(parts))
    return services.archive(request_id, pdf, html)


def wanted(request: ReportRequest) -> bool:
    """Return whether a request is one to fan out: a portfolio report, when it is switched on."""
    return request.kind == ReportRequest.PORTFOLIO and enabled()
