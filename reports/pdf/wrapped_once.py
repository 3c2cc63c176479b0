"""Break a paragraph's lines once per width, however often ReportLab asks for them."""


class WrappedOnce:
    """A Paragraph mixin whose wrap() at the width it last broke its lines at answers as then.

    ReportLab lays a table's cells out to size the table and again to draw them, and a heading
    kept with what follows lays that out to see whether both fit and again to place it. The
    lines depend on the width alone, so the second layout repeats the first. split() drops the
    lines when the paragraph moves on whole (no blPara then), and they are broken again.
    """

    _wrapped: tuple | None = None  # (width, the size wrap() answered)

    def wrap(self, available_width, available_height):
        if self._wrapped and self._wrapped[0] == available_width and "blPara" in vars(self):
            return self._wrapped[1]
        size = super().wrap(available_width, available_height)
        self._wrapped = (available_width, size)
        return size
