"""Who may call an endpoint, from the roles in portfolio/roles.py.

Anyone signed in reads (API readers, project managers, the steering group); writes need the
role the view names. Combine with `|`: `permission_classes = [ReadOnly | ManagesProject]`.
An anonymous request fails every class, and DRF answers it 401 because token authentication
names a `WWW-Authenticate` scheme.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from portfolio import roles


class ReadOnly(BasePermission):
    """Signed-in users may read; nobody may write through this class alone."""

    message = "This endpoint is read-only for your role."

    def has_permission(self, request, view) -> bool:
        if not roles.can_read(request.user):
            return False
        # A method the view does not implement passes here so that it answers 405, not 403.
        return request.method in SAFE_METHODS or not hasattr(view, request.method.lower())


class _Writes(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return False
        return self.allows(request, view)

    def allows(self, request, view) -> bool:
        raise NotImplementedError


class CreatesProjects(_Writes):
    """Project managers and administrators may create projects."""

    message = "Only project managers create projects."

    def allows(self, request, view) -> bool:
        return roles.can_create_project(request.user)


class ManagesProject(_Writes):
    """Only a manager of the project concerned (or an administrator) may change it.

    The view names the project's managers with `get_project_managers()`; it raises NotFound
    when the project or its child resource does not exist, which answers 404 before 403.
    """

    message = "Only a manager of this project may change it."

    def allows(self, request, view) -> bool:
        return roles.can_manage_project(request.user, view.get_project_managers())


class RecordsDecisions(_Writes):
    """Steering-group members (and administrators) record decisions."""

    message = "Only the steering group records decisions."

    def allows(self, request, view) -> bool:
        return roles.can_record_decision(request.user)


class RequestsReports(_Writes):
    """Steering-group members, project managers and administrators request reports."""

    message = "Your role cannot request reports."

    def allows(self, request, view) -> bool:
        return roles.can_request_report(request.user)


class Administers(_Writes):
    """Only administrators may write (create areas)."""

    message = "Only administrators create areas."

    def allows(self, request, view) -> bool:
        return roles.is_admin(request.user)
