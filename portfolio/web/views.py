"""The login page, and the pages of a bad request and a refused form (the frame is base.html)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: it drops screen-reader users into the middle of the page, past the
        # heading and the skip link that every other page starts with.
        self.fields["username"].widget.attrs.pop("autofocus", None)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """Answer 400 with a page saying what is wrong with the request."""
    return render(request, "400.html", {"message": message}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a form the site cannot trust (an old page, or cookies blocked) in the site's look."""
    return render(request, "403_csrf.html", status=403)
