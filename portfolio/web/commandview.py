"""One view class behind every edit form: check who may act, run one command, handle conflicts.

The form carries the version of the stream it was read at (expected_version) and the log
position the page showed (seen_position). A page that names its `state_keys` sends only what
the user changed since then and merges it with what others changed meanwhile (merging.py).
Elsewhere, when someone else changed the stream meanwhile, the command raises
ConcurrencyConflict and nothing is written: the form comes back with the user's input kept, says
so, lists what changed since seen_position, and now carries the current version so that sending
it again is a deliberate choice.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from portfolio import roles
from portfolio.error_words import translate_error
from portfolio.errors import Closed, DomainError, NotAllowed
from portfolio.eventstore.errors import ConcurrencyConflict
from portfolio.selectors import AsOf, ProjectState, project_state

from . import history
from .forms import CommandForm
from .merge import normalise
from .merging import Merging


def track_choices(state: ProjectState) -> list[tuple[str, str]]:
    return [(t.id, t.name) for t in state.project.tracks.values()]


def find_item(items, item_id):
    """Return the milestone, risk or KPI series of the project with `item_id`, or answer 404."""
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        raise Http404("not part of this project")
    return found


class CommandView(Merging, LoginRequiredMixin, View):
    form_class: type[CommandForm]
    command = None  # the command the page runs, as staticmethod(...)
    partial = False  # the command takes the input as `changes` (an update of some fields)
    # The command's inputs that show the target's current values: only those the user changed
    # are sent, merged with what others changed meanwhile (merge.py). Empty: a stale form is
    # refused as a whole and shown again.
    state_keys: tuple[str, ...] = ()
    skip_unchanged = False  # with nothing changed, save nothing (partial commands always)
    title = ""
    submit = ""
    template_name = "portfolio/edit.html"
    anchor = ""
    on_closed = False  # the page acts on a closed project (reopens it); others refuse one

    # --- what each edit page says -------------------------------------------------------

    def allowed(self, user, state: ProjectState) -> bool:
        return roles.can_manage_project(user, state.project.managers)

    def target(self, state: ProjectState, **kwargs):
        """Return the milestone, risk or KPI the form is about (None: the project itself)."""
        return None

    def version(self, state: ProjectState, target) -> int | None:
        """The version of the stream the command appends to (None: no conflict check)."""
        return state.project.version

    def initial(self, state: ProjectState, target) -> dict:
        return self.current(state, target)

    def current(self, state: ProjectState, target) -> dict:
        """Return the form's fields that show the target as it is (see `state_keys`)."""
        return {}

    def form_kwargs(self, state: ProjectState, target) -> dict:
        return {}

    def subtitle(self, state: ProjectState, target) -> str:
        """Return the name of what the form is about, shown under its heading."""
        return getattr(target, "title", "") or getattr(target, "name", "")

    def subject(self, state: ProjectState, target) -> dict:
        """Return the arguments naming what the command acts on (the form gives the rest)."""
        return {"project_id": state.project.id}

    def run(self, data: dict, state: ProjectState, target, user, expected_version):
        """Run the page's command on `data`, shaped as the API's input serializer shapes it."""
        data = {"changes": data} if self.partial else data
        if self.version(state, target) is not None:  # a new stream or a decision checks none
            data["expected_version"] = expected_version
        self.command(**self.subject(state, target), **data, actor=user, command_id=self.command_id)

    def saved(self, values: dict, state: ProjectState, target) -> str:
        """Return the confirmation naming what was saved (empty: the changed fields are named)."""
        return ""

    # --- the flow -------------------------------------------------------------------------

    def setup_state(self, request: HttpRequest, slug: str, **kwargs):
        state = project_state(slug)
        if state is None:
            raise Http404("no such project")
        # Checked on GET and POST alike: a forged POST gets the same 403 as the page.
        if state.project.closed != self.on_closed or not self.allowed(request.user, state):
            raise PermissionDenied
        self.target_kwargs = kwargs
        target = self.target(state, **kwargs)
        return state, target

    def get(self, request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        state, target = self.setup_state(request, slug, **kwargs)
        initial = self.initial(state, target) | {
            "expected_version": self.version(state, target),
            "seen_position": state.position,
            "command_id": uuid.uuid4(),
        }
        form = self.form_class(initial=initial, **self.form_kwargs(state, target))
        response = self.page(request, state, target, form)
        # Back in the browser must fetch a fresh form (a new command id), not resend the old one.
        add_never_cache_headers(response)
        return response

    def post(self, request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        state, target = self.setup_state(request, slug, **kwargs)
        form = self.form_class(request.POST, **self.form_kwargs(state, target))
        if not form.is_valid() or "preview" in request.POST:
            return self.page(request, state, target, form, preview="preview" in request.POST)
        expected = form.cleaned_data.get("expected_version")
        self.command_id = str(form.cleaned_data.get("command_id") or uuid.uuid4())
        if self.state_keys:
            return self.save_merged(request, state, target, form)
        values = normalise(form.values())
        try:
            self.run(values, state, target, request.user, expected)
        except ConcurrencyConflict:
            return self.conflict(request, state, target, form)
        except (NotAllowed, Closed):
            raise PermissionDenied from None
        except DomainError as error:
            return self.refused(request, state, target, form, error)
        messages.success(request, self.saved(values, state, target) or _("Saved."))
        return self.done(slug)

    def refused(self, request, state, target, form, error: DomainError) -> HttpResponse:
        """Show the form again with the domain's refusal next to the field it names."""
        field = error.field.split(".")[0].split("[")[0]
        form.add_error(field if field in form.fields else None, translate_error(error))
        return self.page(request, state, target, form)

    def done(self, slug: str) -> HttpResponse:
        url = reverse("project", args=[slug])
        return redirect(f"{url}#{self.anchor}" if self.anchor else url)

    def conflict(self, request, state, target, form) -> HttpResponse:
        seen = form.cleaned_data.get("seen_position") or 0
        data = request.POST.copy()
        data["expected_version"] = self.version(state, target)
        data["seen_position"] = state.position
        again = self.form_class(data, **self.form_kwargs(state, target))
        again.is_valid()
        changed = history.entries(state.project.slug, AsOf(position=seen))
        return self.page(request, state, target, again, conflict=changed, status=409)

    def page(
        self, request, state, target, form, *, preview=False, conflict=None, clashes=(), status=200
    ):
        context = {
            "state": state,
            "project": state.project,
            "target": target,
            "form": form,
            "title": self.title,
            "submit": self.submit,
            "preview": preview and form.is_bound,
            "conflict": conflict,
            "clashes": clashes,
            "subtitle": self.subtitle(state, target),
        }
        return render(request, self.template_name, context, status=status)


class NewMember(CommandView):
    """A page adding a milestone, risk or KPI series to the project, on a track of its choice."""

    def version(self, state, target):
        return None  # a new stream: nothing to conflict with

    def form_kwargs(self, state, target):
        return {"tracks": track_choices(state)}


class OnMember(CommandView):
    """A page acting on one milestone, risk or KPI series of the project."""

    member_type: type  # the aggregate class: Milestone, Risk, Kpi
    id_argument = ""  # how the command names it: "milestone_id"

    def target(self, state, item_id):
        return find_item(state.of_type(self.member_type), item_id)

    def subject(self, state, target):
        return {self.id_argument: target.id}

    def version(self, state, target):
        return target.version
