"""Schemathesis (v4) stateful: it follows the schema's links from each create to its reads and
commands with real ids, and every answer is as documented, with no 5xx."""

import pytest
import schemathesis.checks as checks
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from portfolio.api_platform.models import IdempotentResponse

from .test_schemathesis import _keep_test_transaction, schema, token  # noqa: F401


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_transaction")
def test_linked_operations_conform_to_the_schema(token):  # noqa: F811
    headers = {"Authorization": f"Token {token}"}

    answered = set()  # (method, path template, status) of every call

    class Workflow(schema.as_state_machine()):
        def setup(self):
            IdempotentResponse.objects.all().delete()

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
    # the links led to real ids: reads and commands on something a create made succeeded
    assert [a for a in answered if "{" in a[1] and 200 <= a[2] < 300], sorted(answered)
