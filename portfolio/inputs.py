"""What each project, track, status, decision and KPI command takes: one declaration per command.

The API validates its request body with these serializers and the web builds its edit form from
them (portfolio.web.forms.form_for), so a field's name, type, limit, choices, label and hint are
stated here once. Labels and hints are English, marked for translation: the API's schema reads
them as they are, the web page in its own language.
"""

from collections.abc import Mapping
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from rest_framework import serializers
from rest_framework.fields import empty

from . import checks, limits
from .errors import InvalidInput

RICH_HINT = N_(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lines starting with "
    "'1.' or '-' for lists, [label](https://...) for links."
)
# A longer text is typed in a box of a few lines (Django REST framework's own style key).
TEXTAREA = {"base_template": "textarea.html", "rows": 3}


# What a form posted to the browsable API carries beside the command's own fields.
FORM_FIELDS = frozenset({"csrfmiddlewaretoken"})


class Input(serializers.Serializer):
    """A command's input: a field it does not declare is refused, by name, not ignored.

    A misspelt field (`planed_on`) would otherwise be dropped and the command run without it.
    The schema says so too (`additionalProperties: false`, see api_platform.schema), with the
    class's `example` as the body's example (tests/api/test_schema_headers.py checks each is
    valid input).
    """

    example: ClassVar[dict] = {}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields) - FORM_FIELDS)
            if unknown:
                refused = serializers.ErrorDetail(
                    _("is not a field of this request."), code="unknown"
                )
                raise serializers.ValidationError({name: [refused] for name in unknown})
            # DRF turns a number into text ("managers": [0] -> ["0"]); the schema says text, so
            # a number there is refused, not guessed at.
            not_text = [n for n, f in self.fields.items() if n in data and _not_text(f, data[n])]
            if not_text:
                refused = serializers.CharField.default_error_messages["invalid"]
                raise serializers.ValidationError({name: [refused] for name in not_text})
        return super().to_internal_value(data)


def _not_text(field: serializers.Field, value) -> bool:
    """Whether a text field (or a list of texts) was given something other than text."""
    if isinstance(field, serializers.CharField):
        return value is not None and not isinstance(value, str)
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
        return isinstance(value, list) and any(not isinstance(item, str) for item in value)
    return False


DATE_HINT = f"From {limits.EARLIEST_DATE.isoformat()} to {limits.LATEST_DATE.isoformat()}."


class BusinessDate(serializers.DateField):
    """A business date (a plan, an achievement, a meeting), within the domain's sane range.

    The schema states the range in the field's description and a pattern (api_platform.schema).
    """

    # The years of EARLIEST_DATE to LATEST_DATE, for clients that check before they send.
    PATTERN = r"^(199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$"

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return checks.in_range(self.field_name, day)
        except InvalidInput as error:
            raise serializers.ValidationError(error.message, code="range") from None


class ProposedSlug(serializers.RegexField):
    """A slug the client may leave out (the server proposes one); sent, it may not be empty.

    Its pattern is the domain's (checks.slug), so the schema states what the command takes.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": checks.SLUG_RULE})
        super().__init__(checks.SLUG_PATTERN, max_length=limits.SLUG, required=False, **kwargs)

    def get_value(self, dictionary):
        # A form's empty value would otherwise count as "left out".
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(serializers.CharField):
    """A text that must be sent as a JSON string: 0 is not the name "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


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
        max_length=max(limits.TRACK_NAME, limits.ID),
        required=False,
        allow_null=True,
        default=None,
        label=N_("Track"),
        help_text="Track name or id; none: the whole project.",
    )


class ReadMoreIn(Input):
    label = optional_text(limits.READ_MORE_LABEL, N_("Read-more link text"))
    url = optional_text(limits.READ_MORE_URL, N_("Read-more link address"))
    note = optional_text(limits.READ_MORE_NOTE, N_("Read-more note"))


class ParticipantIn(Input):
    track = optional_track()
    text = serializers.CharField(max_length=limits.PARTICIPANTS, label=N_("Participants"))


class SupplierIn(Input):
    track = optional_track()
    name = optional_text(limits.SUPPLIER, N_("Supplier"))
    state = serializers.ChoiceField(checks.SUPPLIER_STATES, label=N_("Decided?"))


