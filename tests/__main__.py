"""`python -m tests MODULE ARGS`: run MODULE as `python -m MODULE ARGS` on the suite's clock.

Importing the `tests` package has moved the clock already (tests/clock.py).
"""

import runpy
import sys

module, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
