"""Schemathesis (v4) stateful: it follows the schema's links from each create to its reads and
commands with real ids, and every answer is as documented, with no 5xx."""

import pytest
import schemathesis.checks as checks
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from milestones.models import Milestone
from portfolio.api_platform.models import IdempotentResponse
from portfolio.models import Area, KpiSeries, Project
from risks.models import Risk

from .test_schemathesis import (  # noqa: F401
    _keep_test_transaction,
    _within_the_rules,
    schema,
    token,
)


def _existing(path: str) -> dict:
    """Return, by path parameter, the ids and slugs the test's portfolio holds."""
    slugs = Area if path.startswith("/api/v1/areas/") else Project
    return {
        "slug": sorted(slugs.objects.values_list("slug", flat=True)),
        "milestone_id": sorted(Milestone.objects.values_list("id", flat=True)),
        "risk_id": sorted(Risk.objects.values_list("id", flat=True)),
        "kpi_id": sorted(KpiSeries.objects.values_list("id", flat=True)),
    }


def _to_existing(case) -> None:
    """Give a generated path parameter that names nothing one that does (the same one for
    the same value), so calls reach the operation rather than only its 404. Links fill in
    real ids themselves, which are kept."""
    known = _existing(case.path)
    for name, value in (case.path_parameters or {}).items():
        found = known.get(name)
        if found and str(value) not in found:
            case.path_parameters[name] = found[len(str(value)) % len(found)]


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_transaction")
def test_linked_operations_conform_to_the_schema(token, users):  # noqa: F811
    headers = {"Authorization": f"Token {token}"}

    answered = set()  # (method, path template, status) of every call

    class Workflow(schema.as_state_machine()):
        def setup(self):
            IdempotentResponse.objects.all().delete()
            # Each run starts from the same portfolio: what one wrote (a closed project, a
            # taken slug) would make the next draw other transitions than when it was made.
            self.start = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.start)

        def before_call(self, case):
            # As in test_schemathesis.py: a create names an area and managers that exist.
            if case.meta is not None and case.meta.generation.mode.is_positive:
                _within_the_rules(case, users)
                _to_existing(case)
                if case.path_parameters and case.method == "GET":
                    # What a link leads to was made in this run, and a generated as_of lies
                    # before the run (see _within_the_rules): it could only answer "not yet".
                    (case.query or {}).pop("as_of", None)

        def after_call(self, response, case):
            answered.add((case.method, case.operation.path, response.status_code))

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Our token goes with every call, the checks' own re-sends too: "ignored auth"
            # would resend it and see it work. Writes refuse schema-valid input the schema
            # cannot rule out (an unknown area), and reads a future as_of, as in
            # test_schemathesis.py.
            excluded = [checks.ignored_auth]
            if case.method != "GET" or "as_of" in (case.query or {}):
                excluded.append(checks.positive_data_acceptance)
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=excluded,
                transport_kwargs=kwargs or None,
            )

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=40,
            stateful_step_count=10,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    # The links led to real ids: a read or command on something a create made succeeded. (Not
    # every link target each run: ids are random UUIDs, so even a derandomized run takes other
    # branches from one run to the next.)
    assert [a for a in answered if "{" in a[1] and 200 <= a[2] < 300], sorted(answered)
