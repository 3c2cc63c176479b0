"""Forms of the edit pages; each one feeds exactly one command."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portfolio import checks, limits
from portfolio.web.ratings import NO_RATING, RATING_WORDS

SCORES = [("", "-")] + [(str(n), str(n)) for n in range(1, 6)]
RISK_STATUSES = [
    ("open", pgettext_lazy("risk", "open")),
    ("mitigated", pgettext_lazy("risk", "mitigated")),
    ("closed", pgettext_lazy("risk", "closed")),
    ("occurred", pgettext_lazy("risk", "occurred")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> expects


def date_field(label, *, required=True, hint=""):
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=hint)


RICH_HINT = _(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lines starting with "
    "'1.' or '-' for lists, [label](https://...) for links."
)


def rich_field(label, *, required=False):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=RICH_HINT,
    )


class CommandForm(forms.Form):
    """Every edit form carries the version it was read at, the log position it showed, and the
    id of the command it sends, so a form submitted twice acts once."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_position = forms.IntegerField(widget=forms.HiddenInput, required=False)
    command_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    rich_fields: tuple[str, ...] = ()

    def visible(self):
        return [f for f in self if not f.is_hidden]


class ProjectDetailsForm(CommandForm):
    title = forms.CharField(label=_("Title"), max_length=limits.PROJECT_TITLE)
    project_leader = forms.CharField(
        label=_("Project leader"), max_length=limits.PROJECT_LEADER, required=False
    )
    purpose = rich_field(_("Purpose"))
    read_more_label = forms.CharField(
        label=_("Read-more link text"), required=False, max_length=limits.READ_MORE_LABEL
    )
    read_more_url = forms.CharField(
        label=_("Read-more link address"), required=False, max_length=limits.READ_MORE_URL
    )
    read_more_note = forms.CharField(
        label=_("Read-more note"), required=False, max_length=limits.READ_MORE_NOTE
    )
    milestone_note = rich_field(_("Milestone note"))
    steering_group = forms.CharField(
        label=_("Steering group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One member per line."),
    )
    rich_fields = ("purpose", "milestone_note")

    def clean_steering_group(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["steering_group"].splitlines()
            if line.strip()
        ]


class StatusForm(CommandForm):
    rating = forms.ChoiceField(label=_("Rating"), required=False)
    narrative = rich_field(_("Status"), required=True)
    reported_on = date_field(_("Status date"))
    rich_fields = ("narrative",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", NO_RATING)] + [
            (code, RATING_WORDS[code]) for code in checks.RATINGS
        ]


class TrackChoiceForm(CommandForm):
    track = forms.ChoiceField(label=_("Track"), required=False)

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", _("The whole project"))] + list(tracks)
        if not tracks:
            self.fields["track"].widget = forms.HiddenInput()


# The milestone and risk forms state no lengths: those limits live in milestones.limits and
# risks.limits, which this kernel module does not import. The domain refuses a longer text, and
# CommandView shows that next to the field.


class MilestonePlanForm(TrackChoiceForm):
    title = forms.CharField(label=_("Milestone"))
    planned_on = date_field(_("Planned date"), required=False, hint=_("Leave empty if not known."))
    field_order = ["title", "track", "planned_on"]


