"""What a published status page says, as read from its text, before it is recorded.

Tracks are named as the page names them (e.g. "LTT"); `None` is the whole project.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Track:
    name: str  # what the page's lines start with, e.g. "LTT"
    title: str  # the full title, when the page abbreviates it


@dataclass(frozen=True)
class Milestone:
    track: str | None
    title: str
    planned_on: date | None
    achieved_on: date | None


@dataclass(frozen=True)
class Risk:
    track: str | None
    title: str
    description: str


@dataclass(frozen=True)
class Kpi:
    track: str | None
    name: str
    description: str
    remark: str


@dataclass
class Page:
    area: str = ""
    title: str = ""
    status_date: date | None = None
    project_leader: str = ""
    tracks: list[Track] = field(default_factory=list)
    participants: list[tuple[str | None, str]] = field(default_factory=list)
    suppliers: list[tuple[str | None, str, str]] = field(default_factory=list)  # name, state
    purpose: str = ""
    read_more: tuple[str, str, str] = ("", "", "")  # label, url, note
    statuses: list[tuple[str | None, str]] = field(default_factory=list)
    biggest_risks: list[Risk] = field(default_factory=list)
    milestone_note: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    monitoring_notes: dict[str, str] = field(default_factory=dict)  # by track name
    kpis: list[Kpi] = field(default_factory=list)
