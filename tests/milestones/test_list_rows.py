"""The milestone list's hand-built rows say exactly what `MilestoneOut` documents."""

from datetime import date

import pytest

from milestones.apis import ROW_FIELDS, MilestoneOut, from_row
from milestones.list_rows import rows_json
from milestones.models import Milestone as MilestoneRow
from tests.api import portfolio_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 3, 10), date(2027, 6, 1)])
def test_list_rows_are_what_the_documented_serializer_gives(users, day):
    # given milestones with and without a track, a date, a re-plan and an achievement
    portfolio_data.build(users)
    views = [from_row(r) for r in MilestoneRow.objects.current().values(*ROW_FIELDS)]
    assert {v.track is None for v in views} == {True, False}
    assert {v.replan_count > 0 for v in views} == {True, False}

    # then the hand-built rows equal DRF's, key order included
    documented = MilestoneOut(views, many=True, context={"day": day}).data
    built = rows_json(views, day)
    assert [list(r.items()) for r in built] == [list(r.items()) for r in documented]
