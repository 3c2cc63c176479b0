"""How the API shows a project, a risk and a KPI series, from the folded aggregates."""

from rest_framework import serializers

from portfolio import checks, domain, selectors
from risks.selectors import biggest_risk
from risks.shapes import RiskOut


def _status(project: domain.Project, key: str) -> dict | None:
    status = project.statuses.get(key)
    if status is None:
        return None
    return {
        "rating": status.rating,
        "narrative": status.narrative,
        "reported_on": status.reported_on,
    }


def _biggest(state: selectors.ProjectState, key: str) -> dict | None:
    risk = biggest_risk(state, key)
    if risk is None:
        return None
    return RiskOut(risk, context={"track_name": state.track_name, "biggest": {risk.id}}).data


def project_json(state: selectors.ProjectState) -> dict:
    """Return everything the status page shows about a project, as of the state's point."""
    p = state.project
    label, url, note = p.read_more
    name = state.track_name
    return {
        "slug": p.slug,
        "title": p.title,
        "area": {"slug": state.area.slug, "name": state.area.name},
        "project_leader": p.project_leader,
        "purpose": p.purpose,
        "read_more": {"label": label, "url": url, "note": note},
        "participants": [
            {"track": name(i["track"]) if i["track"] else None, "text": i["text"]}
            for i in p.participants
        ],
        "suppliers": [
            {
                "track": name(i["track"]) if i["track"] else None,
                "name": i["name"],
                "state": i["state"],
            }
            for i in p.suppliers
        ],
        "steering_group": list(p.steering_group),
        "managers": list(p.managers),
        "milestone_note": p.milestone_note,
        "status_date": p.status_date,
        "status": _status(p, domain.NO_TRACK),
        "biggest_risk": _biggest(state, domain.NO_TRACK),
        "tracks": [
            {
                "id": t.id,
                "name": t.name,
                "title": t.title,
                "monitoring_note": t.monitoring_note,
                "status": _status(p, t.id),
                "biggest_risk": _biggest(state, t.id),
            }
            for t in p.tracks.values()
        ],
        "decisions": [decision_json(d) for d in p.decisions],
        "closed": p.closed,
        "version": p.version,
        "position": state.position,
    }


def decision_json(d) -> dict:
    return {"id": d.id, "meeting_on": d.meeting_on, "text": d.text, "affects": list(d.affects)}


def kpi_json(name_of_track, kpi: domain.Kpi, project_slug: str) -> dict:
    return {
        "id": kpi.id,
        "project": project_slug,
        "track": name_of_track(kpi.track_id) if kpi.track_id else None,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "denominator": kpi.denominator,
        "denominator_label": kpi.denominator_label,
        "remark": kpi.remark,
        "points": [
            {"measured_on": p.measured_on, "value": p.value, "source": p.source} for p in kpi.points
        ],
        "version": kpi.version,
    }


# --- documentation of the shapes above (drf-spectacular) --------------------------------------


class StatusOut(serializers.Serializer):
    rating = serializers.ChoiceField(checks.RATINGS, allow_null=True)
    narrative = serializers.CharField(allow_blank=True, help_text="Rich text (Markdown subset).")
    reported_on = serializers.DateField()


class AreaRefOut(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ReadMoreOut(serializers.Serializer):
    label = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class ParticipantOut(serializers.Serializer):
    track = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class SupplierOut(serializers.Serializer):
    track = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(checks.SUPPLIER_STATES)


class TrackOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    monitoring_note = serializers.CharField(allow_blank=True)
    status = StatusOut(allow_null=True)
    biggest_risk = RiskOut(allow_null=True)


class DecisionOut(serializers.Serializer):
    id = serializers.CharField()
    meeting_on = serializers.DateField()
    text = serializers.CharField()
    affects = serializers.ListField(child=serializers.CharField(), help_text="Milestone/risk ids.")


class DecisionListOut(DecisionOut):
    project = serializers.SlugField()


class ProjectOut(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    area = AreaRefOut()
    project_leader = serializers.CharField(allow_blank=True)
    purpose = serializers.CharField(allow_blank=True)
    read_more = ReadMoreOut()
    participants = ParticipantOut(many=True)
    suppliers = SupplierOut(many=True)
    steering_group = serializers.ListField(child=serializers.CharField())
    managers = serializers.ListField(child=serializers.CharField())
    milestone_note = serializers.CharField(allow_blank=True)
    status_date = serializers.DateField(allow_null=True)
    status = StatusOut(allow_null=True, help_text="Status of the project as a whole.")
    biggest_risk = RiskOut(allow_null=True)
    tracks = TrackOut(many=True)
    decisions = DecisionOut(many=True)
    closed = serializers.BooleanField()
    version = serializers.IntegerField(help_text="The project stream's version; its ETag.")
    position = serializers.IntegerField(help_text="The last log position this state includes.")


class KpiPointOut(serializers.Serializer):
    measured_on = serializers.DateField()
    value = serializers.CharField(help_text="A decimal, as a string.")
    source = serializers.CharField(allow_blank=True)


class KpiOut(serializers.Serializer):
    id = serializers.CharField()
    project = serializers.SlugField()
    track = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    denominator = serializers.IntegerField(allow_null=True)
    denominator_label = serializers.CharField(allow_blank=True)
    remark = serializers.CharField(allow_blank=True)
    points = KpiPointOut(many=True)
    version = serializers.IntegerField()
