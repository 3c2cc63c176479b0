"""How the API shows a project, its decisions and KPI series: the serializers that write and
document its answers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portfolio import checks, domain, selectors
from portfolio.api_platform.fields import (
    IdField,
    ProjectIdField,
    ProjectSlugField,
    TrackNameField,
)
from portfolio.models import KpiSeries as KpiRow
from risks.selectors import biggest_risk
from risks.shapes import RiskOut

from .. import derived, lights
from .project_json import project_json


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


class ReasonOut(serializers.Serializer):
    rating = serializers.ChoiceField(lights.COMPARABLE, help_text="The colour this reason gives.")
    rule = serializers.ChoiceField((lights.SLIPPED, lights.OVERDUE_BY, lights.RISK, lights.STALE))
    subject = serializers.CharField(allow_blank=True, help_text="A milestone's or risk's title.")
    value = serializers.IntegerField(allow_null=True, help_text="Days slipped or overdue; a score.")
    limit = serializers.IntegerField(allow_null=True, help_text="The threshold it exceeds.")
    since = serializers.DateField(allow_null=True, help_text="The meeting a stale status predates.")


class LightFields(serializers.Serializer):
    """The reported rating beside the one derived by the README's rule table."""

    rating = serializers.SerializerMethodField()
    derived_rating = serializers.SerializerMethodField()
    derived_reasons = serializers.SerializerMethodField()
    rating_justification = serializers.SerializerMethodField()

    def _key(self, instance) -> str:
        return domain.NO_TRACK if isinstance(instance, selectors.ProjectState) else instance.id

    def _light(self, instance) -> lights.Light:
        found = self.context["lights"]
        if isinstance(instance, selectors.ProjectState):
            return derived.project_light(found)
        return found.get(instance.id) or lights.Light(lights.GREEN, ())

    @extend_schema_field(serializers.ChoiceField(checks.RATINGS, allow_null=True))
    def get_rating(self, instance) -> str | None:
        status = self.context["state"].project.statuses.get(self._key(instance))
        return status.rating if status else None

    @extend_schema_field(serializers.ChoiceField(lights.COMPARABLE))
    def get_derived_rating(self, instance) -> str:
        return self._light(instance).rating

    @extend_schema_field(ReasonOut(many=True))
    def get_derived_reasons(self, instance) -> list:
        return ReasonOut(self._light(instance).reasons, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rating_justification(self, instance) -> str | None:
        found = self.context["state"].project.justifications.get(self._key(instance))
        return found[1] if found else None


class AreaRefOut(serializers.Serializer):
    id = serializers.CharField(help_text="The area's id, as the event feed's area.id.")
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
class TrackOut(LightFields):  # a track of the context's `state`
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


class DecisionListOut(DecisionOut):  # a row or a state's decision; context: project_slug, _id
    project = ProjectSlugField(source="id")
    project_id = ProjectIdField(help_text="The project's id.")


class ProjectOut(LightFields):  # a project's state; context: `fields.state_context`
    id = serializers.CharField(
        source="project.id", help_text="The project's id, as the event feed's project.id."
    )
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
    return project_json(state)


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
    project_id = IdField(help_text="The project's id.")
    track = TrackNameField()
    track_id = IdField(help_text="The track's id (null: the whole project).")
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
