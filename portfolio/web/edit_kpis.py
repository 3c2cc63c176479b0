"""Edit pages of a project's KPI series: define, measure, remark."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio import commands

from . import forms
from .commandview import CommandView, find_item, track_choices


class OnKpi(CommandView):
    def target(self, state, item_id):
        return find_item(state.kpis, item_id)

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
        return {"measured_on": timezone.localdate()}

    def run(self, data, state, target, user, expected_version):
        commands.kpi_measure(
            kpi_id=target.id,
            measured_on=data["measured_on"],
            value=data["value"],
            source=data["source"],
            expected_version=expected_version,
            actor=user,
            command_id=self.command_id,
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
            command_id=self.command_id,
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
            command_id=self.command_id,
            **{k: data[k] for k in fields},
        )
