"""How ReportLab writes the PDF's streams (page contents, embedded fonts): Flate at level 3,
in binary."""

import zlib
from functools import cache

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

# zlib's default, 6, spent an eighth of a status page's rendering compressing its streams.
# Level 3 takes 5% less work in all and makes the page 4% larger; levels 1 and 2 save no more
# work and cost more bytes. Like level 6, its output depends only on the input and zlib's
# version, so a page still renders to the same bytes.
LEVEL = 3


class FlateLevel(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter at LEVEL."""

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, LEVEL)


@cache
def compress_at_level() -> None:
    """Make ReportLab compress streams at LEVEL and leave page contents binary.

    ReportLab names its one Flate filter object (a module attribute) afresh whenever it makes a
    stream, in pdfdoc and in its TrueType module, and offers no setting for the level; it
    serves only the reports in this project, so the process-wide choice is theirs to make.
    useA85 (rl_config, ReportLab's own settings) wrapped each page's compressed contents in
    ASCII85 text, a quarter larger, for readers of 7-bit channels that PDFs no longer pass
    through; without it the seed page is 1.7 kB smaller and 3% cheaper to write.
    """
    pdfdoc.PDFZCompress = FlateLevel()
    rl_config.useA85 = 0
