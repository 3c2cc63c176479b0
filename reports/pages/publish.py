"""Publishing a project's status page from its page, and withdrawing a publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio.errors import InvalidInput, NotAllowed, NotFound
from reports import publishing, services
from reports.models import Publication


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue the status page as of now and publish it once it is issued."""
    try:
        made = services.request_publication(request.user, slug)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except NotFound as error:
        raise Http404(str(error)) from error
    return redirect("report_request", made.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, report) -> HttpResponse:
    publication = Publication.objects.filter(pk=report, project_slug=slug).first()
    if publication is None:
        raise Http404("no such publication")
    try:
        publishing.withdraw(report, reason=request.POST.get("reason", ""), actor=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except InvalidInput as error:
        messages.error(request, _("Not withdrawn: %(why)s") % {"why": error.message})
        return redirect("project", slug)
    messages.success(request, _("The publication is withdrawn from the public pages."))
    return redirect("project", slug)