class ReplanForm(CommandForm):
    planned_on = date_field(_("New planned date"), required=False, hint=_("Empty: not known."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AchieveForm(CommandForm):
    achieved_on = date_field(_("Achieved on"))


class CorrectAchievementForm(CommandForm):
    achieved_on = date_field(
        _("Achieved on"), required=False, hint=_("Empty: it was not achieved after all.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RiskRaiseForm(TrackChoiceForm):
    title = forms.CharField(label=_("Risk"))
    description = rich_field(_("Description"))
    probability = forms.TypedChoiceField(
        label=_("Probability (1-5)"), choices=SCORES, coerce=int, empty_value=None, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Impact (1-5)"), choices=SCORES, coerce=int, empty_value=None, required=False
    )
    owner = forms.CharField(label=_("Owner"), required=False)
    mitigation = forms.CharField(
        label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["title", "track", "description", "probability", "impact", "owner", "mitigation"]
    rich_fields = ("description",)


class RiskAssessForm(CommandForm):
    probability = RiskRaiseForm.base_fields["probability"]
    impact = RiskRaiseForm.base_fields["impact"]
    reason = forms.CharField(label=_("Reason"), required=False)


class RiskStatusForm(CommandForm):
    status = forms.ChoiceField(label=_("Status"), choices=RISK_STATUSES)
    reason = forms.CharField(label=_("Reason"), required=False)


class KpiMeasureForm(CommandForm):
    measured_on = date_field(_("Measured on"))
    value = forms.CharField(label=_("Value"), max_length=40)
    source = forms.CharField(label=_("Source"), required=False, max_length=limits.KPI_SOURCE)


class KpiRemarkForm(CommandForm):
    remark = rich_field(_("Remark"))
    rich_fields = ("remark",)


class DecisionForm(CommandForm):
    meeting_on = date_field(_("Meeting date"))
    text = rich_field(_("Decision"), required=True)
    affects = forms.MultipleChoiceField(
        label=_("Affects"), required=False, widget=forms.CheckboxSelectMultiple
    )
    rich_fields = ("text",)

    def __init__(self, *args, affects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affects"].choices = list(affects)


SUPPLIER_STATES = [
    ("decided", _("decided")),
    ("expected", _("expected")),
    ("not_decided", _("not decided yet")),
]
MAX_ROWS = 40


class RowsForm(CommandForm):
    """A list edited as numbered rows (participants, suppliers), with blank rows to add to."""

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)
    legend = ""
    columns: tuple[str, ...] = ()

    def __init__(self, *args, tracks=(), count=0, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            try:
                count = min(int(self.data.get("rows", 0)), MAX_ROWS)
            except ValueError:
                count = 0
        self.initial.setdefault("rows", count)
        self.track_choices = [("", _("The whole project")), *tracks]
        for n in range(count):
            self.add_row(n)

    def add_row(self, n: int) -> None:
        raise NotImplementedError

    def groups(self):
        """Return (legend, bound fields) per row, for one fieldset each."""
        return [
            (f"{self.legend} {n + 1}", [self[f"{c}_{n}"] for c in self.columns])
            for n in range(self.cleaned_rows())
        ]

    def cleaned_rows(self) -> int:
        return sum(1 for name in self.fields if name.startswith(f"{self.columns[0]}_"))

    def entries(self) -> list[dict]:
        count = self.cleaned_rows()
        rows = [
            {c: self.cleaned_data.get(f"{c}_{n}", "") for c in self.columns} for n in range(count)
        ]
        return [row for row in rows if self.keep(row)]

    def keep(self, row: dict) -> bool:
        return bool(row.get("text") or row.get("name"))


class ParticipantsForm(RowsForm):
    legend = _("Participant")
    columns = ("track", "text")

    def add_row(self, n):
        self.fields[f"track_{n}"] = forms.ChoiceField(
            label=_("Track"), choices=self.track_choices, required=False
        )
        self.fields[f"text_{n}"] = forms.CharField(
            label=_("Participants"), required=False, max_length=limits.PARTICIPANTS
        )


class SuppliersForm(RowsForm):
    legend = _("Supplier")
    columns = ("track", "name", "state")

    def add_row(self, n):
        self.fields[f"track_{n}"] = forms.ChoiceField(
            label=_("Track"), choices=self.track_choices, required=False
        )
        self.fields[f"name_{n}"] = forms.CharField(
            label=_("Supplier"), required=False, max_length=limits.SUPPLIER
        )
        self.fields[f"state_{n}"] = forms.ChoiceField(
            label=_("Decided?"), choices=SUPPLIER_STATES, required=False
        )

    def keep(self, row):
        return bool(row["name"]) or row["state"] == "not_decided"


class TrackForm(CommandForm):
    name = forms.CharField(label=_("Short name"), max_length=limits.TRACK_NAME)
    title = forms.CharField(label=_("Full title"), max_length=limits.TRACK_TITLE, required=False)
    monitoring_note = rich_field(_("Monitoring note"))
    rich_fields = ("monitoring_note",)


class KpiDefineForm(TrackChoiceForm):
    name = forms.CharField(label=_("Name of the measure"), max_length=limits.KPI_NAME)
    description = rich_field(_("Description"))
    unit = forms.CharField(label=_("Unit"), max_length=limits.KPI_UNIT, required=False)
    denominator = forms.IntegerField(label=_("Out of (denominator)"), min_value=1, required=False)
    denominator_label = forms.CharField(
        label=_("Denominator as text"),
        required=False,
        max_length=limits.KPI_DENOMINATOR_LABEL,
        help_text=_("For example: 98 kommuner"),
    )
    field_order = ["name", "track", "description", "unit", "denominator", "denominator_label"]
    rich_fields = ("description",)


class RetitleForm(CommandForm):
    title = forms.CharField(label=_("Milestone"))


class RiskReviseForm(CommandForm):
    title = forms.CharField(label=_("Risk"))
    description = rich_field(_("Description"))
    owner = forms.CharField(label=_("Owner"), required=False)
    mitigation = forms.CharField(
        label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rich_fields = ("description",)
