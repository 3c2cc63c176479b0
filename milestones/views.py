"""Edit pages of a project's milestones: plan, re-plan, achieve, correct, rename."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.domain import Milestone
from portfolio.web import forms
from portfolio.web.commandview import CommandView, find_item, track_choices

from . import commands


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
        commands.milestone_plan(
            project_id=state.project.id,
            track_id=data["track"] or None,
            title=data["title"],
            planned_on=data["planned_on"],
            actor=user,
            command_id=self.command_id,
        )


class OnMilestone(CommandView):
    def target(self, state, item_id):
        return find_item(state.of_type(Milestone), item_id)

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
        commands.milestone_replan(
            milestone_id=target.id,
            planned_on=data["planned_on"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class MilestoneAchieve(OnMilestone):
    form_class = forms.AchieveForm
    title = _("Mark the milestone achieved")
    submit = _("Mark achieved")

    def initial(self, state, target):
        return {"achieved_on": timezone.localdate()}

    def run(self, data, state, target, user, expected_version):
        commands.milestone_achieve(
            milestone_id=target.id,
            achieved_on=data["achieved_on"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class MilestoneCorrect(OnMilestone):
    form_class = forms.CorrectAchievementForm
    title = _("Correct the achievement")
    submit = _("Correct")

    def initial(self, state, target):
        return {"achieved_on": target.achieved_on}

    def run(self, data, state, target, user, expected_version):
        commands.milestone_correct_achievement(
            milestone_id=target.id,
            achieved_on=data["achieved_on"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class MilestoneRetitle(OnMilestone):
    form_class = forms.RetitleForm
    title = _("Rename the milestone")
    submit = _("Save")

    def initial(self, state, target):
        return {"title": target.title}

    def run(self, data, state, target, user, expected_version):
        commands.milestone_retitle(
            milestone_id=target.id,
            title=data["title"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )
