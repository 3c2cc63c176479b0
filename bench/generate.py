"""Generate a large portfolio for benchmarks: about 2,000 events per project over two years.

`python bench/generate.py [--projects 500] [--database NAME] [--verify]` creates a fresh database
on DATABASE_URL's server (named `<its name>_portfolio` unless --database says otherwise),
migrates it, writes the history of `--projects` projects in 5 areas (tracks, weekly status
reports, milestones planned, re-planned and achieved, risks raised, re-assessed and closed,
steering-group decisions, KPI points), and rebuilds every read model once at the end. The
database is kept for the benchmarks that read it; other scripts call `build()`.

Every event comes from the domain's aggregates, whose commands check each step, and is given
its known_at (spread over `--days` days up to now), version, metadata and hash chain exactly as
`store.append` would for a live entry (recorded_at = known_at). The rows are written with COPY
rather than one append each, then `projections.rebuild(store.iter_all())` runs the inline
projections over the whole log and then writes the project snapshots; `--verify` runs
`verify_events`.
"""

import argparse
import gc
import json
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import _db

AREAS = (
    ("kommuneomraadet", "Kommuneområdet"),
    ("sygehusomraadet", "Sygehusområdet"),
    ("praksisomraadet", "Praksisområdet"),
    ("tvaergaaende", "Tværgående"),
    ("internationalt", "Internationalt"),
)
TOPICS = (
    "Korrespondancemeddelelse",
    "Henvisning",
    "Epikrise",
    "Laboratoriesvar",
    "Medicinkort",
    "Videokonsultation",
    "Hjemmemonitorering",
    "Sundhedsjournal",
    "Telemedicinsk sårvurdering",
    "Genoptræningsplan",
)
RATINGS = ("green",) * 6 + ("yellow",) * 3 + ("red",)
NARRATIVE = (
    "Projektet følger planen. **Pilotdrift** er i gang i tre kommuner, og erfaringerne samles"
    " til næste bølge. Leverandøren har leveret testversion {n}; der udestår afklaring af"
    " certificering og *driftsaftale*.\n\n1. Test afsluttet\n2. Uddannelse planlagt"
)
REASONS = (
    "Leverandøren har meldt forsinkelse på komponenten.",
    "Afventer certificering hos MedCom.",
    "Pilotkommunerne har ønsket en senere opstart.",
    "Styregruppen har prioriteret anderledes.",
    "Test viste fejl, der skal rettes før idriftsættelse.",
)


class Recorder:
    """Collect what aggregates trigger, each with its known_at, actor and command id."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        # (known_at, stream_id, stream_type, event_type, schema_version, data, metadata)
        self.events: list[tuple] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def take(self, aggregate, at: datetime, actor: str, reason: str = "") -> None:
        metadata = {"actor": actor, "command_id": self.new_id(), "reason": reason}
        for event in aggregate.pending:
            self.events.append(
                (
                    at,
                    aggregate.id,
                    aggregate.stream_type,
                    type(event).type_name,
                    type(event).schema_version,
                    event.to_data(),
                    metadata,
                )
            )
        aggregate.version += len(aggregate.pending)
        aggregate.pending = []


@dataclass
class Plan:
    """One project's history as actions at times, run in time order against its aggregates."""

    actions: list = field(default_factory=list)

    def at(self, when: datetime, action, *args) -> None:
        self.actions.append((when, len(self.actions), action, args))

    def run(self, until: datetime) -> int:
        from portfolio.errors import DomainError

        refused = 0
        for when, _, action, args in sorted(self.actions, key=lambda a: a[:2]):
            if when > until:
                continue
            try:
                action(when, *args)
            except DomainError:  # e.g. a re-plan drawn after the milestone was achieved
                refused += 1
        return refused


