"""A portfolio report built a batch of projects at a time, spooled to a file and rendered a
project at a time, is the report of its snapshots held in memory."""

import hashlib
import json

import pytest
from django.core.management import call_command

from reports import services
from reports.build import build_portfolio, pin
from reports.fingerprint import _plain, digest_of
from reports.html import render_portfolio_html

pytestmark = pytest.mark.django_db


def test_a_spooled_portfolio_renders_as_its_snapshots_in_memory(pinned_today, settings):
    # given the demo portfolio, read a project at a time
    call_command("load_demo", verbosity=0)
    settings.REPORTS_FAN_OUT_BATCH = 1
    point = pin()
    snapshots = build_portfolio(point)
    assert len(snapshots) > 1
    # when the report is rendered the way a report job renders it
    pdf, html = services.render_pinned("portfolio", None, "da", point)
    # then it is the report of all the snapshots at once, PDF and HTML alike
    options = {"as_of": point.time, "language": "da", "witness": services.witness_of(point)}
    assert pdf == services.render_portfolio(snapshots, **options)
    assert html == render_portfolio_html(snapshots, **options)


def test_the_check_code_is_the_hash_of_all_the_snapshots_at_once(pinned_today):
    call_command("load_demo", verbosity=0)
    snapshots = build_portfolio()
    whole = json.dumps([_plain(s) for s in snapshots], sort_keys=True, ensure_ascii=False)
    assert digest_of(iter(snapshots)) == hashlib.sha256(whole.encode("utf-8")).hexdigest()
