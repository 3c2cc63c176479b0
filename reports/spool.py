"""A portfolio report's project snapshots spooled to a file as they are built, and read back
one at a time while the report renders: no process holds every project's read models or
snapshots at once (issues 15 and 20).

The snapshots are built a batch of projects at a time (REPORTS_FAN_OUT_BATCH), in one process
or in the parts of a fanned-out report (reports.fanout), the same way either way: both give the
report the same bytes. A snapshot is written as the JSON that encode() makes and decode()
reverses.
"""

import json
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings

from portfolio.domain.change import Change
from portfolio.models import Project as ProjectRow
from portfolio.selectors import AsOf, portfolio_states

from . import lights, snapshot
from .build import snapshot_of

# Every class a status page snapshot is made of: its JSON names them by these keys.
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
    them (the report sorts them by title after, as it does)."""
    projects = ProjectRow.objects.all()
    if area_slug:
        projects = projects.filter(area__slug=area_slug)
    return list(projects.order_by("slug").values_list("slug", flat=True))


def batches(slugs: list[str]) -> list[list[str]]:
    """Return the slugs in batches of REPORTS_FAN_OUT_BATCH: a batch's projects are loaded
    together, which one query per project cannot match, and only a batch's at a time."""
    size = settings.REPORTS_FAN_OUT_BATCH
    return [slugs[start : start + size] for start in range(0, len(slugs), size)]


def write(
    out: BinaryIO, slugs: list[str], point: AsOf, language: str, since
) -> list[tuple[str, int, int]]:
    """Write the snapshots of these projects at the pin to `out`; return (title, offset,
    length) of each. A project not known then is left out, as portfolio_states leaves it out.

    The caller pins the replica and activates the language.
    """
    written = []
    for state in portfolio_states(point, slugs=slugs):
        page = snapshot_of(state, point, language, since)
        data = json.dumps(encode(page), ensure_ascii=False, separators=(",", ":")).encode()
        written.append((page.title, out.tell(), len(data)))
        out.write(data)
    return written


class Spooled(Sequence):
    """Spooled snapshots in the report's order (by title, ties as written), each read from its
    file when asked for and not kept."""

    def __init__(self, entries: list[tuple[str, BinaryIO, int, int]]):
        # entries: (title, file, offset, length) in the order they were written
        self.entries = sorted(entries, key=lambda entry: entry[0].lower())

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        _, file, offset, length = self.entries[index]
        file.seek(offset)
        return decode(json.loads(file.read(length)))
