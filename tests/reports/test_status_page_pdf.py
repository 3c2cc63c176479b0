"""The status page PDF, read back as a reader sees it: every seed fact, in its place."""

import dataclasses
import hashlib
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.pdf.render import render_status_page
from reports.snapshot import (
    Change,
    Decision,
    KpiPoint,
    MilestoneRow,
    Participant,
    RiskLine,
    TrackStatus,
)

from .pdftext import all_text, find, flat, fonts, fragments, page_texts, reader
from .seed import MILESTONE_1, MILESTONE_2, SEED_FACTS, seed_snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return render_status_page(seed_snapshot())


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_the_seed_page_holds_every_fact_word_for_word(seed_pdf, fact):
    assert flat(fact) in all_text(seed_pdf)


def test_sections_come_in_the_seed_pages_order(seed_pdf):
    text = all_text(seed_pdf)
    order = [
        "Kommuneområdet",
        "Dato:",
        "Projektleder:",
        "Deltagere:",
        "Leverandør:",
        "Formål",
        "Læs mere om projektet:",
        "Projektstatus",
        "Største risiko i projektet",
        "Milepæle",
        "Monitorering",
        "Bemærkning:",
    ]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)
    # as published: no changes section when there is no earlier report to compare with
    assert "Ændringer" not in text and "Ingen tidligere rapport" not in text


def test_milestone_cells_land_in_their_columns(seed_pdf):
    page = next(i for i, t in enumerate(page_texts(seed_pdf)) if "Oprindelig" in t)
    frags = fragments(seed_pdf, page)
    header = find(frags, "Oprindelig")
    original = header.x
    frags = [f for f in frags if f.y <= header.y]  # the table and what follows it
    columns = {name: find(frags, name).x for name in ("Nr.", "Milepæl", "Spor", "Plan", "Nået")}
    # given the header row, then row 1: number, title, track, original plan, current plan
    number = find(frags, "1.")
    title = find(frags, MILESTONE_1[:20])
    assert number.x == columns["Nr."]
    assert title.x == columns["Milepæl"] and title.y == number.y
    track = [f for f in frags if f.text == "LTT" and f.y == number.y]
    assert [f.x for f in track] == [columns["Spor"]]
    dates = sorted((f for f in frags if f.text == "01.12.2026"), key=lambda f: f.x)
    assert [(d.x, d.y) for d in dates] == [(original, number.y), (columns["Plan"], number.y)]
    # row 2 has no dates: "-" in both plan columns, nothing under "Nået"
    second = find(frags, MILESTONE_2[:20])
    dashes = sorted(f.x for f in frags if f.text == "-" and f.y == second.y)
    assert dashes == [original, columns["Plan"]]
    assert not [f for f in frags if f.x == columns["Nået"] and f.y in (number.y, second.y)]


def test_achieved_and_overdue_milestones_show_in_the_achieved_column():
    # given one achieved, one overdue and one re-planned milestone
    rows = (
        MilestoneRow(
            1,
            "Aftale underskrevet",
            None,
            date(2026, 1, 5),
            date(2026, 1, 5),
            date(2026, 1, 9),
            False,
            0,
        ),
        MilestoneRow(2, "Pilotdrift", "LTT", date(2026, 2, 1), date(2026, 3, 1), None, True, 2),
    )
    pdf = render_status_page(seed_snapshot(milestones=rows))
    page = next(i for i, t in enumerate(page_texts(pdf)) if "Oprindelig" in t)
    frags = fragments(pdf, page)
    achieved_x = find(frags, "Nået").x
    # then the achieved date and the overdue mark sit under "Nået", beside their rows
    assert (find(frags, "09.01.2026").x, find(frags, "09.01.2026").y) == (
        achieved_x,
        find(frags, "Aftale underskrevet").y,
    )
    assert (find(frags, "Forsinket").x, find(frags, "Forsinket").y) == (
        achieved_x,
        find(frags, "Pilotdrift").y,
    )
    assert "omplanlagt 2×" in all_text(pdf)


