"""`python -m tests MODULE ARGS`: run MODULE as `python -m MODULE ARGS` on the suite's clock.

Importing the `tests` package has moved the clock already (tests/clock.py). A module named in
PORTEFOLJE_TEST_WORKER_IMPORT (tests/worker.py) is imported first: a test's hook, such as
tests/reports/gate.py.
"""

import importlib
import os
import runpy
import sys

if os.environ.get("PORTEFOLJE_TEST_WORKER_IMPORT"):
    importlib.import_module(os.environ["PORTEFOLJE_TEST_WORKER_IMPORT"])
module, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
