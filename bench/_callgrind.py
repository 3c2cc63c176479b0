"""Count the instructions a renderer executes per page, under valgrind's callgrind.

Instruction counts do not depend on the load of the machine, so they are a second figure beside
the noisy clock. The child renders once to warm up, then renders inside operator.call, which
nothing else in either renderer calls: callgrind collects only while that function runs
(--toggle-collect). Run as a script it is our child: `status-page <pickled snapshot> <times>`.
"""

import operator
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def available() -> bool:
    return shutil.which("valgrind") is not None


def instructions(command: list[str], times: int, env: dict | None = None) -> int:
    """Return the instructions per render of a child `command` that renders `times` times."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--collect-atstart=no",
                "--toggle-collect=_operator_call",
                f"--callgrind-out-file={out}",
                *command,
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        for line in out.read_text().splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1]) // times
    raise RuntimeError("callgrind wrote no totals")


def _count_status_page(path: str, times: int) -> None:
    sys.path.insert(0, str(ROOT))
    from reports.pdf.render import render_status_page

    snapshot = pickle.loads(Path(path).read_bytes())  # noqa: S301 - our own file, just written
    render_status_page(snapshot)
    operator.call(lambda: [render_status_page(snapshot) for _ in range(times)])


if __name__ == "__main__":
    _count_status_page(sys.argv[2], int(sys.argv[3]))
