"""Read a status page in the seed's Markdown (shared/seed/) into a Page.

A page is a heading for its area and one for its project, labelled sections ("**Dato:**",
"**Projektleder:**" ...), a milestone table of tab-separated rows, and a monitoring section.
A two-track project is titled "A + B"; the page names a track by its title or by the
abbreviation it introduces ("Lettilgængelige tilbud (LTT)"), and a paragraph belongs to the
track it names first. Text is kept as written (the Markdown subset the product renders).

A line the reader cannot place is a problem, reported with its line number; a page with any
problem is not read at all.
"""

import re
from datetime import date

from .page import Kpi, Milestone, Page, Risk, Track

LABELS = {
    "dato": "date",
    "projektleder": "leader",
    "deltagere": "participants",
    "leverandør": "suppliers",
    "leverandører": "suppliers",
    "formål": "purpose",
    "læs mere om projektet": "read_more",
    "projektstatus": "status",
    "største risiko i projektet": "risk",
}
MONTHS = (
    "januar februar marts april maj juni juli august september oktober november december".split()
)
_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?)\*\*(?P<rest>.*)$")
_HEADING = re.compile(r"^(?P<level>#{1,4})\s+(?P<text>.+)$")
_LINK = re.compile(r"^\[(?P<label>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*(?P<note>.*)$")
_ABBREVIATION = re.compile(r"\((?P<abbr>[A-ZÆØÅ]{2,10})\)")
_NUMBERED = re.compile(r"^\d+\.\s*")
_REMARK = re.compile(r"^\**bemærkning:?\**$", re.IGNORECASE)


class Unreadable(Exception):
    """The page has lines the reader cannot place; `problems` holds (line number, why)."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {n}: {why}" for n, why in problems))


def parse(text: str) -> Page:
    """Return what the page says; raise Unreadable naming every line it cannot place."""
    return _Reader(text.splitlines()).read()


def parse_date(text: str) -> date | None:
    """Return the date written as "24. april 2026", "01.12.2026" or "2026-12-01"; None for
    "-" or nothing; raise ValueError otherwise."""
    text = text.strip().rstrip(".")
    if text in ("", "-", "–"):
        return None
    if m := re.fullmatch(r"(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", text, re.IGNORECASE):
        month = m.group(2).lower()
        if month not in MONTHS:
            raise ValueError(f"{m.group(2)!r} is not a Danish month")
        return date(int(m.group(3)), MONTHS.index(month) + 1, int(m.group(1)))
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(f"{text!r} is not a date (24. april 2026, 01.12.2026 or 2026-12-01)")


def _plain(text: str) -> str:
    """Return text without the emphasis marks around it."""
    return text.strip().strip("*_").strip()


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return the blank-line separated paragraphs of `lines`, each with its first line."""
    found, current, first = [], [], 0
    for number, line in [*lines, (0, "")]:
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            found.append((first, "\n".join(current)))
            current = []
    return found


