"""The edit pages: each subclass of CommandView feeds one form into one command."""

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from milestones import commands as milestone_commands
from portfolio import commands, roles
from portfolio.domain import NO_TRACK
from risks import commands as risk_commands

from . import forms
from .commandview import CommandView


def _find(items, item_id):
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        raise Http404("not part of this project")
    return found


def _tracks(state):
    return [(t.id, t.name) for t in state.project.tracks.values()]


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
        }

    def run(self, data, state, target, user, expected_version):
        changes = {k: data[k] for k in ("title", "project_leader", "purpose", "milestone_note")}
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
        )


class MilestonePlan(CommandView):
    form_class = forms.MilestonePlanForm
    title = _("Add a milestone")
    submit = _("Add")
    anchor = "milestones-heading"

    def version(self, state, target):
        return None  # a new milestone is a new stream

    def form_kwargs(self, state, target):
        return {"tracks": _tracks(state)}

    def run(self, data, state, target, user, expected_version):
        milestone_commands.milestone_plan(
            project_id=state.project.id,
            track_id=data["track"] or None,
            title=data["title"],
            planned_on=data["planned_on"],
            actor=user,
        )


class OnMilestone(CommandView):
    def target(self, state, item_id):
        return _find(state.milestones, item_id)

    def version(self, state, target):
        return target.version

    @property
    def anchor(self):
        return "milestones-heading"


