"""An installed copy carries every file the packages read at run time, not only their code, and
needs none of the dev extras."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_covers_every_file_beside_the_code():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    package_data = config["package-data"]
    for package in config["packages"]["find"]["include"]:
        top = ROOT / package.rstrip("*")
        files = {
            path
            for path in top.rglob("*")
            if path.is_file()
            and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts
        }
        shipped = {path for pattern in package_data.get(top.name, []) for path in top.glob(pattern)}
        assert files - shipped == set(), f"add to [tool.setuptools.package-data] {top.name}"


# What `make run` and a production install leave out; the import name of each dev extra.
DEV_MODULES = {
    "pytest": "pytest",
    "pytest-django": "pytest_django",
    "pytest-timeout": "pytest_timeout",
    "hypothesis": "hypothesis",
    "playwright": "playwright",
    "schemathesis": "schemathesis",
    "ruff": "ruff",
    "polib": "polib",
    "time-machine": "time_machine",
    "import-linter": "importlinter",
    "aiosmtpd": "aiosmtpd",
    "openapi-python-client": "openapi_python_client",
}
# Tools for developers inside the packages, run from a checkout with the dev extras.
DEV_TOOLS = {"portfolio.web.messages"}  # compiles the translations (polib)

IMPORT_ALL = """
import importlib, pkgutil, sys
blocked = set(sys.argv[1].split(","))
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"{name} is a dev-only package")
sys.meta_path.insert(0, Block())
import django
django.setup()
skip = set(sys.argv[2].split(","))
for top in ("portfolio", "milestones", "risks", "reports"):
    package = importlib.import_module(top)
    for info in pkgutil.walk_packages(package.__path__, top + "."):
        if info.name not in skip:
            importlib.import_module(info.name)
"""


def test_the_dependencies_name_every_dev_extra_here():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[ ]", spec)[0] for spec in extras["optional-dependencies"]["dev"]}
    assert names == set(DEV_MODULES)


def test_nothing_the_site_runs_imports_a_dev_only_package():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings", "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_CURRENT_TEST", None)
    args = [sys.executable, "-c", IMPORT_ALL, ",".join(DEV_MODULES.values()), ",".join(DEV_TOOLS)]
    run = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
