"""What each milestone command takes: the API validates with these, the web builds its forms."""

from django.utils.translation import gettext_noop as N_
from rest_framework import serializers

from portfolio.inputs import TEXTAREA, BusinessDate, Input, optional_track

from . import limits


class PlanIn(Input):
    example = {"title": "Pilotdrift", "track": "LTT", "planned_on": "2026-09-01"}

    title = serializers.CharField(max_length=limits.TITLE, label=N_("Milestone"))
    track = optional_track()
    planned_on = BusinessDate(
        allow_null=True,
        required=False,
        default=None,
        label=N_("Planned date"),
        help_text=N_("Leave empty if not known."),
    )


class ReplanIn(Input):
    example = {"planned_on": "2026-11-01", "reason": "Leverandøren er forsinket."}

    planned_on = BusinessDate(
        allow_null=True, label=N_("New planned date"), help_text=N_("Empty: not known.")
    )
    reason = serializers.CharField(max_length=limits.REASON, label=N_("Reason"), style=TEXTAREA)


class AchieveIn(Input):
    example = {"achieved_on": "2026-04-20"}

    achieved_on = BusinessDate(label=N_("Achieved on"))


class CorrectAchievementIn(Input):
    example = {"achieved_on": None, "reason": "Registreret ved en fejl."}

    achieved_on = BusinessDate(
        allow_null=True,
        label=N_("Achieved on"),
        help_text=N_("Empty: it was not achieved after all."),
    )
    reason = serializers.CharField(max_length=limits.REASON, label=N_("Reason"), style=TEXTAREA)


class RetitleIn(Input):
    example = {"title": "Pilotdrift i to kommuner"}

    title = serializers.CharField(max_length=limits.TITLE, label=N_("Milestone"))


class MilestoneWithdrawIn(Input):
    example = {"reason": "Planlagt to gange."}

    reason = serializers.CharField(
        max_length=limits.REASON,
        label=N_("Reason"),
        help_text=N_("Why it was a mistake; the history shows it."),
        style=TEXTAREA,
    )
