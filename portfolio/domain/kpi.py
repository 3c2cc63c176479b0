"""KPI series followed over time, e.g. municipalities using a message, out of 98."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .. import checks, limits
from ..errors import InvalidInput
from ..eventstore.aggregate import Aggregate, Event
from .change import Change
from .project import NO_TRACK, Project


class KpiPointState(NamedTuple):
    measured_on: date
    value: str
    source: str


class Kpi(Aggregate):
    """A KPI series followed over time, e.g. municipalities using a message, out of 98."""

    stream_type = "Kpi"
    project_id: str
    track_id: str
    name: str
    description: str
    unit: str
    denominator: int | None
    denominator_label: str
    remark: str
    points: list[KpiPointState]

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.project_id = ""
        self.track_id = NO_TRACK
        self.name = ""
        self.description = ""
        self.unit = ""
        self.denominator = None
        self.denominator_label = ""
        self.remark = ""
        self.points = []

    @dataclass(frozen=True)
    class Defined(Event):
        project_id: str
        track_id: str
        name: str
        description: str
        unit: str
        denominator: int | None
        denominator_label: str

        def apply(self, kpi):
            kpi.project_id, kpi.track_id = self.project_id, self.track_id
            kpi.name, kpi.description, kpi.unit = self.name, self.description, self.unit
            kpi.denominator, kpi.denominator_label = self.denominator, self.denominator_label

        def change(self, kpi):
            return Change("added", self.name, "kpi")

    @dataclass(frozen=True)
    class Measured(Event):
        measured_on: date
        value: str
        source: str = ""

        def apply(self, kpi):
            point = KpiPointState(self.measured_on, self.value, self.source)
            if not kpi.points or kpi.points[-1].measured_on < self.measured_on:
                kpi.points.append(point)  # the usual case, and a fold's most frequent event
                return
            points = [p for p in kpi.points if p.measured_on != self.measured_on]
            points.append(point)
            kpi.points = sorted(points, key=lambda p: p.measured_on)

        def change(self, kpi):
            point = {"value": Decimal(self.value), "measured_on": self.measured_on}
            return Change("measured", kpi.name, "value", after=point)

    @dataclass(frozen=True)
    class RemarkWritten(Event):
        remark: str

        def apply(self, kpi):
            kpi.remark = self.remark

        def change(self, kpi):
            return Change("changed", kpi.name, "remark", kpi.remark, self.remark)

    def define(self, *, project: Project, track_id: str | None, **fields) -> None:
        project.check_open()
        key = project.check_track(track_id)
        if self.exists:
            raise InvalidInput("kpi", "the series exists already")
        denominator = fields.get("denominator")
        if denominator is not None and (
            isinstance(denominator, bool) or not isinstance(denominator, int) or denominator < 1
        ):
            raise InvalidInput("denominator", "must be a whole number above 0")
        self.trigger(
            Kpi.Defined(
                project.id,
                key,
                checks.text("name", fields.get("name"), max_length=limits.KPI_NAME),
                checks.rich_text("description", fields.get("description")),
                checks.text("unit", fields.get("unit"), required=False, max_length=limits.KPI_UNIT),
                denominator,
                checks.text(
                    "denominator_label",
                    fields.get("denominator_label"),
                    required=False,
                    max_length=limits.KPI_DENOMINATOR_LABEL,
                ),
            )
        )

    def measure(
        self, *, project: Project, measured_on: date, value: str, source: str, today: date
    ) -> None:
        project.check_open()
        checks.not_in_future("measured_on", checks.a_date("measured_on", measured_on), today)
        self.trigger(
            Kpi.Measured(
                measured_on,
                decimal_text("value", value),
                checks.text("source", source, required=False, max_length=limits.KPI_SOURCE),
            )
        )

    def write_remark(self, *, project: Project, remark: str) -> None:
        project.check_open()
        remark = checks.rich_text("remark", remark)
        if remark != self.remark:
            self.trigger(Kpi.RemarkWritten(remark))


def decimal_text(field_name: str, value) -> str:
    """Return a number as canonical decimal text ("40", "12.5"), or raise naming the field."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(field_name, "must be a number") from None
    if not number.is_finite():
        raise InvalidInput(field_name, "must be a finite number")
    text = format(number.normalize(), "f")
    return text
