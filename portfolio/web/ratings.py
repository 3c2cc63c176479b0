"""A track's status rating as people read it, in the page's language."""

from django.utils.translation import pgettext_lazy

RATING_WORDS = {
    "green": pgettext_lazy("rating", "green"),
    "yellow": pgettext_lazy("rating", "yellow"),
    "red": pgettext_lazy("rating", "red"),
    "not_started": pgettext_lazy("rating", "not started"),
    "finished": pgettext_lazy("rating", "finished"),
}
NO_RATING = pgettext_lazy("rating", "not rated")
