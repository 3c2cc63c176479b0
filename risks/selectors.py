"""Reads of risks: within a project's folded state, and the biggest ones across projects."""

from portfolio.domain import NO_TRACK
from portfolio.models import Status as StatusRow
from portfolio.selectors import ProjectState

from .domain import Risk
from .models import Risk as RiskRow
from .rules import HIGH_SCORE, by_score


def biggest_risk(state: ProjectState, track_id: str) -> Risk | None:
    """Return the open risk marked biggest for this track ("" for the whole project)."""
    risk_id = state.project.biggest_risks.get(track_id)
    risk = next((r for r in state.of_type(Risk) if r.id == risk_id), None)
    return risk if risk is not None and risk.is_open else None


def open_risks(state: ProjectState) -> list[Risk]:
    """Return the project's open risks, highest score (P x I) first, unscored ones last."""
    return by_score(r for r in state.of_type(Risk) if r.is_open)


def register(state: ProjectState) -> list[Risk]:
    """Return every risk of the project: the open ones by score (as open_risks), then the
    mitigated, closed and occurred ones by score."""
    return open_risks(state) + by_score(r for r in state.of_type(Risk) if not r.is_open)


def top_risks(state: ProjectState, track_ids: list[str]) -> list[Risk]:
    """Return the risks a status page leads with, in the order of track_ids.

    The biggest risk of each track, then every other open risk scoring HIGH_SCORE or more; a
    project with open risks but none marked biggest shows its highest-scoring one.
    """
    chosen = [r for key in track_ids if (r := biggest_risk(state, key)) is not None]
    ranked = open_risks(state)
    if not chosen and ranked:
        chosen.append(ranked[0])
    chosen += [r for r in ranked if (r.score or 0) >= HIGH_SCORE and r not in chosen]
    return chosen


def marked_biggest(project_ids) -> dict[tuple[str, str], RiskRow]:
    """Return the open risk marked biggest of each (project, track key), from the read models:
    what biggest_risk answers for the current state of many projects at once."""
    marked = {
        (project_id, track_id or NO_TRACK): risk_id
        for project_id, track_id, risk_id in StatusRow.objects.filter(project_id__in=project_ids)
        .exclude(biggest_risk_id="")
        .values_list("project_id", "track_id", "biggest_risk_id")
    }
    risks = {r.id: r for r in RiskRow.objects.filter(id__in=marked.values(), status="open")}
    return {key: risks[risk_id] for key, risk_id in marked.items() if risk_id in risks}
