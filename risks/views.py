"""Edit pages of a project's risks: raise, assess, change status, revise, mark the biggest."""

from django.utils.translation import gettext_lazy as _

from portfolio.web import forms
from portfolio.web.commandview import CommandView, find_item, track_choices
from risks.domain import Risk

from . import commands


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
        commands.risk_raise(
            project_id=state.project.id,
            track_id=data["track"] or None,
            actor=user,
            command_id=self.command_id,
            **{k: data[k] for k in fields},
        )


class OnRisk(CommandView):
    anchor = "risks-heading"

    def target(self, state, item_id):
        return find_item(state.of_type(Risk), item_id)

    def version(self, state, target):
        return target.version


class RiskAssess(OnRisk):
    form_class = forms.RiskAssessForm
    title = _("Assess the risk")
    submit = _("Save assessment")

    def initial(self, state, target):
        return {"probability": target.probability, "impact": target.impact}

    def run(self, data, state, target, user, expected_version):
        commands.risk_assess(
            risk_id=target.id,
            probability=data["probability"],
            impact=data["impact"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class RiskStatus(OnRisk):
    form_class = forms.RiskStatusForm
    title = _("Change the risk's status")
    submit = _("Change status")

    def initial(self, state, target):
        return {"status": target.status}

    def run(self, data, state, target, user, expected_version):
        commands.risk_change_status(
            risk_id=target.id,
            status=data["status"],
            reason=data["reason"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class RiskBiggest(OnRisk):
    """A button on the project page; the marking lives on the project, hence its version."""

    form_class = forms.CommandForm
    title = _("Mark as biggest risk")
    submit = _("Mark as biggest risk")

    def version(self, state, target):
        return state.project.version

    def run(self, data, state, target, user, expected_version):
        commands.risk_mark_biggest(
            risk_id=target.id,
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )


class RiskRevise(OnRisk):
    form_class = forms.RiskReviseForm
    title = _("Edit the risk")
    submit = _("Save")

    def initial(self, state, target):
        return {k: getattr(target, k) for k in ("title", "description", "owner", "mitigation")}

    def run(self, data, state, target, user, expected_version):
        fields = ("title", "description", "owner", "mitigation")
        commands.risk_revise(
            risk_id=target.id,
            changes={k: data[k] for k in fields},
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
        )
