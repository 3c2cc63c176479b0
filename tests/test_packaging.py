"""An installed copy carries every file the packages read at run time, not only their code."""

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
