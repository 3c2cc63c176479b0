"""The pages' language: Danish, unless the person chose another with the switch (a cookie).

The browser's Accept-Language is not asked: the product is Danish first, and an en-US browser
in a Danish office would otherwise land in English. The API keeps Accept-Language, since a
program asking in English means it.
"""

from django.middleware import locale


class LocaleMiddleware(locale.LocaleMiddleware):
    def process_request(self, request) -> None:
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
