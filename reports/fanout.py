"""A portfolio report fanned out over the workers: tasks that build the project pages, a join.

Each part builds the status page snapshots of a batch of projects at the report's pin, on
whichever worker is free, and spools them (reports.spool) to a file in the default storage; it
answers only where each one is. The join renders the report from those files, a project at a
time, in the one-process order (by title), so the fanned-out report is the one-process report,
byte for byte, and neither the join nor a part holds every project at once.
"""

import tempfile
from contextlib import ExitStack
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation

from portfolio.eventstore import replicas
from portfolio.selectors import AsOf

from . import services, spool
from .models import ReportRequest
from .spool import batches, decode, encode, project_slugs

__all__ = ["batches", "decode", "encode", "project_slugs"]


def enabled() -> bool:
    """Return whether portfolio reports fan out (REPORTS_FAN_OUT=1 and a result backend)."""
    return settings.REPORTS_FAN_OUT and bool(settings.CELERY_RESULT_BACKEND)


def _folder(request_id: str) -> str:
    return f"fanout/{request_id}"


def pages(
    request_id: str,
    slugs: list[str],
    position: int,
    time: str,
    language: str,
    changes_since: str | None = None,
) -> dict:
    """Spool the status page snapshots of these projects at the pin to a file in the default
    storage; return its name and (title, offset, length) of each snapshot in it."""
    point = AsOf(time=datetime.fromisoformat(time), position=position)
    since = datetime.fromisoformat(changes_since) if changes_since else None
    with tempfile.TemporaryFile() as out:
        with translation.override(language), replicas.pinned(point.position):
            entries = spool.write(out, slugs, point, language, since)
        out.seek(0)
        name = default_storage.save(f"{_folder(request_id)}/part.json", File(out))
    return {"file": name, "entries": entries}


def join(parts: list[dict], request_id: str) -> str:
    """Render and archive a fanned-out portfolio request from its parts' files; return the
    report's id. The files are deleted once it is archived."""
    request = ReportRequest.objects.get(pk=request_id)
    with ExitStack() as files:
        entries = []
        for part in parts:
            file = files.enter_context(default_storage.open(part["file"], "rb"))
            entries += [(title, file, offset, length) for title, offset, length in part["entries"]]
        html_out = files.enter_context(tempfile.TemporaryFile())
        pdf, html = services.render_portfolio_of(request, spool.Spooled(entries), html_out)
        report_id = services.archive(request_id, pdf, html)
    forget(request_id)
    return report_id


def forget(request_id: str) -> None:
    """Delete the files the parts of a request spooled."""
    folder = _folder(request_id)
    if default_storage.exists(folder):
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")


def failed(request_id: str, error: BaseException) -> None:
    """Mark a fanned-out request failed, with the error its part or join raised: the user sees
    it at once and may ask again."""
    services.fail(request_id, f"A part of the portfolio report failed: {error}")
    forget(request_id)


def wanted(request: ReportRequest) -> bool:
    """Return whether a request is one to fan out: a portfolio report, when it is switched on."""
    return request.kind == ReportRequest.PORTFOLIO and enabled()