class ProjectHistory:
    """Schedule and run one project's two years: the numbers aim at ~2,000 events."""

    MILESTONES = 66
    RISKS = 43
    KPIS = 3

    def __init__(self, rng, rec: Recorder, area, number: int, start: datetime, end: datetime):
        from milestones.domain import Milestone
        from portfolio import domain
        from risks.domain import Risk

        self.domain, self.Milestone, self.Risk = domain, Milestone, Risk
        self.rng, self.rec, self.area, self.n = rng, rec, area, number
        self.start, self.end = start + timedelta(days=rng.uniform(0, 60)), end
        self.actor = f"pm-{number % 40:02d}"
        self.project = domain.Project(rec.new_id())
        self.track_keys: list[str | None] = [None]
        self.risks: list = []
        self.plan = Plan()

    def day(self, when: datetime) -> date:
        return when.date()

    def between(self, first: datetime, last: datetime) -> datetime:
        return first + (last - first) * self.rng.random()

    def build(self) -> int:
        self.create(self.start)
        span = self.end - self.start
        for track in self.track_keys:
            when = self.start + timedelta(days=7, hours=self.rng.uniform(0, 8))
            while when < self.end:
                self.plan.at(when, self.report_status, track)
                when += timedelta(days=7, hours=self.rng.uniform(-6, 6))
        when = self.start + timedelta(days=30)
        while when < self.end:
            self.plan.at(when, self.record_decision)
            when += timedelta(days=self.rng.uniform(25, 35))
        for _ in range(self.MILESTONES):
            self.schedule_milestone(self.between(self.start, self.start + span * 0.9))
        for _ in range(self.RISKS):
            self.schedule_risk(self.between(self.start, self.start + span * 0.95))
        for number in range(self.KPIS):
            self.schedule_kpi(number)
        return self.plan.run(self.end)

    # --- the project itself -----------------------------------------------------------------

    def create(self, when: datetime) -> None:
        project, rec, rng = self.project, self.rec, self.rng
        topic = TOPICS[self.n % len(TOPICS)]
        project.create(
            slug=f"projekt-{self.n:03d}",
            title=f"{topic} {self.n}",
            area_id=self.area.id,
            managers=(self.actor,),
        )
        rec.take(project, when, self.actor)
        project.update(
            project_leader=f"Projektleder {self.n % 40}",
            purpose=f"Formålet er at udbrede *{topic.lower()}* til alle {self.area.name.lower()}s"
            " parter, så oplysninger udveksles digitalt og sikkert.",
            read_more={"label": "Læs mere", "url": f"https://medcom.example/projekt/{self.n}"},
            steering_group=[f"Styregruppemedlem {i}" for i in range(4)],
        )
        rec.take(project, when + timedelta(minutes=5), self.actor)
        if rng.random() < 0.6:
            self.track_keys = []
            for name in ("Spor A", "Spor B"):
                track_id = rec.new_id()
                project.add_track(track_id=track_id, name=name, title=f"{topic} – {name}")
                self.track_keys.append(track_id)
            rec.take(project, when + timedelta(minutes=10), self.actor)
        project.update(
            participants=[
                {"track": t or "", "text": "Kommuner og regioner"} for t in self.track_keys
            ],
            suppliers=[
                {"track": t or "", "name": f"Leverandør {rng.randint(1, 12)}", "state": "decided"}
                for t in self.track_keys
            ],
        )
        rec.take(project, when + timedelta(minutes=15), self.actor)

    def report_status(self, when: datetime, track: str | None) -> None:
        self.project.report_status(
            track_id=track,
            rating=self.rng.choice(RATINGS),
            narrative=NARRATIVE.format(n=self.rng.randint(1, 40)),
            reported_on=self.day(when),
            today=self.day(when),
        )
        key = track or ""
        open_risks = [r for r in self.risks if r.is_open and (r.track_id or "") == key]
        biggest = max(open_risks, key=lambda r: (r.score or 0, r.id), default=None)
        self.project.mark_biggest_risk(track_id=track, risk_id=biggest.id if biggest else None)
        self.rec.take(self.project, when, self.actor)

    def record_decision(self, when: datetime) -> None:
        self.project.record_decision(
            decision_id=self.rec.new_id(),
            meeting_on=self.day(when),
            text="Styregruppen godkendte den reviderede tidsplan og næste udrulningsbølge.",
            today=self.day(when),
        )
        self.rec.take(self.project, when, self.actor)

    # --- milestones, risks, KPIs ------------------------------------------------------------

    def schedule_milestone(self, when: datetime) -> None:
        rng = self.rng
        milestone = self.Milestone(self.rec.new_id())
        track = rng.choice(self.track_keys)
        planned = self.day(when) + timedelta(days=rng.randint(30, 240))
        self.plan.at(when, self.plan_milestone, milestone, track, planned)
        replans = rng.choice((0, 1, 2, 3, 3, 4, 5, 6))
        for k in range(replans):
            self.plan.at(self.between(when, when + timedelta(days=200)), self.replan, milestone, k)
        done = datetime.combine(planned, datetime.min.time(), UTC) + timedelta(
            days=rng.randint(0, 90) + 30 * replans, hours=rng.uniform(8, 16)
        )
        self.plan.at(done, self.achieve, milestone)

    def plan_milestone(self, when, milestone, track, planned) -> None:
        milestone.plan(
            project=self.project,
            track_id=track,
            title=f"Milepæl {self.rng.randint(1, 99)}: udrulning til næste gruppe",
            planned_on=planned,
        )
        self.rec.take(milestone, when, self.actor)

    def replan(self, when, milestone, k) -> None:
        if not milestone.exists or milestone.achieved_on is not None:
            return
        planned = (milestone.planned_on or self.day(when)) + timedelta(days=self.rng.randint(7, 60))
        reason = REASONS[k % len(REASONS)]
        milestone.replan(project=self.project, planned_on=planned, reason=reason)
        self.rec.take(milestone, when, self.actor, reason)

    def achieve(self, when, milestone) -> None:
        if milestone.exists and milestone.achieved_on is None:
            day = self.day(when)
            milestone.achieve(project=self.project, achieved_on=day, today=day)
            self.rec.take(milestone, when, self.actor)

    def schedule_risk(self, when: datetime) -> None:
        rng = self.rng
        risk = self.Risk(self.rec.new_id())
        self.plan.at(when, self.raise_risk, risk, rng.choice(self.track_keys))
        closes = when + timedelta(days=rng.uniform(90, 700))
        assess = when + timedelta(days=rng.uniform(6, 18))
        while assess < min(closes, self.end):
            self.plan.at(assess, self.assess, risk)
            assess += timedelta(days=rng.uniform(6, 18))
        for _ in range(rng.randint(0, 2)):
            self.plan.at(self.between(when, closes), self.revise, risk)
        self.plan.at(closes, self.close_risk, risk)

    def raise_risk(self, when, risk, track) -> None:
        risk.raise_risk(
            project=self.project,
            track_id=track,
            title=f"Risiko {self.rng.randint(1, 999)}: forsinket levering",
            description="Leverandøren kan ikke nå at levere den certificerede version til tiden.",
            probability=self.rng.randint(1, 5),
            impact=self.rng.randint(1, 5),
            owner=f"Ejer {self.rng.randint(1, 20)}",
            mitigation="Tæt opfølgning med leverandøren hver uge.",
        )
        self.risks.append(risk)
        self.rec.take(risk, when, self.actor)

    def assess(self, when, risk) -> None:
        if risk.exists and risk.is_open:
            risk.assess(
                project=self.project,
                probability=self.rng.randint(1, 5),
                impact=self.rng.randint(1, 5),
                reason="Vurderet på det ugentlige møde.",
            )
            self.rec.take(risk, when, self.actor)

    def revise(self, when, risk) -> None:
        if risk.exists:
            risk.revise(project=self.project, mitigation=f"Ny aftale {self.rng.randint(1, 99)}.")
            self.rec.take(risk, when, self.actor)

    def close_risk(self, when, risk) -> None:
        if risk.exists and risk.is_open:
            status = self.rng.choice(("closed", "mitigated", "occurred"))
            risk.change_status(project=self.project, status=status, reason="", today=self.day(when))
            self.rec.take(risk, when, self.actor)

    def schedule_kpi(self, number: int) -> None:
        kpi = self.domain.Kpi(self.rec.new_id())
        when = self.start + timedelta(days=1, hours=number)
        self.plan.at(when, self.define_kpi, kpi, number)
        value, step = 0.0, self.rng.uniform(0.1, 1.0)
        when += timedelta(days=self.rng.uniform(4, 7))
        while when < self.end:
            value = min(98.0, value + step * self.rng.random())
            self.plan.at(when, self.measure, kpi, f"{value:.0f}")
            if self.rng.random() < 0.06:
                self.plan.at(when + timedelta(minutes=3), self.remark, kpi)
            when += timedelta(days=self.rng.uniform(4, 7))

    def define_kpi(self, when, kpi, number) -> None:
        kpi.define(
            project=self.project,
            track_id=None,
            name=f"Kommuner der bruger løsningen ({number + 1})",
            description="Antal kommuner, der har taget løsningen i brug.",
            unit="kommuner",
            denominator=98,
            denominator_label="98 kommuner",
        )
        self.rec.take(kpi, when, self.actor)

    def measure(self, when, kpi, value) -> None:
        day = self.day(when)
        kpi.measure(project=self.project, measured_on=day, value=value, source="MedCom", today=day)
        self.rec.take(kpi, when, self.actor)

    def remark(self, when, kpi) -> None:
        kpi.write_remark(project=self.project, remark=f"Opgjort {self.day(when).isoformat()}.")
        self.rec.take(kpi, when, self.actor)


