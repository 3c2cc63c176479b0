"""What changed in a project between two points: the list steering groups read first."""

from datetime import date

from milestones.domain import Milestone
from reports.labels import short_date as dmy
from reports.snapshot import Change
from risks.domain import Risk

from . import domain
from .eventstore import store
from .eventstore.aggregate import aggregate_class, event_class
from .eventstore.models import StoredEvent
from .members import members_of
from .models import Project as ProjectRow
from .selectors import NOW, AsOf

# Project fields whose change is listed as "changed <field>".
FIELD_EVENTS = {
    "Project.Retitled": "title",
    "Project.LeaderNamed": "project_leader",
    "Project.PurposeStated": "purpose",
    "Project.ReadMoreLinkSet": "read_more",
    "Project.ParticipantsListed": "participants",
    "Project.SuppliersListed": "suppliers",
    "Project.SteeringGroupNamed": "steering_group",
    "Project.ManagersAssigned": "managers",
    "Project.MilestoneNoteWritten": "milestone_note",
}


def changes(slug: str, since: AsOf, until: AsOf = NOW) -> list[Change]:
    """Return the changes visible at `until` but not at `since`, oldest first."""
    project_id = ProjectRow.objects.filter(slug=slug).values_list("id", flat=True).first()
    if project_id is None:
        return []
    streams = [project_id, *members_of([project_id])[project_id]]
    rows = until.filter(StoredEvent.objects.filter(stream_id__in=streams)).order_by("position")
    aggregates: dict[str, object] = {}
    result = []
    for row in rows:
        event = store.decode(row)
        aggregate = aggregates.setdefault(
            event.stream_id, aggregate_class(event.stream_type)(event.stream_id)
        )
        before = _snapshot(aggregate)
        aggregate.replay([event_class(event.event_type).from_data(event.data)])
        if not since.includes(event):
            change = _describe(event, before, aggregate)
            if change is not None:
                result.append(change)
    return result


def _snapshot(aggregate) -> dict:
    if isinstance(aggregate, Milestone):
        return {"planned_on": aggregate.planned_on, "achieved_on": aggregate.achieved_on}
    if isinstance(aggregate, Risk):
        return {"probability": aggregate.probability, "impact": aggregate.impact}
    return {}


def _describe(event, before: dict, aggregate) -> Change | None:
    kind, subject, detail = _kind_subject_detail(event, before, aggregate)
    if kind is None:
        return None
    return Change(
        known_at=event.known_at,
        kind=kind,
        subject=subject,
        detail=detail,
        actor=event.metadata.get("actor", ""),
    )


def _kind_subject_detail(event, before, aggregate):  # noqa: C901 - one branch per event type
    t, d = event.event_type, event.data
    reason = event.metadata.get("reason") or d.get("reason") or ""
    if t in FIELD_EVENTS:
        return "changed", FIELD_EVENTS[t], ""
    if t == "Project.Created":
        return "added", d["title"], ""
    if t == "Project.TrackAdded":
        return "added", d["name"], "track"
    if t == "Project.TrackChanged":
        return "changed", d["name"], "track"
    if t == "Project.StatusReported":
        track = aggregate.track_name(d["track_id"]) or ""
        return "reported", track, d["rating"]
    if t in ("Project.BiggestRiskMarked", "Project.BiggestRiskCleared"):
        return "changed", aggregate.track_name(d["track_id"]) or "", "biggest_risk"
    if t == "Project.DecisionRecorded":
        return "decided", d["text"].splitlines()[0][:200], dmy(date.fromisoformat(d["meeting_on"]))
    if t == "Project.Closed":
        return "closed", aggregate.title, d["reason"]
    if isinstance(aggregate, domain.Kpi):
        if t == "Kpi.Defined":
            return "added", d["name"], "kpi"
        if t == "Kpi.Measured":
            return (
                "measured",
                aggregate.name,
                f"{d['value']} ({dmy(date.fromisoformat(d['measured_on']))})",
            )
        return "changed", aggregate.name, "remark"
    if isinstance(aggregate, Milestone):
        return _milestone_change(t, d, before, aggregate, reason)
    if isinstance(aggregate, Risk):
        return _risk_change(t, d, before, aggregate, reason)
    return None, "", ""


def _milestone_change(t, d, before, milestone, reason):
    if t == "Milestone.Planned":
        return "added", milestone.title, dmy(milestone.planned_on)
    if t == "Milestone.Replanned":
        detail = f"{dmy(before['planned_on'])} → {dmy(milestone.planned_on)}"
        return "replanned", milestone.title, f"{detail}: {reason}" if reason else detail
    if t == "Milestone.Achieved":
        return "achieved", milestone.title, dmy(milestone.achieved_on)
    if t == "Milestone.AchievementCorrected":
        detail = f"{dmy(before['achieved_on'])} → {dmy(milestone.achieved_on)}"
        return "corrected", milestone.title, f"{detail}: {reason}" if reason else detail
    return "changed", milestone.title, "title"


def _risk_change(t, d, before, risk, reason):
    if t == "Risk.Raised":
        return "raised", risk.title, ""
    if t == "Risk.Assessed":
        old = f"{before['probability'] or '-'}×{before['impact'] or '-'}"
        return "assessed", risk.title, f"{old} → {risk.probability or '-'}×{risk.impact or '-'}"
    if t == "Risk.StatusChanged":
        kind = "closed" if d["status"] in ("closed", "mitigated") else "changed"
        return kind, risk.title, d["status"] + (f": {reason}" if reason else "")
    return "changed", risk.title, ""
