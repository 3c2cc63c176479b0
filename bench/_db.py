"""What the benchmarks share: their own PostgreSQL database beside DATABASE_URL's, and Django."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portefolje"


def server() -> dict:
    """Return DATABASE_URL's settings (PostgreSQL only: the benchmarks measure it)."""
    import dj_database_url

    parsed = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    if parsed["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("the benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
    return parsed


def connect_kwargs(db: dict, name: str) -> dict:
    return {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": name,
    }


def url_for(db: dict, name: str) -> str:
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def exists(db: dict, name: str) -> bool:
    import psycopg

    with psycopg.connect(**connect_kwargs(db, "postgres"), autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def create(db: dict, name: str) -> None:
    """Create the database `name` afresh (dropping a left-over one of that name)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(**connect_kwargs(db, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(db: dict, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(**connect_kwargs(db, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url: str) -> None:
    """Point Django at `url` and set it up (once per process)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
    # The checkout this script is in comes first: not bench/ (bench/reports.py would stand
    # for the reports app), nor an editable install of another checkout.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(here.parent), *(p for p in sys.path if Path(p or ".").resolve() != here)]
    sys.path.append(str(here))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load() -> str:
    """Return the machine's load averages: other work here slows every figure."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def python_speed() -> str:
    """Return how long a plain loop of 10M additions (in a function) takes, to tell a slow
    machine from slow code: figures here drift with nothing else running (a bare INSERT
    managed 2,193 to 3,825 rows/s within one hour)."""
    started = time.perf_counter()
    total = 0
    for n in range(10_000_000):
        total += n
    return f"10M additions in {time.perf_counter() - started:.2f} s"
