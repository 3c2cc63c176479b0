"""Edit pages of the project itself: details, lists, tracks, status, decisions."""

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portfolio import commands, roles
from portfolio.domain import NO_TRACK

from . import forms
from .commandview import CommandView, track_choices


class ProjectDetails(CommandView):
    form_class = forms.ProjectDetailsForm
    title = _("Edit project details")
    submit = _("Save")
    success = _("The project details are saved.")

    def initial(self, state, target):
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

    def run(self, data, state, target, user, expected_version):
        fields = ("title", "project_leader", "purpose", "milestone_note", "steering_group")
        changes = {k: data[k] for k in fields}
        changes["read_more"] = {
            "label": data["read_more_label"],
            "url": data["read_more_url"],
            "note": data["read_more_note"],
        }
        commands.project_update(
            project_id=state.project.id,
            changes=changes,
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )

    def success_message(self):
        return self.success


class StatusReport(CommandView):
    form_class = forms.StatusForm
    title = _("Report status")
    submit = _("Report status")

    def page(self, request, state, target, form, **kwargs):
        # Name the track on the page: the target itself is only its key.
        track = state.project.tracks.get(target)
        self.title = format_lazy(
            "{}: {}", _("Report status"), track.name if track else _("The whole project")
        )
        return super().page(request, state, target, form, **kwargs)

    def target(self, state, track):
        key = "" if track == "-" else track
        if key != NO_TRACK and key not in state.project.tracks:
            raise Http404("no such track")
        return key

    def initial(self, state, target):
        from django.utils import timezone

        status = state.project.statuses.get(target)
        return {
            "rating": (status.rating or "") if status else "",
            "narrative": status.narrative if status else "",
            "reported_on": timezone.localdate(),
        }

    def run(self, data, state, target, user, expected_version):
        commands.status_report(
            project_id=state.project.id,
            track_id=target or None,
            rating=data["rating"] or None,
            narrative=data["narrative"],
            reported_on=data["reported_on"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class ProjectList(CommandView):
    """Participants or suppliers: the whole list is replaced by one event."""

    field = ""
    keys: tuple[str, ...] = ()
    submit = _("Save")

    def form_kwargs(self, state, target):
        current = getattr(state.project, self.field)
        return {"tracks": track_choices(state), "count": len(current) + 3}

    def initial(self, state, target):
        values = {}
        for n, item in enumerate(getattr(state.project, self.field)):
            values |= {f"{k}_{n}": item.get(k, "") for k in self.keys}
        return values

    def run(self, data, state, target, user, expected_version):
        commands.project_update(
            project_id=state.project.id,
            changes={self.field: self.form.entries()},
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class Participants(ProjectList):
    form_class = forms.ParticipantsForm
    title = _("Edit participants")
    field = "participants"
    keys = ("track", "text")


class Suppliers(ProjectList):
    form_class = forms.SuppliersForm
    title = _("Edit suppliers")
    field = "suppliers"
    keys = ("track", "name", "state")


class TrackAdd(CommandView):
    form_class = forms.TrackForm
    title = _("Add a track")
    submit = _("Add")

    def run(self, data, state, target, user, expected_version):
        result = commands.track_add(
            project_id=state.project.id,
            name=data["name"],
            title=data["title"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )
        if data["monitoring_note"]:
            track_id = _new_track_id(state, result)
            commands.track_change(
                project_id=state.project.id,
                track_id=track_id,
                changes={"monitoring_note": data["monitoring_note"]},
                expected_version=result.version,
                actor=user,
                command_id=f"{self.command_id}:note",  # a second command of the same form
            )


def _new_track_id(state, result) -> str:
    from portfolio.models import Track

    known = set(state.project.tracks)
    return (
        Track.objects.filter(project_id=state.project.id)
        .exclude(id__in=known)
        .values_list("id", flat=True)
        .get()
    )


class TrackChange(CommandView):
    form_class = forms.TrackForm
    title = _("Edit the track")
    submit = _("Save")

    def target(self, state, track):
        if track not in state.project.tracks:
            raise Http404("no such track")
        return state.project.tracks[track]

    def initial(self, state, target):
        return {
            "name": target.name,
            "title": target.title,
            "monitoring_note": target.monitoring_note,
        }

    def run(self, data, state, target, user, expected_version):
        commands.track_change(
            project_id=state.project.id,
            track_id=target.id,
            changes={k: data[k] for k in ("name", "title", "monitoring_note")},
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class DecisionRecord(CommandView):
    form_class = forms.DecisionForm
    title = _("Record a steering-group decision")
    submit = _("Record decision")
    anchor = "decisions-heading"

    def allowed(self, user, state):
        return roles.can_record_decision(user)

    def version(self, state, target):
        return None  # a decision adds to the log; it overwrites nothing another person typed

    def form_kwargs(self, state, target):
        # The kinds a decision may affect, each kind together: "Milestone: ...", "Risk: ...".
        kinds = commands.DECISION_SUBJECTS
        subjects = [m for m in state.members if m.stream_type in kinds]
        subjects.sort(key=lambda m: kinds.index(m.stream_type))
        return {"affects": [(m.id, f"{_(m.stream_type)}: {m.title}") for m in subjects]}

    def run(self, data, state, target, user, expected_version):
        commands.decision_record(
            project_id=state.project.id,
            meeting_on=data["meeting_on"],
            text=data["text"],
            affects=data["affects"],
            actor=user,
            command_id=self.command_id,
        )
