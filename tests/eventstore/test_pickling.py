"""Snapshot pickles load back equal aggregates, in less, and only the domain's classes."""

import pickle
import pickletools
import zlib
from datetime import date

import pytest

from milestones.domain import Milestone, Replan
from portfolio import domain
from portfolio.eventstore import pickling
from risks.domain import Assessment, Risk


def risk(risk_id: str, reasons: list[str]) -> Risk:
    aggregate = Risk(risk_id)
    aggregate.replay([Risk.Raised("p", "", "R", "", 2, 3, "ejer", "")])
    aggregate.replay([Risk.Assessed(n % 5 + 1, 3, reason) for n, reason in enumerate(reasons)])
    return aggregate


def test_aggregates_load_back_equal_with_their_records_and_attribute_order():
    # given: aggregates with lists of records, dicts of records, tuples and empty lists
    milestone = Milestone("m").replay(
        [Milestone.Planned("p", "", "M", date(2027, 1, 1))]
        + [Milestone.Replanned(date(2027, 2, n), f"Grund {n}") for n in range(1, 4)]
    )
    project = domain.Project("p").replay(
        [
            domain.Project.Created("projekt", "Projekt", "a", ("leder",)),
            domain.Project.TrackAdded("t1", "Spor 1"),
            domain.Project.DecisionRecorded("d1", date(2026, 5, 1), "Besluttet", ("m",)),
        ]
    )
    value = {"r": risk("r", ["a", "b", "a"]), "m": milestone, "p": project}

    # when
    loaded = pickling.loads(pickling.dumps(value))

    # then
    assert list(loaded) == ["r", "m", "p"]
    for stream_id, aggregate in value.items():
        assert type(loaded[stream_id]) is type(aggregate)
        assert list(vars(loaded[stream_id]).items()) == list(vars(aggregate).items())
    assert type(loaded["r"].assessments[1]) is Assessment
    assert type(loaded["m"].replans[0]) is Replan
    assert loaded["p"].decisions[0].affects == ("m",)


def test_equal_texts_and_dates_are_written_once():
    # given: a risk assessed forty times for one of two reasons
    aggregate = risk("r", [f"Grund {n % 2}" for n in range(40)])

    # when
    loaded = pickling.loads(pickling.dumps({"r": aggregate}))["r"]

    # then: the reasons load as two objects, and the pickle holds each text once
    assert len({id(a.reason) for a in loaded.assessments[1:]}) == 2
    raw = zlib.decompress(pickling.dumps({"r": aggregate}))
    texts = [arg for op, arg, _ in pickletools.genops(raw) if op.name == "SHORT_BINUNICODE"]
    assert texts.count("Grund 0") == 1


def test_a_pickle_naming_any_other_callable_is_refused():
    with pytest.raises(pickle.UnpicklingError, match="builtins.eval"):
        pickling.loads(zlib.compress(pickle.dumps(eval)))


def test_equal_records_load_as_one_object_and_unequal_types_stay_apart():
    # given: two risks assessed alike, one with probability True where the other has 1
    one, other = risk("r1", ["Grund"] * 3), risk("r2", ["Grund"] * 3)
    other.assessments.append(Assessment(True, 3, "Grund"))
    other.assessments.append(Assessment(1, 3, "Grund"))

    # when
    loaded = pickling.loads(pickling.dumps({"r1": one, "r2": other}))

    # then
    assert loaded["r1"].assessments[1] is loaded["r2"].assessments[1]
    assert loaded["r2"].assessments[-1] is loaded["r2"].assessments[1]
    assert loaded["r2"].assessments[-2].probability is True


def test_a_tampered_snapshot_of_a_value_type_fails_without_running_anything():
    # given: the loader's own function asked to build a date, or records of a non-tuple type
    tampered = [
        (pickling._snapshot, ([], [("x", date, {}, [])])),
        (pickling._snapshot, ([(date, (2026, 1, 1))], [])),
    ]
    for reduce in tampered:

        class Tampered:
            def __reduce__(self, reduce=reduce):
                return reduce

        # when / then
        with pytest.raises(TypeError):
            pickling.loads(zlib.compress(pickle.dumps(Tampered(), protocol=5)))
