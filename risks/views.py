"""Edit pages of a project's risks: raise, assess, change status, revise, mark the biggest."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portfolio.web import forms
from portfolio.web.commandview import NewMember, OnMember
from risks.domain import Risk

from . import commands, inputs


class RiskRaise(NewMember):
    form_class = forms.form_for(inputs.RaiseIn, base=forms.TrackChoiceForm)
    command = staticmethod(commands.risk_raise)
    title = _("Raise a risk")
    submit = _("Raise")
    anchor = "risks-heading"

    def saved(self, values, state, target):
        return gettext("Risk raised: %(title)s.") % {"title": values["title"]}


class OnRisk(OnMember):
    member_type = Risk
    id_argument = "risk_id"
    anchor = "risks-heading"


class RiskAssess(OnRisk):
    form_class = forms.form_for(inputs.AssessIn)
    command = staticmethod(commands.risk_assess)
    title = _("Assess the risk")
    submit = _("Save assessment")
    state_keys = ("probability", "impact")
    skip_unchanged = True

    def current(self, state, target):
        return {"probability": target.probability, "impact": target.impact}

    def saved(self, values, state, target):
        return gettext("Risk assessed: %(title)s, probability %(p)s, impact %(i)s.") % {
            "title": target.title,
            "p": values["probability"],
            "i": values["impact"],
        }


class RiskStatus(OnRisk):
    form_class = forms.form_for(inputs.RiskStatusIn, words={"status": dict(forms.RISK_STATUSES)})
    command = staticmethod(commands.risk_change_status)
    title = _("Change the risk's status")
    submit = _("Change status")
    state_keys = ("status",)
    skip_unchanged = True

    def current(self, state, target):
        return {"status": target.status}

    def saved(self, values, state, target):
        status = dict(forms.RISK_STATUSES).get(values["status"], values["status"])
        return gettext("Risk status changed: %(title)s is now %(status)s.") % {
            "title": target.title,
            "status": status,
        }


class RiskBiggest(OnRisk):
    """A button on the project page; the marking lives on the project, hence its version."""

    form_class = forms.CommandForm
    command = staticmethod(commands.risk_mark_biggest)
    title = _("Mark as biggest risk")
    submit = _("Mark as biggest risk")

    def version(self, state, target):
        return state.project.version

    def saved(self, values, state, target):
        return gettext("Marked as the biggest risk: %(title)s.") % {"title": target.title}


class RiskRevise(OnRisk):
    form_class = forms.form_for(inputs.ReviseIn, required=("title",))
    command = staticmethod(commands.risk_revise)
    partial = True
    state_keys = ("title", "description", "owner", "mitigation")
    title = _("Edit the risk")
    submit = _("Save")

    def current(self, state, target):
        return {k: getattr(target, k) for k in ("title", "description", "owner", "mitigation")}
