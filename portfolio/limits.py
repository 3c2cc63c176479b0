"""The longest text each field of areas, projects, tracks and KPI series takes, the most items
each list holds, and the range of business dates.

The domain's checks refuse longer text; the input serializers (and the web forms built from
them) and the read models declare the same numbers by importing these.
"""

from datetime import date

ID = 36  # a stream id: a UUID as text
SLUG = 100
AREA_NAME = 200
PROJECT_TITLE = 200
PROJECT_LEADER = 200
USERNAME = 150  # a project manager, as Django's user names go
STEERING_MEMBER = 200
READ_MORE_LABEL = 200
READ_MORE_URL = 2000
READ_MORE_NOTE = 500
PARTICIPANTS = 2000  # one track's participants
SUPPLIER = 2000
TRACK_NAME = 100
TRACK_TITLE = 200
CLOSE_REASON = 2000
RICH_TEXT = 50_000  # purpose, narratives, notes, decisions, descriptions
KPI_NAME = 300
KPI_UNIT = 100
KPI_DENOMINATOR_LABEL = 200
KPI_SOURCE = 500

# Lists a command takes: a steering group, managers, participants and suppliers of a project, the
# subjects a decision affects. Far above any real project; a cap keeps one event small.
STEERING_GROUP = 100
MANAGERS = 100
ROWS = 40  # participants or suppliers, each (the edit page offers as many rows)
AFFECTS = 200

# Business dates (a plan, an achievement, a status report, a meeting, a measurement): a typo such
# as year 1 or 9999 would sort, age and print absurdly, so dates outside this range are refused.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)
