"""Aggregates go to JSON and come back equal, through their constructors; entries written by
other code than today's are not read."""

import inspect
import json
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pytest

from milestones.domain import Milestone, Replan
from portfolio import domain
from portfolio.eventstore import aggregate, aggregate_code, state_json
from risks.domain import Assessment, Risk


def risk(risk_id: str, reasons: list[str]) -> Risk:
    folded = Risk(risk_id)
    folded.replay([Risk.Raised("p", "", "R", "", 2, 3, "ejer", "")])
    folded.replay([Risk.Assessed(n % 5 + 1, 3, reason) for n, reason in enumerate(reasons)])
    return folded


def some_aggregates() -> dict:
    milestone = Milestone("m").replay(
        [Milestone.Planned("p", "", "M", date(2027, 1, 1))]
        + [Milestone.Replanned(date(2027, 2, n), f"Grund {n}") for n in range(1, 4)]
        + [Milestone.Replanned(None, "Ukendt")]
    )
    project = domain.Project("p").replay(
        [
            domain.Project.Created("projekt", "Projekt", "a", ("leder",)),
            domain.Project.TrackAdded("t1", "Spor 1"),
            domain.Project.ParticipantsListed(({"track": "t1", "text": "Kommuner"},)),
            domain.Project.ReadMoreLinkSet("Læs", "https://example.org"),
            domain.Project.StatusReported("t1", None, "Godt", date(2026, 5, 1)),
            domain.Project.BiggestRiskMarked("t1", "r"),
            domain.Project.DecisionRecorded("d1", date(2026, 5, 1), "Besluttet", ("m",)),
        ]
    )
    kpi = domain.Kpi("k").replay([domain.Kpi.Measured(date(2026, 4, 1), "12.5", "optælling")])
    never_replanned = Milestone("m2").replay([Milestone.Planned("p", "t1", "M2", None)])
    aggregates = {"p": project, "r": risk("r", ["a", "b", "a"]), "m": milestone, "k": kpi}
    return {**aggregates, "m2": never_replanned, "k2": domain.Kpi("k2")}


def test_aggregates_load_back_equal_with_their_records():
    # given
    value = some_aggregates()

    # when
    loaded, unread = state_json.loads(*state_json.dumps(value))

    # then: each kind in its order, each of its own class, every attribute equal and of its type
    assert unread == []
    assert list(loaded) == ["p", "r", "m", "m2", "k", "k2"]
    for stream_id, folded in value.items():
        assert type(loaded[stream_id]) is type(folded)
        assert list(vars(loaded[stream_id]).items()) == list(vars(folded).items())
    assert type(loaded["r"].assessments[1]) is Assessment
    assert type(loaded["m"].replans[0]) is Replan
    assert type(loaded["p"].tracks["t1"]) is domain.TrackState
    assert loaded["p"].decisions[0].affects == ("m",)
    assert type(loaded["p"].read_more) is tuple
    assert type(loaded["m"].replans[0].planned_on) is date


def test_the_document_is_json_grouped_by_type_with_each_distinct_record_once():
    # given: a risk assessed forty times for one of two reasons
    value = {"r": risk("r", [f"Grund {n % 2}" for n in range(40)])}

    # when
    text, versions = state_json.dumps(value)

    # then
    document = json.loads(text)
    assert list(document) == ["Risk"] == list(versions)
    assert len(document["Risk"]["records"]["Assessment"]) == 11  # 5 probabilities x 2, raised
    loaded = state_json.loads(text, versions)[0]["r"]
    assert len({id(a) for a in loaded.assessments}) == 11


def test_equal_records_of_unequal_types_stay_apart():
    # given: one risk with probability True where the other has 1
    one, other = risk("r1", ["Grund"] * 3), risk("r2", ["Grund"] * 3)
    other.assessments.append(Assessment(True, 3, "Grund"))
    other.assessments.append(Assessment(1, 3, "Grund"))

    # when
    loaded = state_json.loads(*state_json.dumps({"r1": one, "r2": other}))[0]

    # then
    assert loaded["r2"].assessments[-1] is loaded["r2"].assessments[1]
    assert loaded["r2"].assessments[-2].probability is True


