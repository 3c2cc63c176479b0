"""A project's detail as JSON, built by hand: `shapes.ProjectOut` documents it, and DRF's
serializers, copying their fields for every nested one, cost more than folding the project."""

from datetime import date

from portfolio import domain, selectors
from risks.domain import Assessment, Risk
from risks.selectors import biggest_risk

from .. import derived, lights


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _text(value) -> str | None:
    return str(value) if value is not None else None


def _int(value) -> int | None:
    return int(value) if value is not None else None


def _track_name(state: selectors.ProjectState, track_id) -> str | None:
    return state.track_name(track_id) if track_id else None


def _status(state: selectors.ProjectState, key: str) -> dict | None:
    status = state.project.statuses.get(key)
    if status is None:
        return None
    return {
        "rating": status.rating,
        "narrative": _text(status.narrative),
        "reported_on": _day(status.reported_on),
    }


def _assessment(a: Assessment) -> dict:
    return {"probability": _int(a.probability), "impact": _int(a.impact), "reason": _text(a.reason)}


def _risk(state: selectors.ProjectState, risk: Risk) -> dict:
    return {
        "id": _text(risk.id),
        "track": _track_name(state, risk.track_id),
        "track_id": str(risk.track_id) if risk.track_id else None,
        "title": _text(risk.title),
        "description": _text(risk.description),
        "probability": _int(risk.probability),
        "impact": _int(risk.impact),
        "score": _int(risk.score),
        "owner": _text(risk.owner),
        "mitigation": _text(risk.mitigation),
        "status": risk.status,
        "biggest": True,  # only the biggest risk of a track is shown here
        "assessments": [_assessment(a) for a in risk.assessments],
        "version": _int(risk.version),
    }


def _biggest(state: selectors.ProjectState, key: str) -> dict | None:
    risk = biggest_risk(state, key)
    return None if risk is None else _risk(state, risk)


def _reasons(light: lights.Light) -> list[dict]:
    return [
        {
            "rating": r.rating,
            "rule": r.rule,
            "subject": _text(r.subject),
            "value": _int(r.value),
            "limit": _int(r.limit),
            "since": _day(r.since),
        }
        for r in light.reasons
    ]


def _light_fields(state: selectors.ProjectState, key: str, light: lights.Light) -> dict:
    status = state.project.statuses.get(key)
    justification = state.project.justifications.get(key)
    return {
        "rating": status.rating if status else None,
        "derived_rating": light.rating,
        "derived_reasons": _reasons(light),
        "rating_justification": justification[1] if justification else None,
    }


def _track(state: selectors.ProjectState, track: domain.TrackState, found: dict) -> dict:
    light = found.get(track.id) or lights.Light(lights.GREEN, ())
    return {
        **_light_fields(state, track.id, light),
        "id": _text(track.id),
        "name": _text(track.name),
        "title": _text(track.title),
        "monitoring_note": _text(track.monitoring_note),
        "status": _status(state, track.id),
        "biggest_risk": _biggest(state, track.id),
    }


def _decision(decision: domain.DecisionState) -> dict:
    return {
        "id": _text(decision.id),
        "meeting_on": _day(decision.meeting_on),
        "text": _text(decision.text),
        "affects": [_text(a) for a in decision.affects],
    }


def project_json(state: selectors.ProjectState) -> dict:
    """Return the project as `shapes.ProjectOut` shows it."""
    p, area = state.project, state.area
    found = derived.track_lights(state, state.as_of)
    label, url, note = p.read_more
    return {
        **_light_fields(state, domain.NO_TRACK, derived.project_light(found)),
        "id": _text(p.id),
        "slug": _text(p.slug),
        "title": _text(p.title),
        "area": {"id": _text(area.id), "slug": _text(area.slug), "name": _text(area.name)},
        "project_leader": _text(p.project_leader),
        "purpose": _text(p.purpose),
        "read_more": {"label": _text(label), "url": _text(url), "note": _text(note)},
        "participants": [
            {"track": _track_name(state, x["track"]), "text": _text(x["text"])}
            for x in p.participants
        ],
        "suppliers": [
            {"track": _track_name(state, x["track"]), "name": _text(x["name"]), "state": x["state"]}
            for x in p.suppliers
        ],
        "steering_group": [_text(x) for x in p.steering_group],
        "managers": [_text(x) for x in p.managers],
        "milestone_note": _text(p.milestone_note),
        "status_date": _day(p.status_date),
        "status": _status(state, domain.NO_TRACK),
        "biggest_risk": _biggest(state, domain.NO_TRACK),
        "tracks": [_track(state, t, found) for t in p.tracks.values()],
        "decisions": [_decision(d) for d in p.decisions],
        "closed": bool(p.closed),
        "version": _int(state.version),
        "position": _int(state.position),
    }
