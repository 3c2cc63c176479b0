"""Set-up pages of administrators: areas, new projects, their managers, closing and reopening.

Each page runs the command the API runs (portfolio.commands), with the form built from the same
input declaration (portfolio.inputs), so the browser and the API refuse the same input.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms import MultipleChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from portfolio import commands, inputs, roles, slugs
from portfolio.error_words import translate_error
from portfolio.errors import DomainError, NotAllowed
from portfolio.eventstore.errors import ConcurrencyConflict
from portfolio.models import Area, Project

from . import forms
from .commandview import CommandView


def manager_choices(current=()) -> list[tuple[str, str]]:
    """Return (username, "Full Name (username)") of the users with the project-manager role,
    and of `current` managers who no longer have it, so that they can be removed."""
    people = {u.get_username(): u.get_full_name() for u in roles.users_with(roles.PROJECT_MANAGERS)}
    for username in current:
        people.setdefault(username, "")
    return [(name, f"{full} ({name})" if full else name) for name, full in sorted(people.items())]


class AdminOnly(LoginRequiredMixin):
    """Answer 403 to a logged-in user who does not administer the site (on GET and POST alike)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.is_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SetupIndex(AdminOnly, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "areas": Area.objects.annotate(n=Count("projects")).order_by("name"),
            "projects": Project.objects.select_related("area").order_by("area__name", "title"),
        }
        return render(request, "portfolio/setup/index.html", context)


class SetupForm(AdminOnly, View):
    """A set-up form that runs one command; bad input comes back with the field named."""

    form_class: type[forms.CommandForm]
    title = ""
    submit = ""
    # (read model, field): the form has a "propose" button that fills in the slug portfolio.slugs
    # makes from that field, for the user to keep or change before creating.
    proposes: tuple[type, str] | None = None

    def subject(self, **kwargs):
        """Return what the form changes (None: it creates something)."""
        return None

    def version(self, subject) -> int | None:
        return None

    def initial(self, subject) -> dict:
        return {}

    def form_kwargs(self) -> dict:
        return {}

    def run(self, values: dict, subject, user, **command):
        raise NotImplementedError

    def saved(self, values: dict, subject) -> str:
        raise NotImplementedError

    def done(self, result, values: dict) -> str:
        return reverse("setup")

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        subject = self.subject(**kwargs)
        initial = self.initial(subject) | {
            "expected_version": self.version(subject),
            "command_id": uuid.uuid4(),
        }
        response = self.page(
            request, subject, self.form_class(initial=initial, **self.form_kwargs())
        )
        add_never_cache_headers(response)  # Back must fetch a fresh command id
        return response

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        subject = self.subject(**kwargs)
        if self.proposes and "propose" in request.POST:
            return self.page(request, subject, self.proposal(request.POST))
        form = self.form_class(request.POST, **self.form_kwargs())
        if not form.is_valid():
            return self.page(request, subject, form)
        values = form.values()
        command = {
            "command_id": str(form.cleaned_data.get("command_id") or uuid.uuid4()),
            "expected_version": form.cleaned_data.get("expected_version"),
        }
        try:
            result = self.run(values, subject, request.user, **command)
        except ConcurrencyConflict:
            return self.conflict(request, subject, form)
        except NotAllowed:
            raise PermissionDenied from None
        except DomainError as error:
            field = error.field.split(".")[0]
            form.add_error(field if field in form.fields else None, translate_error(error))
            return self.page(request, subject, form)
        messages.success(request, self.saved(values, subject))
        return redirect(self.done(result, values))

    def proposal(self, data) -> forms.CommandForm:
        """Return the form as the user filled it, its slug the one proposed; nothing is checked
        yet, so no field is marked wrong before the user has finished."""
        rows, source = self.proposes
        kwargs = self.form_kwargs()
        fields = self.form_class(**kwargs).fields
        initial = {
            name: data.getlist(name) if isinstance(field, MultipleChoiceField) else data.get(name)
            for name, field in fields.items()
            if name in data
        }
        initial["slug"] = slugs.propose_slug(rows, data.get(source, ""))
        return self.form_class(initial=initial, **kwargs)

    def conflict(self, request, subject, form) -> HttpResponse:
        """Show the input again, now carrying the current version, and say why nothing was saved."""
        data = request.POST.copy()
        data["expected_version"] = self.version(subject)
        again = self.form_class(data, **self.form_kwargs())
        again.is_valid()
        again.add_error(
            None, _("Someone else changed this while you were editing. Nothing was saved.")
        )
        return self.page(request, subject, again, status=409)

    def page(self, request, subject, form, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "submit": self.submit,
            "subject": subject,
            "proposes": self.proposes is not None,
        }
        return render(request, "portfolio/setup/form.html", context, status=status)


