"""Edit pages of a project's KPI series: define, measure, remark."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portfolio import commands, domain, inputs

from . import forms
from .commandview import NewMember, OnMember
from .dates import long_day


class OnKpi(OnMember):
    member_type = domain.Kpi
    id_argument = "kpi_id"

    @property
    def anchor(self):
        return f"kpi-{self.kwargs['item_id']}"


class KpiMeasure(OnKpi):
    form_class = forms.form_for(inputs.KpiPointIn)
    command = staticmethod(commands.kpi_measure)
    title = _("Add a measurement")
    submit = _("Add")

    def initial(self, state, target):
        return {"measured_on": timezone.localdate()}

    def saved(self, values, state, target):
        return gettext("Measurement added to %(name)s: %(value)s on %(day)s.") % {
            "name": target.name,
            "value": values["value"],
            "day": long_day(values["measured_on"]),
        }


class KpiRemark(OnKpi):
    form_class = forms.form_for(inputs.RemarkIn)
    command = staticmethod(commands.kpi_write_remark)
    title = _("Edit the remark")
    submit = _("Save")
    state_keys = ("remark",)
    skip_unchanged = True

    def current(self, state, target):
        return {"remark": target.remark}


class KpiDefine(NewMember):
    form_class = forms.form_for(inputs.KpiDefineIn, base=forms.TrackChoiceForm)
    command = staticmethod(commands.kpi_define)
    title = _("Add a KPI")
    submit = _("Add")

    def saved(self, values, state, target):
        return gettext("KPI added: %(name)s.") % {"name": values["name"]}
