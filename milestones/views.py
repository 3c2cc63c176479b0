"""Edit pages of a project's milestones: plan, re-plan, achieve, correct, rename."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones.domain import Milestone
from portfolio.web import forms
from portfolio.web.commandview import NewMember, OnMember
from portfolio.web.dates import long_day

from . import commands, inputs


class MilestonePlan(NewMember):
    form_class = forms.form_for(inputs.PlanIn, base=forms.TrackChoiceForm)
    command = staticmethod(commands.milestone_plan)
    title = _("Add a milestone")
    submit = _("Add")
    anchor = "milestones-heading"

    def saved(self, values, state, target):
        return gettext("Milestone added: %(title)s, planned for %(day)s.") % {
            "title": values["title"],
            "day": long_day(values["planned_on"]),
        }


class OnMilestone(OnMember):
    member_type = Milestone
    id_argument = "milestone_id"
    anchor = "milestones-heading"


class MilestoneReplan(OnMilestone):
    form_class = forms.form_for(inputs.ReplanIn)
    command = staticmethod(commands.milestone_replan)
    title = _("Re-plan the milestone")
    submit = _("Re-plan")
    state_keys = ("planned_on",)
    skip_unchanged = True

    def current(self, state, target):
        return {"planned_on": target.planned_on}

    def saved(self, values, state, target):
        return gettext("Milestone re-planned: %(title)s, now %(day)s.") % {
            "title": target.title,
            "day": long_day(values["planned_on"]),
        }


class MilestoneAchieve(OnMilestone):
    form_class = forms.form_for(inputs.AchieveIn)
    command = staticmethod(commands.milestone_achieve)
    title = _("Mark the milestone achieved")
    submit = _("Mark achieved")

    def initial(self, state, target):
        return {"achieved_on": timezone.localdate()}

    def saved(self, values, state, target):
        return gettext("Milestone achieved: %(title)s, on %(day)s.") % {
            "title": target.title,
            "day": long_day(values["achieved_on"]),
        }


class MilestoneCorrect(OnMilestone):
    form_class = forms.form_for(inputs.CorrectAchievementIn)
    command = staticmethod(commands.milestone_correct_achievement)
    title = _("Correct the achievement")
    submit = _("Correct")
    state_keys = ("achieved_on",)
    skip_unchanged = True

    def current(self, state, target):
        return {"achieved_on": target.achieved_on}

    def saved(self, values, state, target):
        return gettext("Achievement corrected: %(title)s, achieved on %(day)s.") % {
            "title": target.title,
            "day": long_day(values["achieved_on"]),
        }


class MilestoneRetitle(OnMilestone):
    form_class = forms.form_for(inputs.RetitleIn)
    command = staticmethod(commands.milestone_retitle)
    title = _("Rename the milestone")
    submit = _("Save")
    state_keys = ("title",)
    skip_unchanged = True

    def current(self, state, target):
        return {"title": target.title}

    def saved(self, values, state, target):
        return gettext("Milestone renamed: %(title)s.") % {"title": values["title"]}