class AreaCreate(SetupForm):
    form_class = forms.form_for(inputs.AreaCreateIn, base=forms.AreaSetupForm)
    title = _("New area")
    submit = _("Create the area")
    proposes = (Area, "name")

    def run(self, values, subject, user, *, expected_version, command_id):
        return commands.area_create(**values, actor=user, command_id=command_id)

    def saved(self, values, subject):
        return gettext("Area created: %(name)s.") % {"name": values["name"]}


class AreaRename(SetupForm):
    form_class = forms.form_for(inputs.AreaRenameIn, base=forms.AreaSetupForm)
    title = _("Rename the area")
    submit = _("Rename")

    def subject(self, area: str):
        return get_object_or_404(Area, slug=area)

    def version(self, subject):
        return subject.version

    def initial(self, subject):
        return {"name": subject.name}

    def run(self, values, subject, user, **command):
        return commands.area_rename(area_id=subject.id, name=values["name"], actor=user, **command)

    def saved(self, values, subject):
        return gettext("Area renamed: %(old)s is now %(new)s.") % {
            "old": subject.name,
            "new": values["name"],
        }


class ProjectCreate(SetupForm):
    form_class = forms.form_for(inputs.ProjectCreateIn, base=forms.ProjectSetupForm)
    title = _("New project")
    submit = _("Create the project")
    proposes = (Project, "title")

    def form_kwargs(self):
        areas = [(a.id, a.name) for a in Area.objects.order_by("name")]
        return {"areas": areas, "people": manager_choices()}

    def run(self, values, subject, user, *, expected_version, command_id):
        return commands.project_create(**values, actor=user, command_id=command_id)

    def saved(self, values, subject):
        return gettext("Project created: %(title)s.") % {"title": values["title"]}

    def done(self, result, values):
        slug = Project.objects.values_list("slug", flat=True).get(pk=result.stream_id)
        return reverse("project", args=[slug])


class ProjectManagers(CommandView):
    form_class = forms.form_for(
        inputs.ProjectUpdateIn, base=forms.ManagersForm, fields=("managers",)
    )
    command = staticmethod(commands.project_update)
    partial = True
    state_keys = ("managers",)
    title = _("Project managers")
    submit = _("Save")

    def allowed(self, user, state):
        return roles.is_admin(user)

    def form_kwargs(self, state, target):
        return {"people": manager_choices(state.project.managers)}

    def current(self, state, target):
        return {"managers": list(state.project.managers)}

    def subtitle(self, state, target):
        return _("Tick the users who manage the project; they may change it.")


class ProjectClose(CommandView):
    form_class = forms.form_for(inputs.CloseIn)
    command = staticmethod(commands.project_close)
    title = _("Close the project")
    submit = _("Close the project")

    def subtitle(self, state, target):
        return _("A closed project takes no more changes; an administrator can reopen it.")

    def saved(self, values, state, target):
        return gettext("The project is closed.")


class ProjectReopen(CommandView):
    form_class = forms.form_for(inputs.ReopenIn)
    command = staticmethod(commands.project_reopen)
    on_closed = True
    title = _("Reopen the project")
    submit = _("Reopen the project")

    def allowed(self, user, state):
        return roles.is_admin(user)

    def saved(self, values, state, target):
        return gettext("The project is open again.")
