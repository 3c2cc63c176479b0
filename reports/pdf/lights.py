"""The derived traffic light beside the reported rating, under the status section."""

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from .. import wording
from .styles import stylesheet


def derived_lights(snapshot) -> list:
    """Return one line per track: its derived light, the reasons, and any justification."""
    style = stylesheet()["muted"]
    lines = []
    for light in snapshot.lights:
        line = wording.derived_line(light.derived, light.reasons, light.rating, light.justification)
        name = wording.track_or_whole(light.track)
        lines.append(Paragraph(f"<b>{escape(name)}</b>: {escape(line)}", style))
    return lines
