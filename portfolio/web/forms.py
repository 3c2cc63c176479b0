"""Forms of the edit pages, built from the input serializers the API validates with.

One declaration per command (portfolio.inputs, milestones.inputs, risks.inputs) states each
field's name, type, limit, choices, label and hint; `form_for` turns it into the page's form, so
the web and the API cannot drift apart. Only what depends on the page (the project's tracks, the
decision's possible subjects) is declared here.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portfolio import inputs, limits

RISK_STATUSES = [
    ("open", pgettext_lazy("risk", "open")),
    ("mitigated", pgettext_lazy("risk", "mitigated")),
    ("closed", pgettext_lazy("risk", "closed")),
    ("occurred", pgettext_lazy("risk", "occurred")),
]
TOO_LONG = {"max_length": _("Too long.")}  # the domain's own refusal says the same


# The browser's date picker offers only the dates the domain takes (checks.in_range).
DATE_RANGE = {"min": limits.EARLIEST_DATE.isoformat(), "max": limits.LATEST_DATE.isoformat()}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> expects


class LinesField(forms.CharField):
    """A list of texts typed one per line; blank lines are dropped."""

    def __init__(self, *, item_length: int | None = None, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)
        self.item_length = item_length

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]

    def validate(self, value) -> None:
        super().validate(value)
        if self.item_length and any(len(line) > self.item_length for line in value):
            raise ValidationError(TOO_LONG["max_length"], code="max_length")


def _say(text):
    """Translate a label or hint the serializer states in English (marked for translation)."""
    return gettext_lazy(text) if isinstance(text, str) else text


def _few(low: int | None, high: int | None) -> bool:
    """Whether a whole number's range is short enough to pick from a list (a score 1-5)."""
    return low is not None and high is not None and high - low < 10


def form_field(field: serializers.Field, required: bool | None = None, words=None) -> forms.Field:
    """Return the form field that asks for what the serializer field `field` takes.

    Unless `required` says otherwise, a field is required when the API requires a value that is
    neither null nor blank. `words` names choices in the page's language, "" the empty choice.
    """
    if required is None:
        required = field.required and not field.allow_null
        required = required and not getattr(field, "allow_blank", False)
    common = {
        "label": _say(field.label),
        "required": required,
        "help_text": _say(field.help_text) or "",
        "error_messages": TOO_LONG,
    }
    choices = getattr(field, "choices", None)
    if isinstance(field, serializers.IntegerField) and _few(field.min_value, field.max_value):
        choices = {n: str(n) for n in range(field.min_value, field.max_value + 1)}
    if choices:  # a select, its empty choice only where the API takes an empty value
        words = words or {}
        empty = field.allow_null or getattr(field, "allow_blank", False)
        blank = [("", words.get("", "-"))] if empty else []
        options = [(str(k), words.get(k) or _say(v)) for k, v in choices.items()]
        values = {str(k): k for k in choices}
        return forms.TypedChoiceField(
            choices=blank + options, coerce=values.get, empty_value=None, **common
        )
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=DateInput(DATE_RANGE), **common)
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, serializers.DecimalField):
        # Typed as text, the way people here write numbers ("12,5"): the command reads both
        # separators. Room for the digits, a sign and the separator.
        return forms.CharField(max_length=field.max_digits + 2, **common)
    if isinstance(field, serializers.ListField):
        return LinesField(item_length=getattr(field.child, "max_length", None), **common)
    rows = 8 if isinstance(field, inputs.RichText) else field.style.get("rows")
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(max_length=field.max_length, widget=widget, **common)