def test_same_snapshot_gives_the_same_bytes_even_in_another_process(seed_pdf):
    again = render_status_page(seed_snapshot())
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(seed_pdf).hexdigest()
    # A fresh process sets Django up first: a snapshot's changes are the kernel's, and the
    # report's words come from its translations.
    script = (
        "import hashlib, sys, django; django.setup(); "
        "from tests.reports.seed import seed_snapshot; "
        "from reports.pdf.render import render_status_page; "
        "sys.stdout.write(hashlib.sha256(render_status_page(seed_snapshot())).hexdigest())"
    )
    fresh = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert fresh.stdout == hashlib.sha256(seed_pdf).hexdigest()


def test_a_later_position_is_a_different_page(seed_pdf):
    later = seed_snapshot(as_of_position=2, as_of_time=datetime(2026, 5, 1, 8, 0, tzinfo=UTC))
    assert render_status_page(later) != seed_pdf


def test_footer_reads_like_a_document_and_the_pin_is_in_the_metadata(seed_pdf):
    from reports.fingerprint import short_hash

    digest = short_hash(seed_snapshot())
    texts = page_texts(seed_pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Status pr. 24. april 2026 · Side {number} af {len(texts)}" in text
        assert f"kontrolkode {digest}" in text
        assert "logposition" not in text and f"#{digest}" not in text
    subject = reader(seed_pdf).metadata.subject
    assert "Status pr. 24.04.2026 kl. 12:00" in subject and "logposition 1" in subject
    assert f"kontrolkode {digest}" in subject


def test_metadata_title_author_language_and_dates_come_from_the_snapshot(seed_pdf):
    pdf = reader(seed_pdf)
    assert pdf.metadata.title == seed_snapshot().title
    assert pdf.metadata.author == "MedCom – Portefølje"
    assert pdf.trailer["/Root"]["/Lang"] == "da-DK"
    assert pdf.metadata["/CreationDate"] == "D:20260424100000Z"


def test_every_font_is_embedded_truetype(seed_pdf):
    used = fonts(seed_pdf)
    assert used
    for font in used:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # a composite font's parent; its descendant carries the file
            continue
        assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert {f["/BaseFont"].split("+")[-1] for f in used} >= {
        "DejaVuSansCondensed",
        "DejaVuSansCondensed-Bold",
    }


def _names(font: bytes) -> list[tuple[int, int, bytes]]:
    """Return (platform, name id, string) of each record in a TrueType font's name table."""
    import struct

    (tables,) = struct.unpack(">H", font[4:6])
    for index in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", font[12 + 16 * index : 28 + 16 * index])
        if tag == b"name":
            break
    _, count, storage = struct.unpack(">HHH", font[offset : offset + 6])
    names = []
    for index in range(count):
        start = offset + 6 + 12 * index
        platform, _, _, name_id, length, at = struct.unpack(">6H", font[start : start + 12])
        at += offset + storage
        names.append((platform, name_id, font[at : at + length]))
    return names


def test_embedded_fonts_carry_the_fonts_licence(seed_pdf):
    # given the regular face's subsets as embedded in the page
    regular = [
        font["/FontDescriptor"]
        for font in fonts(seed_pdf)
        if "/FontDescriptor" in font and font["/BaseFont"].split("+")[-1] == "DejaVuSansCondensed"
    ]
    assert regular
    # then each keeps the licence (name 13) and copyright (name 0) the font ships with
    for descriptor in regular:
        embedded = _names(descriptor.get_object()["/FontFile2"].get_object().get_data())
        windows = {
            name_id: text.decode("utf-16-be")
            for platform, name_id, text in embedded
            if platform == 3
        }
        assert "Bitstream Vera" in windows[13] and "Bitstream" in windows[0]


def test_english_page_uses_english_words():
    pdf = render_status_page(seed_snapshot(language="en"))
    text = all_text(pdf)
    for words in (
        "Project leader:",
        "Purpose",
        "Biggest risk in the project",
        "Milestones",
        "Original plan",
        "Achieved",
        "40 of 98",
        "Page 1 of",
        "24 April 2026",
        "Not rated",
        "expected KL, KOMBIT, DSD",
    ):
        assert words in text
    assert reader(pdf).trailer["/Root"]["/Lang"] == "en-GB"


def test_ratings_show_as_badges_with_their_word():
    statuses = (
        TrackStatus("LTT", "red", "Leverandør mangler.", date(2026, 4, 20)),
        TrackStatus(None, "green", "Alt er i plan.", None),
    )
    text = all_text(render_status_page(seed_snapshot(statuses=statuses)))
    # the seed snapshot's derived light for LTT follows the track's name
    assert "Rød LTT (20.04.2026) · Afledt: Grøn Leverandør mangler." in text
    assert "Grøn Hele projektet Alt er i plan." in text


def test_changes_since_the_last_report_are_listed():
    since = datetime(2026, 4, 1, tzinfo=UTC)
    change = Change(
        "replanned",
        MILESTONE_2,
        "planned_on",
        before=None,
        after=date(2026, 9, 1),
        reason="styregruppen er udskudt",
        known_at=datetime(2026, 4, 10, 9, 30, tzinfo=UTC),
        actor="Dorthe Skou Lassen",
    )
    text = all_text(render_status_page(seed_snapshot(changes_since=since, changes=(change,))))
    assert "Ændringer siden 1. april 2026" in text
    assert "10.04.2026 kl. 11:30 omplanlagt" in text
    assert "- → 01.09.2026: styregruppen er udskudt" in text
    empty = all_text(render_status_page(seed_snapshot(changes_since=since)))
    assert "Ændringer siden 1. april 2026 Ingen ændringer i perioden." in empty


def test_decisions_and_kpi_series_with_many_points_render():
    points = tuple(KpiPoint(date(2025, m, 1), str(m * 3), "SOR") for m in range(1, 13)) + (
        KpiPoint(date(2026, 1, 1), "40", "SOR"),
    )
    kpi = dataclasses.replace(seed_snapshot().kpis[0], points=points)
    decision = Decision(date(2026, 6, 9), "Styregruppen **godkender** planen.", (MILESTONE_2,))
    text = all_text(render_status_page(seed_snapshot(kpis=(kpi,), decisions=(decision,))))
    assert "Styregruppens beslutninger 09.06.2026 Styregruppen godkender planen." in text
    assert f"Berører: {MILESTONE_2}" in text
    assert "40 af 98 kommuner (01.01.2026)" in text


HOSTILE = '<script>alert("x")</script> & <b>ikke fed</b> &amp;'
LONG_WORD = "Æ" + "ø" * 298 + "Å"


def test_hostile_text_prints_as_typed_and_empty_sections_say_so():
    # given user text full of markup and an otherwise empty project
    snapshot = seed_snapshot(
        title=HOSTILE,
        project_leader=LONG_WORD,
        participants=(),
        suppliers=(),
        purpose="",
        read_more_label="",
        read_more_url="",
        read_more_note="",
        tracks=(),
        statuses=(),
        biggest_risks=(RiskLine(None, HOSTILE, HOSTILE, 3, 4, "open"),),
        milestone_note="",
        milestones=(),
        kpis=(),
        status_date=None,
    )
    # when it is rendered
    pdf = render_status_page(snapshot)
    text = all_text(pdf)
    # then the markup is text, the long word is all there, and each empty section says so
    assert text.count(HOSTILE) >= 3  # title, risk title, risk description
    assert LONG_WORD in text.replace(" ", "")
    for empty in (
        "Ingen statusdato.",
        "Ingen deltagere registreret.",
        "Ingen leverandører registreret.",
        "Intet formål beskrevet.",
        "Intet link angivet.",
        "Ingen status rapporteret.",
        "Ingen milepæle planlagt.",
        "Ingen målinger registreret.",
    ):
        assert empty in text
    assert len(reader(pdf).pages) == 1


def _milestones(count: int) -> tuple:
    return tuple(
        MilestoneRow(
            n,
            f"Milepæl nummer {n} & <b>{n}</b>",
            "LTT",
            date(2027, 1, 1),
            date(2027, 1, 1),
            None,
            False,
            0,
        )
        for n in range(1, count + 1)
    )


def test_two_hundred_milestones_flow_over_pages_with_the_header_repeated():
    pdf = render_status_page(seed_snapshot(milestones=_milestones(200)))
    texts = page_texts(pdf)
    # A row is one 10 pt line plus 3 pt padding; a full page's 781 pt frame holds the two-line
    # header row and 58 rows. The seed's first page leaves room for about a dozen, so the rest
    # fill three full pages and part of a fifth, which the monitoring section follows.
    assert len(texts) == 5
    per_page = [len(_row_numbers(t)) for t in texts]
    assert per_page[1:4] == [58, 58, 58] and 0 < per_page[0] < 58 and sum(per_page) == 200
    table_pages = [t for t in texts if "Milepæl nummer" in t]
    assert len(table_pages) >= 4
    for text in table_pages:
        assert "Oprindelig" in text and "Nået" in text  # the header row, again on every page
    numbers = [int(n) for t in table_pages for n in _row_numbers(t)]
    assert numbers == list(range(1, 201))


def _row_numbers(text: str) -> list[str]:
    import re

    return re.findall(r"Milepæl nummer (\d+) & <b>", text)


def test_a_title_longer_than_a_page_splits_instead_of_failing():
    huge = " ".join(["ordet"] * 4000)
    rows = (MilestoneRow(1, huge, None, None, None, None, False, 0),)
    pdf = render_status_page(seed_snapshot(milestones=rows, purpose=huge))
    assert len(reader(pdf).pages) > 3


ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120
) | st.sampled_from(["<", "&", "<b>", "<script>x</script>", "**[a](javascript:x)**", "\n\n- "])


