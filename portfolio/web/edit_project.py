"""Edit pages of the project itself: details, lists, tracks, status, decisions."""

from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portfolio import commands, inputs, roles
from portfolio.domain import NO_TRACK

from . import forms
from .commandview import CommandView, track_choices
from .dates import long_day
from .ratings import NO_RATING, RATING_WORDS

DETAILS = ("title", "project_leader", "purpose", "read_more", "milestone_note", "steering_group")


class ProjectDetails(CommandView):
    form_class = forms.form_for(
        inputs.ProjectUpdateIn,
        fields=DETAILS,
        required=("title",),  # the API's update may leave it out; this page always sends it
    )
    command = staticmethod(commands.project_update)
    partial = True
    state_keys = DETAILS
    title = _("Edit project details")
    submit = _("Save")

    def current(self, state, target):
        p = state.project
        label, url, note = p.read_more
        return {
            "title": p.title,
            "project_leader": p.project_leader,
            "purpose": p.purpose,
            "milestone_note": p.milestone_note,
            "read_more_label": label,
            "read_more_url": url,
            "read_more_note": note,
            "steering_group": "\n".join(p.steering_group),
        }


class StatusReport(CommandView):
    form_class = forms.form_for(
        inputs.StatusIn,
        fields=("rating", "narrative", "reported_on", "justification"),  # the track is the page's
        required=("narrative", "reported_on"),  # the page offers today's date to start from
        words={"rating": {"": NO_RATING, **RATING_WORDS}},
    )
    command = staticmethod(commands.status_report)
    state_keys = ("rating", "narrative")
    title = _("Report status")
    submit = _("Report status")

    def page(self, request, state, target, form, **kwargs):
        # Name the track on the page: the target itself is only its key.
        track = state.project.tracks.get(target)
        self.title = format_lazy(
            "{}: {}", _("Report status"), track.name if track else _("The whole project")
        )
        return super().page(request, state, target, form, **kwargs)

    def subtitle(self, state, target):
        # The target is the track's key; str.title() of it is no name (a template would call it).
        track = state.project.tracks.get(target)
        return track.name if track else ""  # the heading says "the whole project"

    def target(self, state, track):
        key = "" if track == "-" else track
        if key != NO_TRACK and key not in state.project.tracks:
            raise Http404("no such track")
        return key

    def subject(self, state, target):
        return {"project_id": state.project.id, "track_id": target or None}

    def current(self, state, target):
        status = state.project.statuses.get(target)
        return {
            "rating": (status.rating or "") if status else "",
            "narrative": status.narrative if status else "",
        }

    def initial(self, state, target):
        return self.current(state, target) | {"reported_on": timezone.localdate()}

    def saved(self, values, state, target):
        rating = RATING_WORDS.get(values.get("rating"), NO_RATING)
        day = values.get("reported_on") or timezone.localdate()
        return gettext("Status reported for %(track)s: %(rating)s, dated %(day)s.") % {
            "track": self.subtitle(state, target) or _("The whole project"),
            "rating": rating,
            "day": long_day(day),
        }


class ProjectList(CommandView):
    """Participants or suppliers: the whole list is replaced by one event."""

    form_class: type[forms.RowsForm]
    command = staticmethod(commands.project_update)
    partial = True

    @property
    def state_keys(self):
        return (self.form_class.field,)

    submit = _("Save")

    def form_kwargs(self, state, target):
        current = getattr(state.project, self.form_class.field)
        return {"tracks": track_choices(state), "count": len(current) + 3}

    def current(self, state, target):
        values = {}
        for n, item in enumerate(getattr(state.project, self.form_class.field)):
            values |= {f"{k}_{n}": v for k, v in item.items()}
        return values


class Participants(ProjectList):
    form_class = forms.ParticipantsForm
    title = _("Edit participants")


class Suppliers(ProjectList):
    form_class = forms.SuppliersForm
    title = _("Edit suppliers")


class TrackAdd(CommandView):
    form_class = forms.form_for(inputs.TrackIn)
    command = staticmethod(commands.track_add)
    title = _("Add a track")
    submit = _("Add")

    def saved(self, values, state, target):
        return gettext("Track added: %(name)s.") % {"name": values["name"]}


class TrackChange(CommandView):
    form_class = TrackAdd.form_class
    command = staticmethod(commands.track_change)
    partial = True
    state_keys = ("name", "title", "monitoring_note")
    title = _("Edit the track")
    submit = _("Save")

    def target(self, state, track):
        if track not in state.project.tracks:
            raise Http404("no such track")
        return state.project.tracks[track]

    def subject(self, state, target):
        return {"project_id": state.project.id, "track_id": target.id}

    def current(self, state, target):
        return {
            "name": target.name,
            "title": target.title,
            "monitoring_note": target.monitoring_note,
        }


class DecisionRecord(CommandView):
    form_class = forms.form_for(inputs.DecisionIn, base=forms.SubjectsForm)
    command = staticmethod(commands.decision_record)
    title = _("Record a steering-group decision")
    submit = _("Record decision")
    anchor = "decisions-heading"

    def allowed(self, user, state):
        return roles.can_record_decision(user)

    def saved(self, values, state, target):
        day = long_day(values["meeting_on"])
        return gettext("Decision recorded for the meeting on %(day)s.") % {"day": day}

    def version(self, state, target):
        return None  # a decision adds to the log; it overwrites nothing another person typed

    def form_kwargs(self, state, target):
        # The kinds a decision may affect, each kind together: "Milestone: ...", "Risk: ...".
        kinds = commands.DECISION_SUBJECTS
        subjects = [m for m in state.members if m.stream_type in kinds]
        subjects.sort(key=lambda m: kinds.index(m.stream_type))
        return {"affects": [(m.id, f"{_(m.stream_type)}: {m.title}") for m in subjects]}
