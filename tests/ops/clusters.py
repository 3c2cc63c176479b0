"""Private PostgreSQL clusters for tests: a primary of our own and a streaming replica of it.

The shared server on 5432 is left as it is: a replica of it would copy every database on it.
Run as root, the server's programs run as the `postgres` user, as PostgreSQL insists.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def server_bin() -> Path | None:
    """Return the directory of PostgreSQL's server programs, or None if they are not here."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    found += [p for p in [shutil.which("pg_basebackup")] if p]
    for path in found:
        folder = Path(path).parent
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Clusters:
    """Start clusters under one temporary directory; stop them all on `close`."""

    def __init__(self, folder: Path) -> None:
        self.bin = folder
        self.root = Path(tempfile.mkdtemp(prefix="pf_scale_clusters_"))
        self.started: list[Cluster] = []
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(self, program: str, *args: str) -> None:
        command = [*self.as_postgres, str(self.bin / program), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def _start(self, data: Path, port: int) -> Cluster:
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / f"{port}.log")
        self.run("pg_ctl", "-D", str(data), "-o", options, "-l", log, "-w", "-t", "60", "start")
        cluster = Cluster(data, port)
        self.started.append(cluster)
        return cluster

    def primary(self) -> Cluster:
        """Start a new cluster that takes replication connections (initdb's defaults do)."""
        data = self.root / "primary"
        self.run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync")
        return self._start(data, _free_port())

    def replica(self, primary: Cluster) -> Cluster:
        """Start a hot standby streaming from `primary`, copied from it by pg_basebackup."""
        data = self.root / "replica"
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "--no-sync",
        )  # fmt: skip
        return self._start(data, _free_port())

    def close(self) -> None:
        for cluster in reversed(self.started):
            with contextlib.suppress(subprocess.SubprocessError):
                self.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for(condition, timeout: float = 30.0, step: float = 0.05):
    """Return condition()'s first true value, polling; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{condition} not true after {timeout} s")
        time.sleep(step)


@contextlib.contextmanager
def primary_and_replica(folder: Path) -> Iterator[tuple[Cluster, Cluster]]:
    clusters = Clusters(folder)
    try:
        primary = clusters.primary()
        yield primary, clusters.replica(primary)
    finally:
        clusters.close()
