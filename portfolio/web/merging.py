"""How an edit page saves a form read from an older state without losing anyone's work.

The page folds the project as of the log position the form was read at (its `seen_position`),
reads the form's values from that state and from the current one, and merges the user's input
into the current values (merge.py): only what the user changed is sent. A field both sides
changed comes back with both values, and the user chooses.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from portfolio.errors import Closed, DomainError, NotAllowed
from portfolio.eventstore.errors import ConcurrencyConflict
from portfolio.selectors import AsOf, project_state

from . import history
from .dates import long_day
from .merge import Merge, merge, normalise


def shown(form, key: str | None, value) -> str:
    """Return a value of the form's field `key` as the page shows it."""
    if value in (None, "", [], {}, ()):
        return _("(empty)")
    if isinstance(value, date):
        return long_day(value)
    if isinstance(value, dict):  # a row of a list, or a link's parts; a track by its name
        tracks = dict(getattr(form, "track_choices", ()))
        parts = [tracks.get(v, v) if k == "track" else v for k, v in value.items()]
        return " · ".join(shown(form, None, v) for v in parts if v not in (None, ""))
    if isinstance(value, list | tuple):
        return "; ".join(shown(form, None, v) for v in value)
    choices = getattr(form.fields.get(key), "choices", None) if key else None
    if choices:
        return str(dict((str(k), label) for k, label in choices).get(str(value), value))
    return str(value)


class Merging:
    """The merge flow of CommandView (state_keys names the inputs it merges)."""

    def snapshot(self, state, target):
        """Return the form filled from `state` as a browser would send it, and its state inputs."""
        kwargs = self.form_kwargs(state, target)
        unbound = self.form_class(initial=self.initial(state, target), **kwargs)
        data = {bound.html_name: bound.value() for bound in unbound}
        form = self.form_class(data, **kwargs)
        form.is_valid()
        for name in form.errors:  # a value stored before a rule was tightened: compare it raw
            if name in form.fields:
                form.cleaned_data[name] = data.get(name)
        values = normalise(form.values())
        return form, {k: values.get(k) for k in self.state_keys}

    def base_values(self, state, target, form, current: dict) -> dict | None:
        """Return the state inputs as the form was read with them; None when unknown."""
        if form.cleaned_data.get("expected_version") == self.version(state, target):
            return current  # nothing changed since
        seen = form.cleaned_data.get("seen_position")
        then = project_state(state.project.slug, AsOf(position=seen)) if seen else None
        if then is None:
            return None
        try:
            target_then = self.target(then, **self.target_kwargs)
        except Http404:
            return None
        return self.snapshot(then, target_then)[1]

    def save_merged(self, request, state, target, form) -> HttpResponse:
        now, current = self.snapshot(state, target)
        base = self.base_values(state, target, form, current)
        if base is None:
            return self.conflict(request, state, target, form)
        keep = {k for k in self.state_keys if request.POST.get(f"keep_{k}") == "theirs"}
        yours = normalise(form.values())
        result = merge(self.state_keys, base, current, yours, keep)
        if result.clashes:
            return self.clash(request, state, target, form, now, current, yours, result)
        if not result.changed and (self.partial or self.skip_unchanged):
            messages.info(request, _("Nothing was changed, so nothing was saved."))
            return self.done(state.project.slug)
        if self.partial:
            values = {k: result.values[k] for k in result.changed}
        else:
            values = yours | result.values
        try:
            self.run(values, state, target, request.user, self.version(state, target))
        except ConcurrencyConflict:  # changed again in between: the user looks again
            return self.conflict(request, state, target, form)
        except (NotAllowed, Closed):
            raise PermissionDenied from None
        except DomainError as error:
            return self.refused(request, state, target, form, error)
        messages.success(request, self.merged_message(form, result, values, state, target))
        return self.done(state.project.slug)

    def merged_message(self, form, result: Merge, values, state, target) -> str:
        message = self.saved(values, state, target)
        if not message:
            labels = ", ".join(str(form.label_of(k)) for k in result.changed) or "-"
            message = format_lazy(_("Saved. Changed: {}."), labels)
        if result.kept:
            kept = ", ".join(str(form.label_of(k)) for k in result.kept)
            message = format_lazy(
                "{} {}", message, format_lazy(_("Someone else's change to {} is kept."), kept)
            )
        return str(message)

    def clash(self, request, state, target, form, now, current: dict, yours: dict, result: Merge):
        """Show the form again on the current state: the user's changes, theirs, and a choice
        for each field both changed."""
        data = request.POST.dict()
        for key in result.kept:  # the form shows their value now, so sending it keeps it
            for name in form.names_of(key):
                data.pop(name, None)
            data |= {name: now.data.get(name) for name in now.names_of(key)}
        data |= {"expected_version": self.version(state, target), "seen_position": state.position}
        again = self.form_class(data, **self.form_kwargs(state, target))
        again.is_valid()
        clashes = [
            {
                "key": key,
                "label": form.label_of(key),
                "theirs": shown(form, key, current[key]),
                "yours": shown(form, key, yours[key]),
            }
            for key in result.clashes
        ]
        seen = form.cleaned_data.get("seen_position") or 0
        changed = history.entries(state.project.slug, AsOf(position=seen))
        return self.page(
            request, state, target, again, conflict=changed, clashes=clashes, status=409
        )
