"""What each risk command takes: the API validates with these, the web builds its forms."""

from django.utils.translation import gettext_noop as N_
from rest_framework import serializers
from rest_framework.fields import empty

from portfolio import limits as portfolio_limits
from portfolio.inputs import TEXTAREA, Input, RichText, optional_text, optional_track

from . import limits
from .domain import STATUSES


def score(label: str, **kwargs) -> serializers.IntegerField:
    """A probability or impact: 1 (low) to 5 (high), or null: not assessed."""
    return serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, label=label, **kwargs
    )


def mitigation(**kwargs) -> serializers.CharField:
    return optional_text(portfolio_limits.RICH_TEXT, N_("Mitigation"), style=TEXTAREA, **kwargs)


class RaiseIn(Input):
    example = {"title": "Leverandør forsinket", "track": "LTT", "probability": 3, "impact": 4}

    title = serializers.CharField(max_length=limits.TITLE, label=N_("Risk"))
    track = optional_track()
    description = RichText(allow_blank=True, required=False, default="", label=N_("Description"))
    probability = score(N_("Probability (1-5)"), required=False, default=None)
    impact = score(N_("Impact (1-5)"), required=False, default=None)
    owner = optional_text(limits.OWNER, N_("Owner"))
    mitigation = mitigation()


class AssessIn(Input):
    example = {"probability": 4, "impact": 4, "reason": "Ny tidsplan fra leverandøren."}

    probability = score(N_("Probability (1-5)"))
    impact = score(N_("Impact (1-5)"))
    reason = optional_text(limits.REASON, N_("Reason"))


class ReviseIn(Input):
    """Any of these; what is left out stays as it is."""

    example = {"owner": "Ida Holm"}

    title = serializers.CharField(max_length=limits.TITLE, required=False, label=N_("Risk"))
    description = RichText(allow_blank=True, required=False, label=N_("Description"))
    owner = optional_text(limits.OWNER, N_("Owner"), default=empty)
    mitigation = mitigation(default=empty)


class RiskStatusIn(Input):
    example = {"status": "mitigated", "reason": "Ny leverandør fundet."}

    status = serializers.ChoiceField(STATUSES, label=N_("Status"))
    reason = optional_text(limits.REASON, N_("Reason"))


class MarkBiggestIn(Input):
    pass


class RiskWithdrawIn(Input):
    example = {"reason": "Hører til et andet projekt."}

    reason = serializers.CharField(
        max_length=limits.REASON,
        label=N_("Reason"),
        help_text=N_("Why it was a mistake; the history shows it."),
        style=TEXTAREA,
    )
