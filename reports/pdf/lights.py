"""The derived traffic light beside the reported rating, under the status section."""

from xml.sax.saxutils import escape

from .. import wording
from .joined_fragments import Paragraph
from .styles import stylesheet


def derived_word(snapshot, track: str) -> str:
    """Return "Derived: Green" for a track, to follow its name in the status section ("" if
    it has no derived light)."""
    for light in snapshot.lights:
        if light.track == track:
            return wording.derived_line(light.derived, (), light.rating, "")
    return ""


def derived_lights(snapshot) -> list:
    """Return a line for each track whose derived light has reasons or whose rating has a
    justification: the light itself follows the track's name (derived_word), so
    a page where nothing needs explaining keeps its length."""
    style = stylesheet()["muted"]
    lines = []
    for light in snapshot.lights:
        if not (light.reasons or light.justification):
            continue
        line = wording.derived_line(light.derived, light.reasons, light.rating, light.justification)
        name = wording.track_or_whole(light.track)
        lines.append(Paragraph(f"<b>{escape(name)}</b>: {escape(line)}", style))
    return lines
