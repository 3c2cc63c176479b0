"""What each project, track, status, decision and KPI command takes: one declaration per command.

The API validates its request body with these serializers and the web builds its edit form from
them (portfolio.web.forms.form_for), so a field's name, type, limit, choices, label and hint are
stated here once. Labels and hints are English, marked for translation: the API's schema reads
them as they are, the web page in its own language.
"""

from django.utils.translation import gettext_noop as N_
from rest_framework import serializers
from rest_framework.fields import empty

from . import checks, limits

RICH_HINT = N_(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lines starting with "
    "'1.' or '-' for lists, [label](https://...) for links."
)
# A longer text is typed in a box of a few lines (Django REST framework's own style key).
TEXTAREA = {"base_template": "textarea.html", "rows": 3}


class RichText(serializers.CharField):
    """Rich text, the safe Markdown subset: the web edits it in a large box with a preview."""

    def __init__(self, **kwargs):
        super().__init__(**{"max_length": limits.RICH_TEXT, "help_text": RICH_HINT, **kwargs})


def optional_text(max_length: int, label: str, **kwargs) -> serializers.CharField:
    """Return a text that may be empty or left out ("" then; with `default=empty`, a partial
    update leaves the field as it is)."""
    kwargs = {"allow_blank": True, "required": False, "default": "", **kwargs}
    return serializers.CharField(max_length=max_length, label=label, **kwargs)


def optional_track() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        label=N_("Track"),
        help_text="Track name or id; none: the whole project.",
    )


class ReadMoreIn(serializers.Serializer):
    label = optional_text(limits.READ_MORE_LABEL, N_("Read-more link text"))
    url = optional_text(limits.READ_MORE_URL, N_("Read-more link address"))
    note = optional_text(limits.READ_MORE_NOTE, N_("Read-more note"))


class ParticipantIn(serializers.Serializer):
    track = optional_track()
    text = serializers.CharField(max_length=limits.PARTICIPANTS, label=N_("Participants"))


class SupplierIn(serializers.Serializer):
    track = optional_track()
    name = optional_text(limits.SUPPLIER, N_("Supplier"))
    state = serializers.ChoiceField(checks.SUPPLIER_STATES, label=N_("Decided?"))


class ProjectUpdateIn(serializers.Serializer):
    """Any of these; each field changed is one event."""

    title = serializers.CharField(
        max_length=limits.PROJECT_TITLE, required=False, label=N_("Title")
    )
    project_leader = optional_text(limits.PROJECT_LEADER, N_("Project leader"), default=empty)
    purpose = RichText(allow_blank=True, required=False, label=N_("Purpose"))
    read_more = ReadMoreIn(required=False)
    milestone_note = RichText(allow_blank=True, required=False, label=N_("Milestone note"))
    steering_group = serializers.ListField(
        child=serializers.CharField(max_length=limits.STEERING_MEMBER),
        required=False,
        label=N_("Steering group"),
        help_text=N_("One member per line."),
    )
    participants = ParticipantIn(many=True, required=False)
    suppliers = SupplierIn(many=True, required=False)
    managers = serializers.ListField(
        child=serializers.CharField(max_length=limits.USERNAME), required=False
    )


class TrackIn(serializers.Serializer):
    name = serializers.CharField(max_length=limits.TRACK_NAME, label=N_("Short name"))
    title = optional_text(limits.TRACK_TITLE, N_("Full title"))
    monitoring_note = RichText(
        allow_blank=True, required=False, default="", label=N_("Monitoring note")
    )


class StatusIn(serializers.Serializer):
    track = optional_track()
    rating = serializers.ChoiceField(checks.RATINGS, allow_null=True, label=N_("Rating"))
    narrative = RichText(allow_blank=True, label=N_("Status"))
    reported_on = serializers.DateField(
        required=False, allow_null=True, default=None, label=N_("Status date")
    )


class DecisionIn(serializers.Serializer):
    meeting_on = serializers.DateField(label=N_("Meeting date"))
    text = RichText(label=N_("Decision"))
    affects = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        label=N_("Affects"),
        help_text="Ids of the project's milestones and risks.",
    )


class KpiDefineIn(serializers.Serializer):
    name = serializers.CharField(max_length=limits.KPI_NAME, label=N_("Name of the measure"))
    track = optional_track()
    description = RichText(allow_blank=True, required=False, default="", label=N_("Description"))
    unit = optional_text(limits.KPI_UNIT, N_("Unit"))
    denominator = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        label=N_("Out of (denominator)"),
    )
    denominator_label = optional_text(
        limits.KPI_DENOMINATOR_LABEL,
        N_("Denominator as text"),
        help_text=N_("For example: 98 kommuner"),
    )


class KpiPointIn(serializers.Serializer):
    measured_on = serializers.DateField(label=N_("Measured on"))
    value = serializers.DecimalField(
        max_digits=20, decimal_places=6, coerce_to_string=True, label=N_("Value")
    )
    source = optional_text(limits.KPI_SOURCE, N_("Source"))


class RemarkIn(serializers.Serializer):
    remark = RichText(allow_blank=True, label=N_("Remark"))
