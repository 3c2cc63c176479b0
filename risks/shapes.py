"""How the API shows a risk: the serializers its answers are written by and documented with."""

from rest_framework import serializers

from portfolio.api_platform.fields import IdField, ProjectSlugField, TrackNameField

from .domain import STATUSES as RISK_STATUSES


class BiggestField(serializers.BooleanField):
    """Whether the risk is marked the biggest of its track: in the context's `biggest` ids."""

    def __init__(self, **kwargs):
        super().__init__(source="id", **kwargs)

    def to_representation(self, risk_id):
        return risk_id in self.context["biggest"]


class AssessmentOut(serializers.Serializer):
    probability = serializers.IntegerField(allow_null=True)
    impact = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class RiskOut(serializers.Serializer):
    id = serializers.CharField()
    track = TrackNameField()
    track_id = IdField(help_text="The track's id (null: the whole project).")
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    probability = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    impact = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    score = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField(allow_blank=True)
    mitigation = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(RISK_STATUSES)
    biggest = BiggestField(help_text="Marked the biggest risk of its track.")
    assessments = AssessmentOut(many=True)
    version = serializers.IntegerField()


class RiskDetailOut(RiskOut):
    project = ProjectSlugField()
    project_id = IdField(help_text="The project's id.")
