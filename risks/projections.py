"""Keep the risk register's read model."""

from portfolio.eventstore.projections import Projection, Rows, handles, touched

from .models import Risk


class RisksProjection(Projection):
    name = "risks"
    models = (Risk,)

    @handles("Risk.Raised")
    def raised(self, event, rows: Rows):
        data = dict(event.data)
        data["track_id"] = data["track_id"] or None
        rows.add(
            Risk,
            id=event.stream_id,
            sequence=event.position,
            version=event.version,
            changed_at=event.known_at,
            **data,
        )

    @handles("Risk.Assessed")
    def assessed(self, event, rows: Rows):
        risk = touched(rows, Risk, event)
        risk.probability = event.data["probability"]
        risk.impact = event.data["impact"]
        risk.assessments += 1

    @handles("Risk.Revised")
    def revised(self, event, rows: Rows):
        risk = touched(rows, Risk, event)
        for name in ("title", "description", "owner", "mitigation"):
            setattr(risk, name, event.data[name])

    @handles("Risk.StatusChanged")
    def status_changed(self, event, rows: Rows):
        touched(rows, Risk, event).status = event.data["status"]

    @handles("Risk.Withdrawn")
    def withdrawn(self, event, rows: Rows):
        touched(rows, Risk, event).withdrawn = True