@dataclass
class Summary:
    projects: int
    events: int
    streams: int
    refused: int
    by_type: Counter
    first: datetime
    last: datetime
    seconds: dict


def simulate(projects: int, days: int, seed: int, end: datetime) -> tuple[list[tuple], int]:
    """Return every event of the portfolio (unsorted) and how many drawn actions were refused."""
    from portfolio import domain

    rng = random.Random(seed)
    rec = Recorder(rng)
    start = end - timedelta(days=days)
    areas = []
    for slug, name in AREAS:
        area = domain.Area(rec.new_id())
        area.create(slug=slug, name=name)
        rec.take(area, start, "admin")
        areas.append(area)
    refused = 0
    for n in range(1, projects + 1):
        history = ProjectHistory(rng, rec, areas[n % len(areas)], n, start, end)
        refused += history.build()
    return rec.events, refused


def chain(events: list[tuple]) -> list[tuple]:
    """Order the events by known_at, number them per stream and hash them in one chain by
    position, the people they name by reference as store.append stores them; return the table
    rows."""
    from portfolio.eventstore import people
    from portfolio.eventstore.hashing import GENESIS, event_hash

    events.sort(key=lambda e: e[0])  # stable: one command's events keep their order
    versions: dict[str, int] = {}
    previous = GENESIS
    rows = []
    for position, (at, stream_id, stream_type, event_type, schema, data, meta) in enumerate(
        events, start=1
    ):
        version = versions[stream_id] = versions.get(stream_id, 0) + 1
        [data], meta, _, _ = people.references([(event_type, data)], meta)
        previous = event_hash(
            previous=previous,
            position=position,
            stream_id=stream_id,
            stream_type=stream_type,
            version=version,
            event_type=event_type,
            schema_version=schema,
            data=data,
            metadata=meta,
            recorded_at=at,
            known_at=at,
        )
        rows.append(
            (position, stream_id, stream_type, version, event_type, schema)
            + (json.dumps(data), json.dumps(meta), at, at, previous)
        )
    return rows


