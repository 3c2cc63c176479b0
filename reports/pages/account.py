"""A user's own settings: for now, whether they get the status reminders before meetings."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ReminderPreference
from ..reminders import wants_reminders


class SettingsForm(forms.Form):
    send_reminders = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "E-mail me a reminder before a steering meeting when the status of a "
            "project I manage is older than the previous meeting"
        ),
    )


@login_required
def my_settings(request: HttpRequest) -> HttpResponse:
    """Show and change the user's own settings."""
    # An unticked box posts nothing: the form is bound on every POST, even an empty one.
    data = request.POST if request.method == "POST" else None
    form = SettingsForm(data, initial={"send_reminders": wants_reminders(request.user)})
    if request.method == "POST" and form.is_valid():
        ReminderPreference.objects.update_or_create(
            user=request.user, defaults={"send_reminders": form.cleaned_data["send_reminders"]}
        )
        on = form.cleaned_data["send_reminders"]
        messages.success(request, _("Saved: reminders on.") if on else _("Saved: reminders off."))
        return redirect("my_settings")
    return render(request, "reports/settings.html", {"form": form})
