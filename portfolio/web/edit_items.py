"""Edit pages of a project's milestones, risks and KPI series."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from milestones import commands as milestone_commands
from portfolio import commands
from risks import commands as risk_commands

from . import forms
from .commandview import CommandView, track_choices


def _find(items, item_id):
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        raise Http404("not part of this project")
    return found


class MilestonePlan(CommandView):
    form_class = forms.MilestonePlanForm
    title = _("Add a milestone")
    submit = _("Add")
    anchor = "milestones-heading"

    def version(self, state, target):
        return None  # a new milestone is a new stream

    def form_kwargs(self, state, target):
        return {"tracks": track_choices(state)}

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
        return {"tracks": track_choices(state)}

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


class KpiDefine(CommandView):
    form_class = forms.KpiDefineForm
    title = _("Add a KPI")
    submit = _("Add")

    def version(self, state, target):
        return None  # a new series is a new stream

    def form_kwargs(self, state, target):
        return {"tracks": track_choices(state)}

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
