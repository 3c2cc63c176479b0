"""Reads of risks within a project's folded state."""

from portfolio.selectors import ProjectState

from .domain import Risk


def biggest_risk(state: ProjectState, track_id: str) -> Risk | None:
    """Return the open risk marked biggest for this track ("" for the whole project)."""
    risk_id = state.project.biggest_risks.get(track_id)
    risk = next((r for r in state.of_type(Risk) if r.id == risk_id), None)
    return risk if risk is not None and risk.is_open else None
