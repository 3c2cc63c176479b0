"""Every API test starts with a clean throttle, whether or not it uses client_for."""

import pytest


@pytest.fixture(autouse=True)
def _clean_throttle(fresh_throttle):
    pass
