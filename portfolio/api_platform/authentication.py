"""Token authentication (`Authorization: Token …`) against hashed, revocable tokens."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken

# Record use at most once a minute per token, so a busy client does not write on every read.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """Authenticate `Authorization: Token <secret>`; `request.auth` is the ApiToken."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # not ours: let session authentication try
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token as 'Token <secret>'.")
        try:
            secret = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("The token is not valid.") from error
        token = ApiToken.find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Naming a scheme makes DRF answer 401 (not 403) to anonymous requests.
        return self.keyword