class ProjectUpdateIn(Input):
    """Any of these; each field changed is one event."""

    example = {
        "project_leader": "Ida Holm",
        "read_more": {"label": "Mere", "url": "https://medcom.dk", "note": ""},
    }

    title = serializers.CharField(
        max_length=limits.PROJECT_TITLE, required=False, label=N_("Title")
    )
    project_leader = optional_text(limits.PROJECT_LEADER, N_("Project leader"), default=empty)
    purpose = RichText(allow_blank=True, required=False, label=N_("Purpose"))
    read_more = ReadMoreIn(required=False)
    milestone_note = RichText(allow_blank=True, required=False, label=N_("Milestone note"))
    steering_group = serializers.ListField(
        child=serializers.CharField(max_length=limits.STEERING_MEMBER),
        max_length=limits.STEERING_GROUP,
        required=False,
        label=N_("Steering group"),
        help_text=N_("One member per line."),
    )
    participants = ParticipantIn(many=True, max_length=limits.ROWS, required=False)
    suppliers = SupplierIn(many=True, max_length=limits.ROWS, required=False)
    managers = serializers.ListField(
        child=serializers.CharField(max_length=limits.USERNAME),
        max_length=limits.MANAGERS,
        required=False,
    )


class AreaCreateIn(Input):
    example = {"name": "Sundhed på tværs"}

    name = Text(max_length=limits.AREA_NAME, label=N_("Name"))
    slug = ProposedSlug(
        label=N_("Short name in addresses"),
        help_text="Omit it and the server proposes one from the name.",
    )


class AreaRenameIn(Input):
    example = {"name": "Sundhed og omsorg"}

    name = Text(max_length=limits.AREA_NAME, label=N_("Name"))


class ProjectCreateIn(Input):
    example = {"title": "FHIR-korrespondance", "area": "kommuner"}

    title = serializers.CharField(max_length=limits.PROJECT_TITLE, label=N_("Title"))
    slug = ProposedSlug(
        label=N_("Short name in addresses"),
        help_text=(
            "Omit it and the server proposes one from the title (æ->ae, ø->oe, å->aa), "
            "made unique with -2, -3, ..."
        ),
    )
    area = serializers.SlugField(label=N_("Area"), help_text="The area's slug.")
    managers = serializers.ListField(
        child=serializers.CharField(max_length=limits.USERNAME),
        max_length=limits.MANAGERS,
        default=list,
        label=N_("Project managers"),
    )


class CloseIn(Input):
    example = {"reason": "Projektet er afsluttet."}

    reason = serializers.CharField(max_length=limits.CLOSE_REASON, label=N_("Why"))


class ReopenIn(CloseIn):
    """Why a closed project is opened again."""


class TrackIn(Input):
    example = {"name": "LTT", "title": "Lettilgængelige tilbud"}

    name = serializers.CharField(max_length=limits.TRACK_NAME, label=N_("Short name"))
    title = optional_text(limits.TRACK_TITLE, N_("Full title"))
    monitoring_note = RichText(
        allow_blank=True, required=False, default="", label=N_("Monitoring note")
    )


class StatusIn(Input):
    example = {"track": "LTT", "rating": "yellow", "narrative": "**Forsinket** pilot"}

    track = optional_track()
    rating = serializers.ChoiceField(checks.RATINGS, allow_null=True, label=N_("Rating"))
    narrative = RichText(allow_blank=True, label=N_("Status"))
    reported_on = BusinessDate(
        required=False, allow_null=True, default=None, label=N_("Status date")
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.CLOSE_REASON,
        label=N_("Why the rating differs from the derived one"),
    )


class DecisionIn(Input):
    example = {"meeting_on": "2026-04-24", "text": "Piloten forlænges til juni."}

    meeting_on = BusinessDate(label=N_("Meeting date"))
    text = RichText(label=N_("Decision"))
    affects = serializers.ListField(
        child=serializers.CharField(max_length=limits.ID),
        max_length=limits.AFFECTS,
        default=list,
        label=N_("Affects"),
        help_text="Ids of the project's milestones and risks.",
    )


class KpiDefineIn(Input):
    example = {"name": "Kommuner i drift", "unit": "kommuner", "denominator": 98}

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


class KpiPointIn(Input):
    example = {"measured_on": "2026-04-01", "value": "41", "source": "MedCom"}

    measured_on = BusinessDate(label=N_("Measured on"))
    value = serializers.DecimalField(
        max_digits=20, decimal_places=6, coerce_to_string=True, label=N_("Value")
    )
    source = optional_text(limits.KPI_SOURCE, N_("Source"))


class RemarkIn(Input):
    example = {"remark": "Tallet opgøres månedligt."}

    remark = RichText(allow_blank=True, label=N_("Remark"))
