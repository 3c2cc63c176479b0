"""How the API shows a project, its decisions and KPI series: the serializers that write and
document its answers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portfolio import checks, domain, selectors
from portfolio.api_platform.fields import ProjectSlugField, TrackNameField, state_context
from portfolio.models import KpiSeries as KpiRow
from risks.selectors import biggest_risk
from risks.shapes import RiskOut


class StatusOut(serializers.Serializer):
    rating = serializers.ChoiceField(checks.RATINGS, allow_null=True)
    narrative = serializers.CharField(allow_blank=True, help_text="Rich text (Markdown subset).")
    reported_on = serializers.DateField()


def _status(state: selectors.ProjectState, key: str) -> dict | None:
    status = state.project.statuses.get(key)
    return None if status is None else StatusOut(status).data


def _biggest(state: selectors.ProjectState, key: str) -> dict | None:
    risk = biggest_risk(state, key)
    if risk is None:
        return None
    return RiskOut(risk, context={"track_name": state.track_name, "biggest": {risk.id}}).data


class AreaRefOut(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ReadMoreOut(serializers.Serializer):
    label = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: tuple[str, str, str]):
        return super().to_representation(dict(zip(self.fields, instance, strict=True)))


class ParticipantOut(serializers.Serializer):
    track = TrackNameField(source=None)  # its `track`
    text = serializers.CharField()


class SupplierOut(serializers.Serializer):
    track = TrackNameField(source=None)  # its `track`
    name = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(checks.SUPPLIER_STATES)


# (Serializers here have comments, not docstrings: a docstring would be published in the schema.)
class TrackOut(serializers.Serializer):  # a track of the context's `state`
    id = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    monitoring_note = serializers.CharField(allow_blank=True)
    status = serializers.SerializerMethodField()
    biggest_risk = serializers.SerializerMethodField()

    @extend_schema_field(StatusOut(allow_null=True))
    def get_status(self, track: domain.TrackState) -> dict | None:
        return _status(self.context["state"], track.id)

    @extend_schema_field(RiskOut(allow_null=True))
    def get_biggest_risk(self, track: domain.TrackState) -> dict | None:
        return _biggest(self.context["state"], track.id)


class DecisionOut(serializers.Serializer):
    id = serializers.CharField()
    meeting_on = serializers.DateField()
    text = serializers.CharField()
    affects = serializers.ListField(child=serializers.CharField(), help_text="Milestone/risk ids.")


class DecisionListOut(DecisionOut):  # a row or a state's decision; context: `project_slug`
    project = ProjectSlugField(source="id")


class ProjectOut(serializers.Serializer):  # a project's state; context: `fields.state_context`
    slug = serializers.SlugField(source="project.slug")
    title = serializers.CharField(source="project.title")
    area = AreaRefOut()
    project_leader = serializers.CharField(allow_blank=True, source="project.project_leader")
    purpose = serializers.CharField(allow_blank=True, source="project.purpose")
    read_more = ReadMoreOut(source="project.read_more")
    participants = ParticipantOut(many=True, source="project.participants")
    suppliers = SupplierOut(many=True, source="project.suppliers")
    steering_group = serializers.ListField(
        child=serializers.CharField(), source="project.steering_group"
    )
    managers = serializers.ListField(child=serializers.CharField(), source="project.managers")
    milestone_note = serializers.CharField(allow_blank=True, source="project.milestone_note")
    status_date = serializers.DateField(allow_null=True, source="project.status_date")
    status = serializers.SerializerMethodField(help_text="Status of the project as a whole.")
    biggest_risk = serializers.SerializerMethodField()
    tracks = serializers.SerializerMethodField()
    decisions = DecisionOut(many=True, source="project.decisions")
    closed = serializers.BooleanField(source="project.closed")
    version = serializers.IntegerField(help_text="The project stream's version; its ETag.")
    position = serializers.IntegerField(help_text="The last log position this state includes.")

    @extend_schema_field(StatusOut(allow_null=True))
    def get_status(self, state: selectors.ProjectState) -> dict | None:
        return _status(state, domain.NO_TRACK)

    @extend_schema_field(RiskOut(allow_null=True))
    def get_biggest_risk(self, state: selectors.ProjectState) -> dict | None:
        return _biggest(state, domain.NO_TRACK)

    @extend_schema_field(TrackOut(many=True))
    def get_tracks(self, state: selectors.ProjectState) -> list:
        return TrackOut(state.project.tracks.values(), many=True, context=self.context).data


def project_data(state: selectors.ProjectState) -> dict:
    """Return the project as ProjectOut shows it."""
    return ProjectOut(state, context=state_context(state)).data


class DecimalTextField(serializers.CharField):
    """A number as canonical decimal text: a read-model row holds a Decimal, an event the text."""

    def to_representation(self, value) -> str:
        return value if isinstance(value, str) else domain.decimal_text(self.field_name, value)


class KpiPointOut(serializers.Serializer):
    measured_on = serializers.DateField()
    value = DecimalTextField(help_text="A decimal, as a string.")
    source = serializers.CharField(allow_blank=True)


class KpiOut(serializers.Serializer):  # a row or an aggregate; context: project_slug, track_name
    id = serializers.CharField()
    project = ProjectSlugField()
    track = TrackNameField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    denominator = serializers.IntegerField(allow_null=True)
    denominator_label = serializers.CharField(allow_blank=True)
    remark = serializers.CharField(allow_blank=True)
    points = KpiPointOut(many=True)
    version = serializers.IntegerField()


def kpi_data(row: KpiRow, kpi: domain.Kpi) -> dict:
    """Return the series as KpiOut shows it: its aggregate, its project's tracks named now."""
    names = dict(row.project.tracks.values_list("id", "name"))
    return KpiOut(
        kpi, context={"project_slug": lambda _: row.project.slug, "track_name": names.get}
    ).data