class MilestoneReplan(OnMilestone):
    form_class = forms.ReplanForm
    title = _("Re-plan the milestone")
    submit = _("Re-plan")

    def initial(self, state, target):
        return {"planned_on": target.planned_on}

    def run(self, data, state, target, user, expected_version):
        milestone_commands.milestone_replan(
            milestone_id=target.id,
            planned_on=data["planned_on"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
        )


class MilestoneAchieve(OnMilestone):
    form_class = forms.AchieveForm
    title = _("Mark the milestone achieved")
    submit = _("Mark achieved")

    def initial(self, state, target):
        from django.utils import timezone

        return {"achieved_on": timezone.localdate()}

    def run(self, data, state, target, user, expected_version):
        milestone_commands.milestone_achieve(
            milestone_id=target.id,
            achieved_on=data["achieved_on"],
            expected_version=expected_version,
            actor=user,
        )


class MilestoneCorrect(OnMilestone):
    form_class = forms.CorrectAchievementForm
    title = _("Correct the achievement")
    submit = _("Correct")

    def initial(self, state, target):
        return {"achieved_on": target.achieved_on}

    def run(self, data, state, target, user, expected_version):
        milestone_commands.milestone_correct_achievement(
            milestone_id=target.id,
            achieved_on=data["achieved_on"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
        )


class RiskRaise(CommandView):
    form_class = forms.RiskRaiseForm
    title = _("Raise a risk")
    submit = _("Raise")
    anchor = "risks-heading"

    def version(self, state, target):
        return None

    def form_kwargs(self, state, target):
        return {"tracks": _tracks(state)}

    def run(self, data, state, target, user, expected_version):
        fields = ("title", "description", "probability", "impact", "owner", "mitigation")
        risk_commands.risk_raise(
            project_id=state.project.id,
            track_id=data["track"] or None,
            actor=user,
            **{k: data[k] for k in fields},
        )


class OnRisk(CommandView):
    anchor = "risks-heading"

    def target(self, state, item_id):
        return _find(state.risks, item_id)

    def version(self, state, target):
        return target.version


class RiskAssess(OnRisk):
    form_class = forms.RiskAssessForm
    title = _("Assess the risk")
    submit = _("Save assessment")

    def initial(self, state, target):
        return {"probability": target.probability, "impact": target.impact}

    def run(self, data, state, target, user, expected_version):
        risk_commands.risk_assess(
            risk_id=target.id,
            probability=data["probability"],
            impact=data["impact"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
        )


class RiskStatus(OnRisk):
    form_class = forms.RiskStatusForm
    title = _("Change the risk's status")
    submit = _("Change status")

    def initial(self, state, target):
        return {"status": target.status}

    def run(self, data, state, target, user, expected_version):
        risk_commands.risk_change_status(
            risk_id=target.id,
            status=data["status"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
        )


class RiskBiggest(OnRisk):
    """A button on the project page; the marking lives on the project, hence its version."""

    form_class = forms.CommandForm
    title = _("Mark as biggest risk")
    submit = _("Mark as biggest risk")

    def version(self, state, target):
        return state.project.version

    def run(self, data, state, target, user, expected_version):
        risk_commands.risk_mark_biggest(
            risk_id=target.id, expected_version=expected_version, actor=user
        )


class OnKpi(CommandView):
    def target(self, state, item_id):
        return _find(state.kpis, item_id)

    def version(self, state, target):
        return target.version

    @property
    def anchor(self):
        return f"kpi-{self.kwargs['item_id']}"


class KpiMeasure(OnKpi):
    form_class = forms.KpiMeasureForm
    title = _("Add a measurement")
    submit = _("Add")

    def initial(self, state, target):
        from django.utils import timezone

        return {"measured_on": timezone.localdate()}

    def run(self, data, state, target, user, expected_version):
        commands.kpi_measure(
            kpi_id=target.id,
            measured_on=data["measured_on"],
            value=data["value"],
            source=data["source"],
            expected_version=expected_version,
            actor=user,
        )


class KpiRemark(OnKpi):
    form_class = forms.KpiRemarkForm
    title = _("Edit the remark")
    submit = _("Save")

    def initial(self, state, target):
        return {"remark": target.remark}

    def run(self, data, state, target, user, expected_version):
        commands.kpi_write_remark(
            kpi_id=target.id,
            remark=data["remark"],
            expected_version=expected_version,
            actor=user,
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
        milestones = [(m.id, f"{_('Milestone')}: {m.title}") for m in state.milestones]
        risks = [(r.id, f"{_('Risk')}: {r.title}") for r in state.risks]
        return {"affects": milestones + risks}

    def run(self, data, state, target, user, expected_version):
        commands.decision_record(
            project_id=state.project.id,
            meeting_on=data["meeting_on"],
            text=data["text"],
            affects=data["affects"],
            actor=user,
        )


class ProjectList(CommandView):
    """Participants or suppliers: the whole list is replaced by one event."""

    field = ""
    keys: tuple[str, ...] = ()
    submit = _("Save")

    def form_kwargs(self, state, target):
        current = getattr(state.project, self.field)
        return {"tracks": _tracks(state), "count": len(current) + 3}

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
        )
        if data["monitoring_note"]:
            track_id = _new_track_id(state, result)
            commands.track_change(
                project_id=state.project.id,
                track_id=track_id,
                changes={"monitoring_note": data["monitoring_note"]},
                expected_version=result.version,
                actor=user,
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
        )


class KpiDefine(CommandView):
    form_class = forms.KpiDefineForm
    title = _("Add a KPI")
    submit = _("Add")

    def version(self, state, target):
        return None  # a new series is a new stream

    def form_kwargs(self, state, target):
        return {"tracks": _tracks(state)}

    def run(self, data, state, target, user, expected_version):
        fields = ("name", "description", "unit", "denominator", "denominator_label")
        commands.kpi_define(
            project_id=state.project.id,
            track_id=data["track"] or None,
            actor=user,
            **{k: data[k] for k in fields},
        )


class MilestoneRetitle(OnMilestone):
    form_class = forms.RetitleForm
    title = _("Rename the milestone")
    submit = _("Save")

    def initial(self, state, target):
        return {"title": target.title}

    def run(self, data, state, target, user, expected_version):
        milestone_commands.milestone_retitle(
            milestone_id=target.id,
            title=data["title"],
            expected_version=expected_version,
            actor=user,
        )


class RiskRevise(OnRisk):
    form_class = forms.RiskReviseForm
    title = _("Edit the risk")
    submit = _("Save")

    def initial(self, state, target):
        return {k: getattr(target, k) for k in ("title", "description", "owner", "mitigation")}

    def run(self, data, state, target, user, expected_version):
        fields = ("title", "description", "owner", "mitigation")
        risk_commands.risk_revise(
            risk_id=target.id,
            changes={k: data[k] for k in fields},
            expected_version=expected_version,
            actor=user,
        )
