"""Benchmark the event store on PostgreSQL and print each figure beside its target.

Run as `python bench/eventstore.py` (or `make bench`). It creates its own database next to the
one DATABASE_URL names (that name plus `_run`, or BENCH_DATABASE_NAME), migrates it, measures,
and drops it again. Figures:

- single-command appends on one connection (one event, one command id, one transaction each);
- the same with 4 writer processes on their own streams, all at once;
- batched appends of 100 events per transaction, in rounds alternating with a baseline of
  plain psycopg executemany of 100 rows per transaction into the same bare table;
- replay of the whole log with decoding (store.iter_all);
- a projection rebuild (projections.rebuild(store.iter_all())) of this log into a bench read
  model of one row per stream: the store's own machinery, comparable with earlier runs, when
  the store kept such a table itself;
- a full rebuild of every read model of the product (the median of REBUILD_ROUNDS), over a
  portfolio of REBUILD_PROJECTS projects that bench/generate.py writes into a database of its
  own (`<name>_domain`), which keeps the project snapshots of today's code, and apart from it,
  writing every project snapshot afresh (what a rebuild does after a change to an aggregate);
- a baseline: plain psycopg single-row INSERTs, autocommit, into a bare table of the same shape,
  timed in rounds alternating with our single appends, with the CPU time each took in this
  process and in its PostgreSQL backend (read from /proc when the server runs on this machine).
"""

import multiprocessing
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

import _db  # noqa: E402 (bench/ is on sys.path when run as a script)