@settings(max_examples=25, deadline=None)
@given(title=ANY_TEXT, narrative=ANY_TEXT, milestone=ANY_TEXT, participant=ANY_TEXT)
def test_any_text_in_any_field_renders_and_reads_back(title, narrative, milestone, participant):
    # given arbitrary user text in a plain field, a rich-text field and two table cells
    snapshot = seed_snapshot(
        title=title,
        statuses=(TrackStatus("LTT", "red", narrative, None),),
        milestones=(MilestoneRow(1, milestone, participant, None, None, None, True, 0),),
        participants=(Participant(None, participant),),
    )
    # when it is rendered, then it is a readable PDF whose title metadata is what was typed,
    # control characters and soft hyphens left out
    pdf = render_status_page(snapshot)
    typed = "".join(c for c in title if c != "\xad" and unicodedata.category(c) != "Cc")
    assert reader(pdf).metadata.title == (typed or None)
    assert "Side 1 af" in page_texts(pdf)[0]


def test_control_characters_are_left_out_of_the_title_metadata():
    pdf = render_status_page(seed_snapshot(title="0\x16 Plan\x85 B\x00"))
    assert reader(pdf).metadata.title == "0 Plan B"


def test_a_soft_hyphen_is_left_out_of_the_title_metadata():
    # Hypothesis found "0\xad" read back as "괰": the byte 0xAD means nothing in PDFDocEncoding
    pdf = render_status_page(seed_snapshot(title="Sam\xadarbejde 0\xad"))
    assert reader(pdf).metadata.title == "Samarbejde 0"


def test_page_contents_are_flate_compressed(seed_pdf):
    for page in reader(seed_pdf).pages:
        filters = page["/Contents"].get_object()["/Filter"]
        assert "/FlateDecode" in (filters if isinstance(filters, list) else [filters])
