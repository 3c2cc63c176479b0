"""Edit pages of a project's KPI series: define, measure, remark."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio import commands, inputs

from . import forms
from .commandview import CommandView, find_item, track_choices


class OnKpi(CommandView):
    def target(self, state, item_id):
        return find_item(state.kpis, item_id)

    def subject(self, state, target):
        return {"kpi_id": target.id}

    def version(self, state, target):
        return target.version

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


class KpiRemark(OnKpi):
    form_class = forms.form_for(inputs.RemarkIn)
    command = staticmethod(commands.kpi_write_remark)
    title = _("Edit the remark")
    submit = _("Save")

    def initial(self, state, target):
        return {"remark": target.remark}


class KpiDefine(CommandView):
    form_class = forms.form_for(inputs.KpiDefineIn, base=forms.TrackChoiceForm)
    command = staticmethod(commands.kpi_define)
    title = _("Add a KPI")
    submit = _("Add")

    def version(self, state, target):
        return None  # a new series is a new stream

    def form_kwargs(self, state, target):
        return {"tracks": track_choices(state)}