class _Reader:
    def __init__(self, lines: list[str]):
        self.lines = list(enumerate(lines, start=1))
        self.page = Page()
        self.problems: list[tuple[int, str]] = []
        self.sections: dict[str, list[tuple[int, str]]] = {}
        self.rows: list[tuple[int, str]] = []  # the milestone table's
        self.monitoring: list[tuple[int, str]] = []

    def read(self) -> Page:
        self._split()
        if not self.page.title:
            self.problems.append((0, 'no project title (a "## " heading)'))
        self._tracks()
        self._fields()
        self._milestones()
        self._monitoring()
        if self.problems:
            raise Unreadable(sorted(self.problems))
        return self.page

    # --- the page's parts ---

    def _split(self) -> None:
        """Sort every line into its section, or into the problems."""
        section = None
        for number, line in self.lines:
            text = line.strip()
            heading = _HEADING.match(text)
            label = _LABEL.match(text)
            key = label and LABELS.get(_plain(label.group("label")).rstrip(":").lower())
            if section == "monitoring":
                self.monitoring.append((number, line))
            elif heading and heading.group("level") == "#" and not self.page.title:
                self.page.area = _plain(heading.group("text"))
            elif heading and heading.group("level") == "##":
                if _plain(heading.group("text")).lower() == "monitorering":
                    section = "monitoring"
                elif not self.page.title:
                    self.page.title = _plain(heading.group("text"))
                else:
                    self.problems.append((number, "a second project title"))
            elif key:
                section = key
                rest = label.group("rest").strip()
                self.sections.setdefault(key, [])
                if rest:
                    self.sections[key].append((number, rest))
            elif text.lower().startswith("milepæle"):
                section = "milestones"
                self.page.milestone_note = text[len("milepæle") :].strip()
            elif section == "milestones" and "\t" in line:
                self.rows.append((number, line))
            elif not text:
                if section:
                    self.sections.setdefault(section, []).append((number, ""))
            elif section and section != "milestones":
                self.sections[section].append((number, line))
            else:
                self.problems.append((number, f"cannot place {text[:60]!r}"))

    def _tracks(self) -> None:
        """Name the tracks of an "A + B" title, by the abbreviation the page gives each."""
        title = self.page.title
        parts = [p.strip() for p in title.split(" + ")] if " + " in title else []
        text = "\n".join(line for _, line in self.lines)
        for part in parts:
            name = part
            for match in _ABBREVIATION.finditer(text):
                words = text[: match.start()].splitlines()[-1].split() if match.start() else []
                if any(
                    part.lower().startswith(" ".join(words[-k:]).lower())
                    for k in range(min(len(words), 6), 0, -1)
                ):
                    name = match.group("abbr")
                    break
            self.page.tracks.append(Track(name, part if name != part else ""))
        self._patterns = [
            (track.name, re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE))
            for track in self.page.tracks
            for words in (track.name, track.title)
            if words
        ]

    def track_of(self, text: str) -> str | None:
        """Return the track the text names first, or None (the whole project)."""
        found = [(m.start(), name) for name, p in self._patterns if (m := p.search(text))]
        return min(found)[1] if found else None

    def _prefixes(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, track) of each "<track>:" in the text."""
        found = []
        for track in self.page.tracks:
            for words in filter(None, (track.name, track.title)):
                pattern = rf"(?<!\w){re.escape(words)}\s*:"
                for m in re.finditer(pattern, text, re.IGNORECASE):
                    found.append((m.start(), m.end(), track.name))
        return sorted(found)

    def _section(self, key: str) -> list[tuple[int, str]]:
        return _paragraphs(self.sections.get(key, []))

    def _fields(self) -> None:
        page = self.page
        dated = self._section("date")
        if not dated:
            self.problems.append((0, 'no date ("**Dato:**")'))
        for number, text in dated[:1]:
            try:
                page.status_date = parse_date(text)
            except ValueError as error:
                self.problems.append((number, f"Dato: {error}"))
        page.project_leader = " ".join(text for _, text in self._section("leader"))
        page.participants = [(self.track_of(t), t) for _, t in self._section("participants")]
        for _, text in self._section("suppliers"):
            page.suppliers.extend(self._suppliers(text))
        page.purpose = "\n\n".join(text for _, text in self._section("purpose"))
        for _, text in self._section("read_more")[:1]:
            link = _LINK.match(text)
            if link:
                page.read_more = (link.group("label"), link.group("url"), link.group("note"))
            else:
                page.read_more = (text, "", "")
        page.statuses = [(self.track_of(t), t) for _, t in self._section("status")]
        for _, text in self._section("risk"):
            track = self.track_of(text)
            title = _plain(text)
            prefixes = self._prefixes(title)
            if prefixes and prefixes[0][0] == 0:
                title = title[prefixes[0][1] :].strip()
            page.biggest_risks.append(Risk(track, title, text))

    def _suppliers(self, text: str) -> list[tuple[str | None, str, str]]:
        """One paragraph of suppliers: one supplier, or one per "<track>:" it starts with."""
        prefixes = self._prefixes(text)
        if not prefixes or _plain(text[: prefixes[0][0]]):
            return [(self.track_of(text), text, "decided")]
        found = []
        for (_, end, track), after in zip(prefixes, [*prefixes[1:], None], strict=True):
            said = _plain(text[end : after[0] if after else None])
            if said.lower().startswith("ikke fastlagt"):
                found.append((track, "", "not_decided"))
            elif said.lower().startswith("forventeligt"):
                found.append((track, said[len("forventeligt") :].strip(), "expected"))
            else:
                found.append((track, said, "decided"))
        return found

    def _milestones(self) -> None:
        for number, line in self.rows:
            cells = [cell.strip() for cell in line.split("\t")]
            if not cells[0] and cells[1:3] == ["Plan", "Nået"]:
                continue  # the table's header
            title = _NUMBERED.sub("", cells[0])
            if not title or len(cells) > 3:
                self.problems.append((number, "a milestone row is: title, plan, achieved"))
                continue
            try:
                planned = parse_date(cells[1] if len(cells) > 1 else "")
                achieved = parse_date(cells[2] if len(cells) > 2 else "")
            except ValueError as error:
                self.problems.append((number, f"milestone {title[:40]!r}: {error}"))
                continue
            self.page.milestones.append(Milestone(self.track_of(title), title, planned, achieved))

    def _monitoring(self) -> None:
        """Headings name a KPI's track (###) and the KPI (####); text before a KPI's name is
        its description, unless it names another track (that track's monitoring note), and
        text after "Bemærkning:" is its remark."""
        heading_track, waiting, kpi, remark = None, [], None, None
        blocks = []  # (kind, number, text)
        for number, line in self.monitoring:
            heading = _HEADING.match(line.strip())
            if heading:
                blocks.append((heading.group("level"), number, _plain(heading.group("text"))))
            elif _REMARK.match(line.strip()):
                blocks.append(("remark", number, ""))
            else:
                blocks.append(("text", number, line))
        kpis = []

        def close():
            if kpi is not None:
                kpis.append(Kpi(kpi[0], kpi[1], kpi[2], "\n\n".join(remark or [])))

        lines: list[tuple[int, str]] = []
        for kind, number, text in [*blocks, ("end", 0, "")]:
            if kind == "text":
                lines.append((number, text))
                continue
            for first, paragraph in _paragraphs(lines):
                track = self.track_of(paragraph)
                if remark is not None:
                    remark.append(paragraph)
                elif track is not None and track != heading_track:
                    self.page.monitoring_notes[track] = paragraph
                else:
                    waiting.append((first, paragraph))
            lines = []
            if kind == "###":
                close()
                kpi, remark, heading_track = None, None, self.track_of(text)
            elif kind == "####":
                close()
                kpi = (heading_track, text, "\n\n".join(p for _, p in waiting))
                waiting, remark = [], None
            elif kind == "remark":
                if kpi is None:
                    self.problems.append((number, '"Bemærkning:" before a KPI\'s name (####)'))
                remark = []
        close()
        for first, paragraph in waiting:
            self.problems.append((first, f"cannot place {paragraph[:60]!r}: no KPI follows"))
        self.page.kpis = kpis