ROUNDS = 6  # the single appends and the baseline alternate in this many rounds
SINGLE_APPENDS = ROUNDS * (int(os.environ.get("BENCH_SINGLE", "3000")) // ROUNDS)
WRITERS = 4
PER_WRITER = int(os.environ.get("BENCH_PER_WRITER", "1000"))
STREAMS_PER_WRITER = 20
BATCHES = ROUNDS * (int(os.environ.get("BENCH_BATCHES", "600")) // ROUNDS)
BATCH_SIZE = 100
REBUILD_PROJECTS = int(os.environ.get("BENCH_REBUILD_PROJECTS", "25"))  # about 2,000 events each
REBUILD_ROUNDS = 3  # the median is held to the target; all are printed

TARGETS = {
    "single": 2_000,
    "concurrent": 1_500,
    "batched": 30_000,
    "replay": 100_000,
    "rebuild": 50_000,
}


def payload(n: int) -> dict:
    """Return an event payload shaped like a milestone re-plan (Danish text, ISO dates)."""
    return {
        "milestone_id": f"ms-{n % 997}",
        "title": "Pilotdrift i tre kommuner – første bølge",
        "track": "LTT",
        "planned_on": "2026-05-01",
        "reason": "Leverandøren har meldt forsinkelse på certificeringen af komponenten.",
        "n": n,
    }


def database_settings() -> tuple[dict, str]:
    """Return the server's settings and the name of the benchmark's own database."""
    db = _db.server()
    return db, os.environ.get("BENCH_DATABASE_NAME") or f"{db['NAME']}_run"


def setup_django(url: str) -> None:
    # Production settings: with DEBUG on, Django keeps and formats every query it runs.
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    _db.setup_django(url)


# --- measurements -------------------------------------------------------------------------


def append_singles(prefix: str, count: int, streams: int) -> float:
    """Append `count` one-event commands round-robin over `streams`; return the seconds taken."""
    from portfolio.eventstore import store

    versions = [0] * streams
    started = time.perf_counter()
    for n in range(count):
        s = n % streams
        result = store.append(
            stream_id=f"{prefix}-{s}",
            stream_type="Bench",
            expected_version=versions[s],
            events=[store.NewEvent("Bench.Replanned", payload(n))],
            actor="bench",
            command_id=str(uuid.uuid4()),
            reason="benchmark",
        )
        versions[s] = result.version
    return time.perf_counter() - started


def writer_process(url: str, writer: int, count: int, barrier, results) -> None:
    """One of the concurrent writers: set up, wait for the others, append, report the times."""
    setup_django(url)
    from django.db import connection

    connection.ensure_connection()
    barrier.wait()
    started = time.monotonic()
    append_singles(f"w{writer}", count, STREAMS_PER_WRITER)
    results.put((writer, started, time.monotonic()))
    connection.close()


def append_concurrently(url: str) -> tuple[float, list[float]]:
    """Run the writers at once; return total events/s and each writer's own rate."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    results = context.Queue()
    processes = [
        context.Process(target=writer_process, args=(url, w, PER_WRITER, barrier, results))
        for w in range(WRITERS)
    ]
    for process in processes:
        process.start()
    times = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise RuntimeError(f"a writer process failed with exit code {process.exitcode}")
    window = max(end for _, _, end in times) - min(start for _, start, _ in times)
    each = [PER_WRITER / (end - start) for _, start, end in times]
    return WRITERS * PER_WRITER / window, each


def append_batches(prefix: str, batches: int, size: int) -> float:
    """Append `batches` commands of `size` events each, each on its own stream; return seconds."""
    from portfolio.eventstore import store

    started = time.perf_counter()
    for b in range(batches):
        store.append(
            stream_id=f"{prefix}-{b}",
            stream_type="Bench",
            expected_version=0,
            events=[store.NewEvent("Bench.Replanned", payload(n)) for n in range(size)],
            actor="bench",
            command_id=str(uuid.uuid4()),
            reason="benchmark",
        )
    return time.perf_counter() - started


def replay() -> tuple[int, float]:
    from portfolio.eventstore import store

    started = time.perf_counter()
    count = sum(1 for _ in store.iter_all())
    return count, time.perf_counter() - started


def stream_rows_projection():
    """Return a projection keeping one row per stream (type, version, last position), in a
    table of the benchmark's own: what the store kept for itself until migration 0007."""
    from django.db import connection, models

    from portfolio.eventstore.projections import Projection

    class BenchStream(models.Model):
        stream_id = models.CharField(max_length=100, primary_key=True)
        stream_type = models.CharField(max_length=50)
        version = models.IntegerField()
        last_position = models.BigIntegerField()
        created_at = models.DateTimeField()
        known_at = models.DateTimeField()

        class Meta:
            app_label = "eventstore"
            db_table = "bench_stream"
            managed = False

        def __str__(self) -> str:
            return self.stream_id

    with connection.schema_editor() as editor:
        editor.create_model(BenchStream)

    class BenchStreams(Projection):
        name = "bench.streams"
        models = (BenchStream,)

        def wants(self, event_type: str) -> bool:
            return True

        def apply(self, event, rows) -> None:
            row = rows.get(BenchStream, event.stream_id)
            if row is None:
                rows.add(
                    BenchStream,
                    stream_id=event.stream_id,
                    stream_type=event.stream_type,
                    created_at=event.known_at,
                    version=event.version,
                    last_position=event.position,
                    known_at=event.known_at,
                )
                return
            row.version, row.last_position, row.known_at = (
                event.version,
                event.position,
                event.known_at,
            )
            rows.put(row)

    return BenchStreams()


def rebuild_stream_rows() -> tuple[int, float]:
    from portfolio.eventstore import projections, store

    projection = stream_rows_projection()
    started = time.perf_counter()
    count = projections.rebuild(store.iter_all(), [projections.register(projection).name])
    return count, time.perf_counter() - started


def rebuild_everything(url: str, results) -> None:
    """In a process of its own, on the database `url` names: generate a portfolio, then time
    REBUILD_ROUNDS rebuilds of every read model the product registers (this machine's disk
    has phases: one round alone can land in one), then the writing of every project snapshot,
    as when they were all written by other code."""
    setup_django(url)
    _db.migrate()
    import generate

    from portfolio import project_snapshots
    from portfolio.eventstore import projections, store
    from portfolio.models import ProjectSnapshot

    generate.build(REBUILD_PROJECTS, seed=5)
    seconds = []
    for _ in range(REBUILD_ROUNDS):
        started = time.perf_counter()
        count = projections.rebuild(store.iter_all())
        seconds.append(time.perf_counter() - started)
    ProjectSnapshot.objects.all().delete()
    started = time.perf_counter()
    project_snapshots.refresh_all(say=lambda line: None)
    filling = time.perf_counter() - started
    results.put((count, seconds, filling, [p.name for p in projections.registered()]))


def rebuild_product(db: dict, name: str) -> tuple[int, list[float], float, list[str]]:
    domain = f"{name}_domain"
    _db.create(db, domain)
    try:
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        process = context.Process(
            target=rebuild_everything, args=(_db.url_for(db, domain), results)
        )
        process.start()
        found = results.get(timeout=1800)
        process.join()
        return found
    finally:
        _db.drop(db, domain)


BASELINE_TABLE = """
CREATE TABLE bench_baseline (
    position bigserial PRIMARY KEY,
    stream_id varchar(100) NOT NULL,
    stream_type varchar(50) NOT NULL,
    version integer NOT NULL,
    event_type varchar(100) NOT NULL,
    schema_version smallint NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    known_at timestamptz NOT NULL,
    hash varchar(64) NOT NULL,
    UNIQUE (stream_id, version)
)
"""

BASELINE_INSERT = (
    "INSERT INTO bench_baseline (stream_id, stream_type, version, event_type,"
    " schema_version, data, metadata, recorded_at, known_at, hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


class Baseline:
    """Plain psycopg, autocommit, one INSERT per row into a bare table of the event shape."""

    def __init__(self, db: dict, name: str, streams: int):
        import psycopg

        self.conn = psycopg.connect(**_db.connect_kwargs(db, name), autocommit=True)
        self.conn.execute(BASELINE_TABLE)
        self.versions = [0] * streams
        self.n = 0

    def run(self, count: int) -> float:
        """Insert `count` rows round-robin over the streams; return the seconds taken."""
        from psycopg.types.json import Jsonb

        metadata = {"actor": "bench", "command_id": None, "reason": "benchmark"}
        started = time.perf_counter()
        for _ in range(count):
            n, s = self.n, self.n % len(self.versions)
            self.n += 1
            self.versions[s] += 1
            now = datetime.now(UTC)
            self.conn.execute(
                BASELINE_INSERT,
                (
                    f"base-{s}",
                    "Bench",
                    self.versions[s],
                    "Bench.Replanned",
                    1,
                    Jsonb(payload(n)),
                    Jsonb({**metadata, "command_id": str(uuid.uuid4())}),
                    now,
                    now,
                    "0" * 64,
                ),
            )
        return time.perf_counter() - started

    def run_batches(self, batches: int, size: int) -> float:
        """Insert `batches` streams of `size` rows, one transaction each (psycopg's executemany,
        which pipelines the rows); return the seconds taken."""
        from psycopg.types.json import Jsonb

        started = time.perf_counter()
        for _ in range(batches):
            self.n += 1
            now = datetime.now(UTC)
            metadata = Jsonb({"actor": "bench", "command_id": str(uuid.uuid4()), "reason": "x"})
            rows = [
                (f"base-batch-{self.n}", "Bench", v, "Bench.Replanned", 1, Jsonb(payload(v)),
                 metadata, now, now, "0" * 64)
                for v in range(1, size + 1)
            ]  # fmt: skip
            with self.conn.transaction(), self.conn.cursor() as cursor:
                cursor.executemany(
                    BASELINE_INSERT,
                    rows,
                )
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.execute("DROP TABLE bench_baseline")
        self.conn.close()


def backend_cpu(pid: int) -> float | None:
    """Return the CPU seconds a local PostgreSQL backend has used, or None if it is not local."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class Spent:
    """Wall-clock seconds, and CPU seconds of this process and of one database backend."""

    def __init__(self, backend_pid: int):
        self.pid, self.wall, self.client = backend_pid, 0.0, 0.0
        self.server: float | None = 0.0

    def measure(self, work) -> None:
        cpu, server = time.process_time(), backend_cpu(self.pid)
        self.wall += work()
        self.client += time.process_time() - cpu
        after = backend_cpu(self.pid)
        if self.server is not None and server is not None and after is not None:
            self.server += after - server
        else:
            self.server = None

    def per_call(self, calls: int) -> str:
        server = "n/a" if self.server is None else f"{self.server / calls * 1e6:,.0f}"
        return f"client {self.client / calls * 1e6:,.0f} + server {server} us"


def singles_beside_baseline(db: dict, name: str) -> tuple[Spent, Spent]:
    """Time our single appends and the baseline in alternating rounds; return what each spent.

    Alternating keeps the ratio fair when the machine's load changes during the run. CPU
    time is counted too: on a busy machine it says where the time goes when the wall clock
    mostly says how busy the machine was.
    """
    from django.db import connection

    base = Baseline(db, name, 100)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = Spent(cursor.fetchone()[0])
    theirs = Spent(base.conn.info.backend_pid)
    for r in range(ROUNDS):
        theirs.measure(lambda: base.run(SINGLE_APPENDS // ROUNDS))
        ours.measure(lambda r=r: append_singles(f"single-{r}", SINGLE_APPENDS // ROUNDS, 100))
    base.close()
    return ours, theirs


def batches_beside_baseline(db: dict, name: str) -> tuple[float, float]:
    """Time our batched appends and the baseline's batches in alternating rounds; return the
    seconds each took."""
    base = Baseline(db, name, 1)
    ours = theirs = 0.0
    for r in range(ROUNDS):
        theirs += base.run_batches(BATCHES // ROUNDS, BATCH_SIZE)
        ours += append_batches(f"batch-{r}", BATCHES // ROUNDS, BATCH_SIZE)
    base.close()
    return ours, theirs


# --- report ---------------------------------------------------------------------------------


def line(label: str, rate: float, target: float | None = None, unit: str = "events/s") -> str:
    figure = f"{rate:>10,.0f} {unit:<10}"
    if target is None:
        return f"  {label:<62}{figure}"
    verdict = "PASS" if rate >= target else "MISS"
    return f"  {label:<62}{figure} target >= {target:>6,}   {verdict}"


def main() -> int:
    db, name = database_settings()
    url = _db.url_for(db, name)
    print(f"event store benchmark on PostgreSQL {db['HOST']}:{db['PORT'] or 5432}, database {name}")
    _db.create(db, name)
    try:
        setup_django(url)
        from django.db import connection, connections

        _db.migrate()
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            synchronous_commit = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(
            f"  PostgreSQL {version}, synchronous_commit = {synchronous_commit},"
            f" {os.cpu_count()} CPUs, load average {_db.load()} at start, {_db.python_speed()}"
        )

        append_singles("warm", 200, 10)  # connection, imports and caches warm
        ours, theirs = singles_beside_baseline(db, name)
        concurrent, each = append_concurrently(url)
        batched_seconds, baseline_batches = batches_beside_baseline(db, name)
        replayed, replay_seconds = replay()
        rebuilt, rebuild_seconds = rebuild_stream_rows()
        everything, everything_seconds, fill_seconds, read_models = rebuild_product(db, name)

        single = SINGLE_APPENDS / ours.wall
        base = SINGLE_APPENDS / theirs.wall
        print()
        print(
            line(
                f"single-command appends, 1 connection ({SINGLE_APPENDS:,})",
                single,
                TARGETS["single"],
                "appends/s",
            )
        )
        print(
            line(
                f"baseline: psycopg single-row INSERT, autocommit ({SINGLE_APPENDS:,})",
                base,
                None,
                "rows/s",
            )
        )
        print(f"  {'ratio ours / baseline':<62}{single / base:>10.2f}")
        print(f"  {'  CPU per append, ours':<62}{ours.per_call(SINGLE_APPENDS)}")
        print(f"  {'  CPU per row, baseline':<62}{theirs.per_call(SINGLE_APPENDS)}")
        print(
            line(
                f"{WRITERS} writer processes, single-command appends (total)",
                concurrent,
                TARGETS["concurrent"],
                "appends/s",
            )
        )
        print(f"  {'  each writer (appends/s)':<62}" + ", ".join(f"{r:,.0f}" for r in sorted(each)))
        print(
            line(
                f"batched appends, {BATCH_SIZE} events per transaction",
                BATCHES * BATCH_SIZE / batched_seconds,
                TARGETS["batched"],
            )
        )
        print(
            line(
                f"baseline: psycopg executemany, {BATCH_SIZE} rows per transaction",
                BATCHES * BATCH_SIZE / baseline_batches,
                None,
                "rows/s",
            )
        )
        print(f"  {'ratio ours / baseline':<62}{baseline_batches / batched_seconds:>10.2f}")
        print(
            line(
                f"replay with decoding, store.iter_all ({replayed:,} events)",
                replayed / replay_seconds,
                TARGETS["replay"],
            )
        )
        print(
            line(
                f"projection rebuild, one row per stream ({rebuilt:,} events)",
                rebuilt / rebuild_seconds,
            )
        )
        print(
            line(
                f"full rebuild, every read model ({everything:,} events), median",
                everything / statistics.median(everything_seconds),
                TARGETS["rebuild"],
            )
        )
        print(
            f"  {'  each round (events/s)':<62}"
            + ", ".join(f"{everything / s:,.0f}" for s in everything_seconds)
        )
        print(f"  {f'  of {REBUILD_PROJECTS} generated projects':<62}" + ", ".join(read_models))
        print(
            line(
                "  writing every project snapshot afresh (a cache)",
                everything / fill_seconds,
            )
        )
        print(
            f"\n  load average {_db.load()} at end, {_db.python_speed()}"
            " (other work on this machine, and its own drift, move every figure)"
        )
        connections.close_all()
    finally:
        _db.drop(db, name)
    print(f"\ndropped database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