def test_an_attribute_the_class_does_not_declare_is_refused_not_dropped():
    # given
    milestone = Milestone("m")
    milestone.note = "set by a newcomer in apply() without declaring it"

    # when / then
    with pytest.raises(TypeError, match="undeclared attributes \\['note'\\]"):
        state_json.dumps({"m": milestone})


def test_entries_of_another_code_version_load_as_fresh_aggregates_in_their_place():
    # given: a document whose milestones were written by other code
    value = some_aggregates()
    text, versions = state_json.dumps(value)
    versions["Milestone"] = "0" * 16

    # when
    loaded, unread = state_json.loads(text, versions)

    # then: the milestone is a fresh one, to be folded from its first event; the rest is read
    assert unread == ["m", "m2"]
    assert list(loaded) == ["p", "r", "m", "m2", "k", "k2"]
    assert (loaded["m"].version, loaded["m"].replans) == (0, [])
    assert vars(loaded["r"]) == vars(value["r"])
    assert not state_json.is_current(versions)
    assert state_json.is_current(state_json.dumps(value)[1])


@pytest.fixture
def registries(monkeypatch):
    """Let a test define aggregate and event classes without leaving them registered."""
    monkeypatch.setattr(aggregate, "_aggregate_classes", dict(aggregate._aggregate_classes))
    monkeypatch.setattr(aggregate, "_event_classes", dict(aggregate._event_classes))


def test_the_code_version_changes_with_an_apply_and_with_the_declared_state(registries):
    # given: today's milestone
    today = state_json.code_version(Milestone)

    # when: re-plans keep their reason in capitals
    class ShoutingMilestone(Milestone):
        stream_type = "Milestone"

        @dataclass(frozen=True)
        class Replanned(Milestone.Replanned):
            def apply(self, milestone):
                super().apply(milestone)
                last = milestone.replans[-1]
                milestone.replans[-1] = last._replace(reason=last.reason.upper())

    # and: a milestone counts its re-plans in an attribute of its own
    class CountingMilestone(Milestone):
        stream_type = "Milestone"
        replanned_times: int

        def __init__(self, aggregate_id: str):
            super().__init__(aggregate_id)
            self.replanned_times = 0

    # then: each has a version of its own, and keeps it
    versions = {today, *map(state_json.code_version, [ShoutingMilestone, CountingMilestone])}
    assert len(versions) == 3
    assert state_json.code_version(Milestone) == today


def test_the_code_version_changes_with_a_record_the_state_holds(registries):
    # given: two risk classes of the same source, one holding today's assessments
    def risk_holding(record: type) -> type:
        class RiskHolding(Risk):
            stream_type = "Risk"
            assessments: list[record]

        return RiskHolding

    # when: the other holds assessments with one more field
    class OtherAssessment(NamedTuple):
        probability: int | None
        impact: int | None
        reason: str
        assessed_by: str = ""

    # then
    today = state_json.code_version(risk_holding(Assessment))
    assert state_json.code_version(risk_holding(OtherAssessment)) != today


def test_the_code_version_covers_an_apply_a_decorator_gives():
    # given: Milestone.Retitled takes its apply() from sets_field, outside the class
    apply = Milestone.Retitled.apply

    # then: its source is part of the milestone's code
    assert apply.__qualname__.startswith("sets_field.")
    assert inspect.getsource(apply) in aggregate_code.source_of(Milestone)


def test_a_state_json_cannot_carry_back_is_refused_when_the_shape_is_made():
    class Odd(Milestone):
        stream_type = ""  # not registered
        seen: set[str]

    with pytest.raises(TypeError, match="set"):
        state_json.shape_of(Odd)
