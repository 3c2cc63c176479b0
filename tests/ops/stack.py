"""deploy/ as a test runs it: the systemd units' commands and environment, under a folder of the
test's own instead of /opt, /etc, /var/lib and /run."""

import os
import secrets
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# What the units and the environment file name, and where the test puts each.
PREFIXES = {
    "/opt/portefolje": "opt",
    "/etc/portefolje": "etc",
    "/var/lib/portefolje": "var",
    "/run/portefolje-web": "run",
}
# Left out of the copy pip builds from: not part of the package, and large.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", "*.egg-info", "__pycache__", "media", "staticfiles"
)


@dataclass
class Unit:
    """The [Service] lines of a unit that a test needs to start what systemd would."""

    name: str
    environment_files: list[str]
    environment: dict[str, str]
    working_directory: str
    exec_start: list[list[str]]


def read_unit(path: Path) -> Unit:
    """Read a systemd unit's [Service] section (keys may repeat, as ExecStart does in a oneshot)."""
    section, lines = None, []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            lines.append((key, value))
    environment = {}
    for key, value in lines:
        if key == "Environment":
            name, _, setting = value.partition("=")
            environment[name] = setting
    return Unit(
        name=path.stem,
        environment_files=[v for k, v in lines if k == "EnvironmentFile"],
        environment=environment,
        working_directory=next(v for k, v in lines if k == "WorkingDirectory"),
        exec_start=[shlex.split(v) for k, v in lines if k == "ExecStart"],
    )


def read_environment_file(path: Path) -> dict[str, str]:
    """Read KEY=value lines as systemd's EnvironmentFile= does (comments and blanks skipped)."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


class Stack:
    """An installation laid out as the README's, under `root`."""

    def __init__(self, root: Path):
        self.root = root
        for folder in PREFIXES.values():
            (root / folder).mkdir(parents=True, exist_ok=True)
        self.venv = self.path("/opt/portefolje/venv")
        self.processes: dict[str, subprocess.Popen] = {}

    def path(self, text: str) -> Path:
        return Path(self.translate(text))

    def translate(self, text: str) -> str:
        for prefix, folder in PREFIXES.items():
            text = text.replace(prefix, str(self.root / folder))
        return text

    def install(self) -> None:
        """`python -m venv` and `pip install` a copy of the checkout: runtime dependencies only."""
        source = self.root / "source"
        shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)  # noqa: S603
        pip = [str(self.venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run(  # noqa: S603 - our venv's pip
            [*pip, str(source)], capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"pip install failed:\n{done.stdout}\n{done.stderr}"

    def importable(self, module: str) -> bool:
        """Whether the venv's Python finds `module`."""
        probe = f"import importlib.util as u, sys; sys.exit(u.find_spec({module!r}) is None)"
        python = str(self.venv / "bin" / "python")
        return subprocess.run([python, "-c", probe], check=False).returncode == 0  # noqa: S603

    def configure(self, **settings: str) -> None:
        """Copy gunicorn's config, and the environment example with `settings` put in."""
        shutil.copy(DEPLOY / "gunicorn.conf.py", self.path("/etc/portefolje/gunicorn.conf.py"))
        lines = []
        for raw in (DEPLOY / "portefolje.env.example").read_text().splitlines():
            key = raw.partition("=")[0].lstrip("# ").strip()
            lines.append(f"{key}={settings.pop(key)}" if key in settings else raw)
        lines += [f"{key}={value}" for key, value in settings.items()]
        self.path("/etc/portefolje/portefolje.env").write_text("\n".join(lines) + "\n")

    def environment(self, unit: Unit) -> dict[str, str]:
        env = {"PATH": f"{self.venv / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"}
        for name in unit.environment_files:
            optional, name = name.startswith("-"), name.lstrip("-")
            path = self.path(name)
            if optional and not path.exists():
                continue
            env.update({k: self.translate(v) for k, v in read_environment_file(path).items()})
        env.update({k: self.translate(v) for k, v in unit.environment.items()})
        return env

    def unit(self, name: str) -> Unit:
        return read_unit(DEPLOY / f"{name}.service")

    def run(self, name: str) -> None:
        """Run a oneshot unit's commands in order, as systemd does; fail on the first failure."""
        unit = self.unit(name)
        for command in unit.exec_start:
            self._run([self.translate(word) for word in command], unit, check=True)

    def manage(self, *args: str, extra_env: dict | None = None) -> str:
        """Run `portefolje ARGS` as an operator would, with the installation's environment."""
        unit = self.unit("portefolje-setup")
        done = self._run([str(self.venv / "bin" / "portefolje"), *args], unit, extra_env=extra_env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def _run(self, command, unit, *, check=False, extra_env=None):
        env = {**self.environment(unit), **(extra_env or {})}
        return subprocess.run(  # noqa: S603 - the units' own commands
            command,
            env=env,
            cwd=self.translate(unit.working_directory),
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def start(self, name: str) -> subprocess.Popen:
        """Start a long-running unit's ExecStart; its output goes to `name`.log."""
        unit = self.unit(name)
        (command,) = unit.exec_start
        log = (self.root / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - the unit's own command
            [self.translate(word) for word in command],
            env=self.environment(unit),
            cwd=self.translate(unit.working_directory),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def secret_key() -> str:
    return secrets.token_urlsafe(50)