class CommandForm(forms.Form):
    """Every edit form carries the version it was read at, the log position it showed, and the
    id of the command it sends, so a form submitted twice acts once."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_position = forms.IntegerField(widget=forms.HiddenInput, required=False)
    command_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    rich_fields: tuple[str, ...] = ()
    nested: dict[str, tuple[str, ...]] = {}

    def names_of(self, key: str) -> list[str]:
        """Return the names of the fields that give the command's input `key`."""
        if key in self.nested:
            return [f"{key}_{part}" for part in self.nested[key]]
        return [key]

    def label_of(self, key: str):
        names = [n for n in self.names_of(key) if n in self.fields]
        return self.fields[names[0]].label if names else key

    def values(self) -> dict:
        """Return the input shaped as the command's serializer shapes it."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in CommandForm.base_fields}
        for name, parts in self.nested.items():
            data[name] = {p: data.pop(f"{name}_{p}") for p in parts}
        return data


def form_for(
    serializer: type[serializers.Serializer],
    *,
    base: type[CommandForm] = CommandForm,
    fields: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    words: dict | None = None,
) -> type[CommandForm]:
    """Return the edit form of the command whose input `serializer` declares.

    `fields` picks some of its fields (default: all), in the serializer's order; `required`
    names those a page insists on although the API may leave them out (a partial update);
    `words` gives a choice field's words. A field the `base` form declares itself (a track, the
    subjects of a decision: choices that depend on the project) is left to it.
    """
    declared = serializer().fields
    attrs, nested, order = {}, {}, []
    for name in [n for n in declared if n in fields] if fields else declared:
        field = declared[name]
        if isinstance(field, serializers.Serializer):  # a part per field, put back by values()
            nested[name] = tuple(field.fields)
            parts = {f"{name}_{p}": form_field(f) for p, f in field.fields.items()}
        elif name in base.base_fields:
            parts = {name: None}
        else:
            must = True if name in required else None
            parts = {name: form_field(field, must, (words or {}).get(name))}
        attrs |= {k: f for k, f in parts.items() if f is not None}
        order += parts
    rich = tuple(n for n in order if isinstance(declared.get(n), inputs.RichText))
    attrs |= {"field_order": order, "nested": nested, "rich_fields": rich}
    return type(f"{serializer.__name__}Form", (base,), attrs)


class TrackChoiceForm(CommandForm):
    track = forms.ChoiceField(label=_("Track"), required=False)

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", _("The whole project"))] + list(tracks)
        if not tracks:
            self.fields["track"].widget = forms.HiddenInput()

    def values(self) -> dict:
        data = super().values()
        data["track_id"] = data.pop("track") or None  # what the commands take
        return data


class SubjectsForm(CommandForm):
    """A decision names the project's milestones and risks it affects, ticked from a list."""

    affects = forms.MultipleChoiceField(
        label=_("Affects"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, affects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affects"].choices = list(affects)


MAX_ROWS = limits.ROWS


class RowsForm(CommandForm):
    """A list edited as numbered rows (participants, suppliers), with blank rows to add to."""

    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)
    field = ""  # the project's list (and the field of the API's update)
    label = ""
    legend = ""
    row: type[serializers.Serializer]  # the API's input of one row
    words: dict[str, dict] = {}

    def __init__(self, *args, tracks=(), count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = self.row().fields
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
        for name, field in self.columns.items():
            self.fields[f"{name}_{n}"] = (
                forms.ChoiceField(label=_("Track"), choices=self.track_choices, required=False)
                if name == "track"
                else form_field(field, False, self.words.get(name))  # a blank row is left out
            )

    def groups(self):
        """Return (legend, bound fields) per row, for one fieldset each."""
        return [
            (f"{self.legend} {n + 1}", [self[f"{c}_{n}"] for c in self.columns])
            for n in range(self.cleaned_rows())
        ]

    def names_of(self, key):
        if key != self.field:
            return super().names_of(key)
        return [n for n in self.fields if n not in CommandForm.base_fields]  # rows and each row's

    def label_of(self, key):
        return self.label if key == self.field else super().label_of(key)

    def cleaned_rows(self) -> int:
        return sum(1 for name in self.fields if name.startswith("track_"))

    def entries(self) -> list[dict]:
        count = self.cleaned_rows()
        rows = [
            {c: self.cleaned_data.get(f"{c}_{n}", "") for c in self.columns} for n in range(count)
        ]
        return [row for row in rows if self.keep(row)]

    def values(self) -> dict:
        return {self.field: self.entries()}

    def keep(self, row: dict) -> bool:
        return bool(row.get("text") or row.get("name"))


class ParticipantsForm(RowsForm):
    field = "participants"
    label = _("Participants")
    legend = _("Participant")
    row = inputs.ParticipantIn


class SuppliersForm(RowsForm):
    field = "suppliers"
    label = _("Suppliers")
    legend = _("Supplier")
    row = inputs.SupplierIn
    words = {
        "state": {
            "decided": _("decided"),
            "expected": _("expected"),
            "not_decided": _("not decided yet"),
        }
    }

    def keep(self, row):
        return bool(row["name"]) or row["state"] == "not_decided"


class ManagersForm(CommandForm):
    """The project's managers, ticked from the users who have the project-manager role."""

    managers = forms.MultipleChoiceField(
        label=_("Project managers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].choices = list(people)


class ProjectSetupForm(ManagersForm):
    """A new project: its area picked from the areas, its slug made from the title if left out."""

    area = forms.ChoiceField(label=_("Area"))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "-"), *areas]
        self.fields["slug"].help_text = _(
            "Leave it empty and it is made from the title: Fælles Økonomi becomes "
            "faelles-oekonomi. Only a-z, 0-9 and '-'."
        )

    def values(self) -> dict:
        data = super().values()
        data["area_id"] = data.pop("area")
        data["slug"] = data["slug"] or None  # the command makes one from the title
        return data


class AreaSetupForm(CommandForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].help_text = _(
                "Leave it empty and it is made from the name. Only a-z, 0-9 and '-'."
            )

    def values(self) -> dict:
        data = super().values()
        if "slug" in data:
            data["slug"] = data["slug"] or None
        return data
