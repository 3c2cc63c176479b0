"""Rows writes read-model rows in bulk as Django would write them, and reads only what it must."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portfolio.eventstore.models import ProcessedCommand
from portfolio.eventstore.projections import Rows

pytestmark = pytest.mark.django_db

EARLY = timezone.now() - timedelta(days=10)
LATE = timezone.now()


def stream(version, *, stream_type="Test", at=LATE):
    """A row of a read model keyed "s-1": a stream's type, version, positions and first time."""
    return ProcessedCommand(
        command_id="s-1",
        stream_id=stream_type,
        version=version,
        positions=[version * 10],
        recorded_at=at,
    )


def test_put_writes_json_and_dates_like_the_orm_and_replaces_on_a_second_flush():
    # given: a model with a JSON field, written by the raw upsert and read by the ORM
    rows = Rows()
    rows.put(
        ProcessedCommand(
            command_id="c-1", stream_id="s-1", version=1, positions=[1, "æ"], recorded_at=EARLY
        )
    )
    rows.flush()
    first = ProcessedCommand.objects.values_list("stream_id", "positions", "recorded_at").get()

    # when
    rows.put(
        ProcessedCommand(
            command_id="c-1", stream_id="s-2", version=2, positions={"a": None}, recorded_at=LATE
        )
    )
    rows.flush()

    # then
    assert first == ("s-1", [1, "æ"], EARLY)
    assert ProcessedCommand.objects.values_list("stream_id", "version", "positions").get() == (
        "s-2",
        2,
        {"a": None},
    )


def test_cached_answers_only_from_the_batch(django_assert_num_queries):
    stream(1).save()
    rows = Rows()

    with django_assert_num_queries(0):
        assert rows.cached(ProcessedCommand, "s-1") is None
        rows.put(stream(2))
        assert rows.cached(ProcessedCommand, "s-1").version == 2


def test_add_builds_the_row_django_builds_with_fresh_defaults_and_names_an_unknown_field():
    from portfolio.models import Project

    rows = Rows()
    values = {"id": "p-1", "slug": "p", "title": "P", "area_id": "a", "version": 1}

    # when
    added = rows.add(Project, **values)
    other = rows.add(Project, **{**values, "id": "p-2"})

    # then: every field as Model.__init__ sets it, and a list default of its own per row
    built = Project(**values)
    for field in Project._meta.concrete_fields:
        assert getattr(added, field.attname) == getattr(built, field.attname), field.name
    assert added._state.adding and added._state.db is None
    added.managers.append("someone")
    assert other.managers == []
    assert rows.cached(Project, "p-1") is added
    with pytest.raises(TypeError, match="Project has no field titel"):
        rows.add(Project, id="p-3", titel="typo")


@pytest.mark.filterwarnings("ignore:DateTimeField Project.changed_at received a naive")
@pytest.mark.parametrize("how", ["save", "upsert", "copy"])
def test_values_written_in_bulk_read_back_as_django_saves_them(how):
    from portfolio.models import KpiPoint, KpiSeries, Project

    # given: values Django converts on the way (a decimal text of too many places, JSON with
    # an integer beyond 64 bits, a naive time) and one it refuses (a decimal that is no number)
    values = {"id": "p-1", "slug": "p", "title": "P", "area_id": "a", "version": 1}
    naive = LATE.replace(tzinfo=None)
    project = Project(**values, managers=[2**70, {"k": "æ"}], changed_at=naive)
    series = KpiSeries(id="k", project_id="p-1", name="K", unit="", sequence=1, version=1)
    point = KpiPoint(id="k/1", series_id="k", measured_on=LATE.date(), value="2.12345678")

    # when
    if how == "save":
        for row in (project, series, point):
            row.save()
    else:
        rows = Rows(empty_tables=how == "copy")
        for row in (project, series, point):
            rows.put(row)
        rows.flush()

    # then
    assert Project.objects.get().managers == [2**70, {"k": "æ"}]
    assert Project.objects.get().changed_at == timezone.make_aware(naive)
    assert str(KpiPoint.objects.get().value) == "2.123457"
    bad = Rows(empty_tables=how == "copy")
    bad.put(KpiPoint(id="k/2", series_id="k", measured_on=LATE.date(), value="NaN"))
    with pytest.raises(ValidationError, match="NaN"):
        bad.flush() if how != "save" else bad._rows[KpiPoint]["k/2"].save()
