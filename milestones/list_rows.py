"""The milestone list's rows as JSON, built by hand: `MilestoneOut` documents them, and DRF's
serializer, field by field, cost more than the list's query."""

from datetime import date


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def rows_json(views, day: date) -> list[dict]:
    """Return list rows (`apis.MilestoneView`s) as `apis.MilestoneOut` shows them on `day`."""
    return [
        {
            "id": str(v.id),
            "project": v.project,
            "project_id": str(v.project_id),
            "area": v.area,
            "area_id": str(v.area_id),
            "track": v.track,
            "track_id": str(v.track_id) if v.track_id else None,
            "title": v.title,
            "original_plan": _day(v.original_plan),
            "planned_on": _day(v.planned_on),
            "achieved_on": _day(v.achieved_on),
            "state": v.state_on(day),
            "replan_count": v.replan_count,
            "slippage_days": v.slippage_days,
            "version": v.version,
        }
        for v in views
    ]
