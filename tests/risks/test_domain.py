"""Pure domain tests of risks: given past events, when a command, then these events."""

import pytest

from portfolio.domain import Project
from portfolio.errors import InvalidInput
from risks.domain import Risk


def given_project(*events) -> Project:
    return Project("p1").replay([Project.Created("p", "Projekt", "a1", ("pm",)), *events])


@pytest.mark.parametrize("probability", [0, 6, "3", 2.5, True])
def test_risk_probability_outside_1_to_5_is_refused(probability):
    risk = Risk("r1")
    with pytest.raises(InvalidInput) as error:
        risk.raise_risk(project=given_project(), track_id=None, title="R", probability=probability)
    assert error.value.field == "probability"
    assert risk.pending == []


def test_every_risk_assessment_is_kept():
    project = given_project()
    risk = Risk("r1")
    risk.raise_risk(project=project, track_id=None, title="R", probability=2, impact=3)
    risk.assess(project=project, probability=4, impact=5, reason="Værre")
    assert [(a.probability, a.impact) for a in risk.assessments] == [(2, 3), (4, 5)]
    assert risk.score == 20


def test_a_risk_withdrawal_needs_a_reason():
    project = given_project()
    risk = Risk("r1")
    risk.raise_risk(project=project, track_id=None, title="R")
    with pytest.raises(InvalidInput) as error:
        risk.withdraw(project=project, reason="")
    assert error.value.field == "reason"
    assert not risk.withdrawn

    risk.withdraw(project=project, reason="Hører til et andet projekt")

    assert risk.pending[-1] == Risk.Withdrawn("Hører til et andet projekt")
    assert risk.withdrawn
