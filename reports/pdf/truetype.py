"""The TrueType font the reports embed: ReportLab's, with two shortcuts that leave glyphs as
they were."""

import struct

from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

WINDOWS = 3  # the platform of the name records kept in each embedded subset


def windows_names(table: bytes) -> bytes:
    """Return a TrueType 'name' table with only its Windows (Unicode) records.

    DejaVu Sans holds every name twice, as Macintosh Roman and as Windows UTF-16, and the
    licence among them runs to 14 kB: over half of each embedded subset, compressed anew for
    every PDF. One copy of every record, the licence included, stays.
    """
    _, count, storage = struct.unpack(">HHH", table[:6])
    records, strings = [], b""
    for index in range(count):
        record = struct.unpack(">6H", table[6 + 12 * index : 18 + 12 * index])
        platform, encoding, language, name_id, length, offset = record
        if platform == WINDOWS:
            records.append((platform, encoding, language, name_id, length, len(strings)))
            strings += table[storage + offset : storage + offset + length]
    head = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return head + b"".join(struct.pack(">6H", *record) for record in records) + strings


class WindowsNamesFace(TTFontFace):
    """A parsed font whose subsets carry windows_names() of its 'name' table.

    It keeps each table it has been asked for: ReportLab slices a table out of the font file
    for every subset, the glyphs (556 kB) included, to copy a few hundred bytes of them.
    """

    def get_table(self, tag):
        tables = self.__dict__.setdefault("_tables", {})
        if tag not in tables:
            table = super().get_table(tag)
            tables[tag] = windows_names(table) if tag == "name" else table
        return tables[tag]


class SubsetFont(TTFont):
    """A TrueType font that encodes text quickly once its characters have codes in the subset.

    ReportLab encodes every string drawn in a Python loop over its characters, assigning subset
    codes to new ones; that loop was a tenth of a status page's rendering. A string whose
    characters all have codes below 256 already is mapped in one C-level pass instead; any
    other string (a new character, a no-break space, a second subset) goes the original way,
    so the codes, and the bytes of the PDF, are the same.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The face ReportLab parsed, given the shorter name table (parsing it again would
        # cost as much as the first time).
        self.face.__class__ = WindowsNamesFace

    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is not None and text and isinstance(text, str):
            try:
                return [(0, bytes(map(state.assignments.__getitem__, map(ord, text))))]
            except (KeyError, ValueError):  # a character without a code, or one above 255
                pass
        return super().splitString(text, doc, encoding)