COPY = (
    "COPY eventstore_event (position, stream_id, stream_type, version, event_type,"
    " schema_version, data, metadata, recorded_at, known_at, hash) FROM STDIN"
)


def write(rows: list[tuple]) -> None:
    """COPY the rows into the (empty) log and move the position sequence past them."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM eventstore_event")
        if cursor.fetchone()[0]:
            raise SystemExit("the event log is not empty; generate into a fresh database")
        with cursor.cursor.copy(COPY) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('eventstore_event', 'position'), %s)",
            [len(rows)],
        )
        cursor.execute("ANALYZE eventstore_event")


def build(projects: int = 500, *, days: int = 730, seed: int = 2026, verify: bool = False):
    """Generate the portfolio into the database Django is connected to; return a Summary."""
    from django.core.management import call_command
    from django.utils import timezone

    from portfolio.eventstore import projections, store

    seconds = {}
    started = time.perf_counter()
    end = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
    events, refused = simulate(projects, days, seed, end)
    seconds["simulate"] = time.perf_counter() - started
    started = time.perf_counter()
    rows = chain(events)
    seconds["hash chain"] = time.perf_counter() - started
    started = time.perf_counter()
    write(rows)
    seconds["COPY"] = time.perf_counter() - started
    summary = Summary(
        projects=projects,
        events=len(rows),
        streams=len({row[1] for row in rows}),
        refused=refused,
        by_type=Counter(row[4] for row in rows),
        first=rows[0][8],
        last=rows[-1][8],
        seconds=seconds,
    )
    del events, rows
    gc.collect()  # the simulation's garbage, before the rebuild hides what is alive from it
    started = time.perf_counter()
    projections.rebuild(store.iter_all())
    seconds["rebuild read models, write snapshots"] = time.perf_counter() - started
    if verify:
        started = time.perf_counter()
        call_command("verify_events")
        seconds["verify_events"] = time.perf_counter() - started
    return summary


def report(summary: Summary) -> None:
    print(
        f"  {summary.events:,} events in {summary.streams:,} streams, {summary.projects} projects,"
        f" known_at {summary.first:%Y-%m-%d} .. {summary.last:%Y-%m-%d}"
        f" ({summary.refused} drawn actions refused by the domain)"
    )
    for event_type, count in summary.by_type.most_common():
        print(f"    {event_type:<32}{count:>10,}")
    for stage, seconds in summary.seconds.items():
        print(f"  {stage:<34}{seconds:>8.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", help="name of the database to create (dropped first)")
    parser.add_argument("--verify", action="store_true", help="run verify_events at the end")
    args = parser.parse_args()
    db = _db.server()
    name = args.database or f"{db['NAME']}_portfolio"
    print(f"generating {args.projects} projects into database {name} (load {_db.load()})")
    _db.create(db, name)
    _db.setup_django(_db.url_for(db, name))
    _db.migrate()
    report(build(args.projects, days=args.days, seed=args.seed, verify=args.verify))
    print(f"kept database {name}; drop it with: dropdb -h {db['HOST']} -U {db['USER']} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
