"""The risk rules every reader shares: which band a score falls in, the order of a register.

Plain Python without Django: the PDF renderer, which runs without settings, uses them too.
"""

from collections.abc import Iterable
from typing import Protocol, TypeVar

HIGH_SCORE = 15  # an open risk scoring this (P x I) or more is always on the status page

# The score bands (P x I, 1-25), highest first: the floor and the band's name. The PDF, its
# HTML twin and the project page colour a score by its band.
BANDS = ((HIGH_SCORE, "high"), (10, "raised"), (5, "medium"), (1, "low"))
UNASSESSED = "none"


def score_band(score: int | None) -> str:
    """Return high (15+), raised (10+), medium (5+), low, or none when not assessed."""
    for floor, name in BANDS:
        if score and score >= floor:
            return name
    return UNASSESSED


class Scored(Protocol):
    score: int | None


R = TypeVar("R", bound=Scored)


def by_score(risks: Iterable[R]) -> list[R]:
    """Return the risks highest score first, unassessed ones last, ties in their given order."""
    return sorted(risks, key=lambda r: -(r.score or 0))
