"""Keep the portfolio's read models (areas, projects, tracks, status, decisions, KPIs)."""

from datetime import date

from .eventstore.projections import Projection, Rows, handles, touched
from .models import Area, Decision, KpiPoint, KpiSeries, Project, Status, Track


class PortfolioProjection(Projection):
    name = "portfolio"
    models = (Area, Project, Track, Status, Decision, KpiSeries, KpiPoint)

    # --- areas ------------------------------------------------------------------------------

    @handles("Area.Created")
    def area_created(self, event, rows: Rows):
        rows.add(Area, id=event.stream_id, version=event.version, **event.data)

    @handles("Area.Renamed")
    def area_renamed(self, event, rows: Rows):
        touched(rows, Area, event, name=event.data["name"])

    # --- projects ---------------------------------------------------------------------------

    @handles("Project.Created")
    def project_created(self, event, rows: Rows):
        data = event.data
        rows.add(
            Project,
            id=event.stream_id,
            slug=data["slug"],
            title=data["title"],
            area_id=data["area_id"],
            managers=list(data.get("managers", [])),
            version=event.version,
            changed_at=event.known_at,
        )

    @handles("Project.Retitled")
    def retitled(self, event, rows):
        touched(rows, Project, event, title=event.data["title"])

    @handles("Project.LeaderNamed")
    def leader_named(self, event, rows):
        touched(rows, Project, event, project_leader=event.data["project_leader"])

    @handles("Project.PurposeStated")
    def purpose_stated(self, event, rows):
        touched(rows, Project, event, purpose=event.data["purpose"])

    @handles("Project.ReadMoreLinkSet")
    def read_more_set(self, event, rows):
        data = event.data
        touched(
            rows,
            Project,
            event,
            read_more_label=data["label"],
            read_more_url=data["url"],
            read_more_note=data.get("note", ""),
        )

    @handles("Project.ParticipantsListed")
    def participants_listed(self, event, rows):
        touched(rows, Project, event, participants=event.data["participants"])

    @handles("Project.SuppliersListed")
    def suppliers_listed(self, event, rows):
        touched(rows, Project, event, suppliers=event.data["suppliers"])

    @handles("Project.SteeringGroupNamed")
    def steering_group_named(self, event, rows):
        touched(rows, Project, event, steering_group=event.data["members"])

    @handles("Project.ManagersAssigned")
    def managers_assigned(self, event, rows):
        touched(rows, Project, event, managers=event.data["managers"])

    @handles("Project.MilestoneNoteWritten")
    def milestone_note_written(self, event, rows):
        touched(rows, Project, event, milestone_note=event.data["note"])

    @handles("Project.Closed")
    def closed(self, event, rows):
        touched(rows, Project, event, closed=True)

    @handles("Project.Reopened")
    def reopened(self, event, rows):
        touched(rows, Project, event, closed=False)

    # --- tracks and status ------------------------------------------------------------------

    @handles("Project.TrackAdded")
    def track_added(self, event, rows):
        touched(rows, Project, event)
        data = event.data
        rows.add(
            Track,
            id=data["track_id"],
            project_id=event.stream_id,
            name=data["name"],
            title=data.get("title", ""),
            order=event.version,
        )

    @handles("Project.TrackChanged")
    def track_changed(self, event, rows):
        touched(rows, Project, event)
        track = rows.get(Track, event.data["track_id"])
        track.name = event.data["name"]
        track.title = event.data["title"]
        track.monitoring_note = event.data["monitoring_note"]
        rows.put(track)

    def _status(self, event, rows, track_key: str) -> Status:
        key = f"{event.stream_id}/{track_key}"
        status = rows.get(Status, key) or Status(
            id=key, project_id=event.stream_id, track_id=track_key or None
        )
        rows.put(status)
        return status

    @handles("Project.StatusReported")
    def status_reported(self, event, rows):
        data = event.data
        status = self._status(event, rows, data["track_id"])
        status.rating, status.narrative = data["rating"] or "", data["narrative"]
        status.reported_on = date.fromisoformat(data["reported_on"])
        touched(rows, Project, event)

    @handles("Project.BiggestRiskMarked")
    def biggest_risk_marked(self, event, rows):
        touched(rows, Project, event)
        self._status(event, rows, event.data["track_id"]).biggest_risk_id = event.data["risk_id"]

    @handles("Project.BiggestRiskCleared")
    def biggest_risk_cleared(self, event, rows):
        touched(rows, Project, event)
        self._status(event, rows, event.data["track_id"]).biggest_risk_id = ""

    @handles("Project.DecisionRecorded")
    def decision_recorded(self, event, rows):
        touched(rows, Project, event)
        data = event.data
        rows.add(
            Decision,
            id=data["decision_id"],
            project_id=event.stream_id,
            meeting_on=date.fromisoformat(data["meeting_on"]),
            text=data["text"],
            affects=data.get("affects", []),
            recorded_by=event.metadata.get("actor", ""),
            known_at=event.known_at,
        )

    # --- KPI series -------------------------------------------------------------------------

    @handles("Kpi.Defined")
    def kpi_defined(self, event, rows):
        data = event.data
        rows.add(
            KpiSeries,
            id=event.stream_id,
            project_id=data["project_id"],
            track_id=data["track_id"] or None,
            name=data["name"],
            description=data["description"],
            unit=data["unit"],
            denominator=data["denominator"],
            denominator_label=data["denominator_label"],
            sequence=event.position,
            version=event.version,
        )

    @handles("Kpi.Measured")
    def kpi_measured(self, event, rows):
        touched(rows, KpiSeries, event)
        data = event.data
        rows.add(
            KpiPoint,
            id=f"{event.stream_id}/{data['measured_on']}",
            series_id=event.stream_id,
            measured_on=date.fromisoformat(data["measured_on"]),
            value=data["value"],
            source=data.get("source", ""),
        )

    @handles("Kpi.RemarkWritten")
    def kpi_remark_written(self, event, rows):
        touched(rows, KpiSeries, event, remark=event.data["remark"])
