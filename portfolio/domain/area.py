"""A portfolio area (programme), such as Kommuneområdet."""

from dataclasses import dataclass

from .. import checks, limits
from ..errors import InvalidInput, NotFound
from ..eventstore.aggregate import Aggregate, Event


class Area(Aggregate):
    """A portfolio area (programme), such as Kommuneområdet."""

    stream_type = "Area"
    slug: str
    name: str

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.slug = ""
        self.name = ""

    @dataclass(frozen=True)
    class Created(Event):
        slug: str
        name: str

        def apply(self, area):
            area.slug, area.name = self.slug, self.name

    @dataclass(frozen=True)
    class Renamed(Event):
        name: str

        def apply(self, area):
            area.name = self.name

    def create(self, *, slug: str, name: str) -> None:
        if self.exists:
            raise InvalidInput("slug", "the area exists already")
        name = checks.text("name", name, max_length=limits.AREA_NAME)
        self.trigger(Area.Created(checks.slug("slug", slug), name))

    def rename(self, *, name: str) -> None:
        """Give the area a new name; its slug, and so its links, stay."""
        if not self.exists:
            raise NotFound("area", "no such area")
        name = checks.text("name", name, max_length=limits.AREA_NAME)
        if name != self.name:
            self.trigger(Area.Renamed(name))
