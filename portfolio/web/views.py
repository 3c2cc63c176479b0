"""The login page (the rest of the frame is the base template)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


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
