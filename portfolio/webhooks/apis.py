"""`/api/v1/webhooks/`: subscribe, list, delete, and read a subscription's delivery log.

Administrators manage every subscription. A project manager manages the subscriptions scoped
to a project they manage, and only those: an area's or the whole portfolio's events reach
beyond their projects.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio import roles
from portfolio.api_platform import annotations, idempotency, times
from portfolio.api_platform.annotations import extend_schema
from portfolio.api_platform.command_api import IDEMPOTENCY_KEY, REPLAYED
from portfolio.api_platform.listing import ListApi, ListParams, format_problem
from portfolio.api_platform.pagination import Page, PageOut, page_of_queryset
from portfolio.eventstore import store
from portfolio.inputs import Input
from portfolio.models import Area, Project

from .models import (
    AREA,
    DELIVERY_STATES,
    PORTFOLIO,
    PROJECT,
    SCOPES,
    Delivery,
    Subscription,
)

KIND = r"^(\*|[A-Za-z][A-Za-z0-9_]{0,49}(\.[A-Za-z][A-Za-z0-9_]{0,49}){0,3}(\.\*)?)$"


class ManagesWebhooks(BasePermission):
    """Administrators, and project managers (for their own projects' subscriptions)."""

    message = "Only administrators and project managers manage webhooks."

    def has_permission(self, request, view) -> bool:
        return roles.is_admin(request.user) or roles.has_role(request.user, roles.PROJECT_MANAGERS)


def _managers(project_ids: set[str]) -> dict[str, list[str]]:
    return dict(Project.objects.filter(id__in=project_ids).values_list("id", "managers"))


def _may_manage(user, subs: list[Subscription]) -> list[Subscription]:
    """Return the subscriptions `user` manages: all for an administrator, else those scoped to
    a project they manage."""
    if roles.is_admin(user):
        return subs
    managers = _managers({s.scope_id for s in subs if s.scope == PROJECT})
    return [
        s
        for s in subs
        if s.scope == PROJECT and roles.can_manage_project(user, managers.get(s.scope_id, []))
    ]


class WebhookIn(Input):
    example = {"url": "https://example.org/portefolje-hook", "kinds": ["Milestone.*"]}

    url = serializers.URLField(max_length=500, help_text="Where to POST events: http(s) only.")
    kinds = serializers.ListField(
        child=serializers.RegexField(KIND, max_length=100),
        min_length=1,
        max_length=50,
        help_text='Event types ("Milestone.Achieved"), prefixes ("Milestone.*") or "*".',
    )
    project = serializers.SlugField(
        required=False, max_length=100, help_text="Only this project's events (its slug)."
    )
    area = serializers.SlugField(
        required=False, max_length=100, help_text="Only this area's events (its slug)."
    )

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https URLs are called.")
        return value

    def validate(self, attrs: dict) -> dict:
        if "project" in attrs and "area" in attrs:
            raise serializers.ValidationError({"area": ["Give a project or an area, not both."]})
        for name, model in (("project", Project), ("area", Area)):
            if name in attrs:
                found = model.objects.filter(slug=attrs[name]).values_list("id", flat=True)
                if not found:
                    raise serializers.ValidationError({name: [f"No {name} has this slug."]})
                attrs[name] = found[0]
        return attrs


class WebhookOut(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    kinds = serializers.ListField(child=serializers.CharField())
    scope = serializers.ChoiceField(SCOPES)
    project = serializers.CharField(allow_null=True, help_text="The project's slug, if scoped.")
    area = serializers.CharField(allow_null=True, help_text="The area's slug, if scoped.")
    after_position = serializers.IntegerField(help_text="Events after this position are sent.")
    active = serializers.BooleanField(help_text="False: paused in the admin; nothing is sent.")
    created_by = serializers.CharField()
    created_at = times.Moment()


class WebhookCreatedOut(WebhookOut):
    secret = serializers.CharField(help_text="The signing secret: shown this once only.")


class DeliveryOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text="The event's log position (idempotency key).")
    event_type = serializers.CharField()
    state = serializers.ChoiceField(DELIVERY_STATES)
    attempts = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True, help_text="The last answer's.")
    last_error = serializers.CharField(allow_blank=True)
    created_at = times.Moment()
    last_attempt_at = times.Moment(allow_null=True)
    next_attempt_at = times.Moment()
    finished_at = times.Moment(allow_null=True)


def webhook_json(sub: Subscription, slugs: dict | None = None) -> dict:
    """Return a subscription as the API shows it; `slugs` maps scope ids to slugs."""
    slugs = slugs if slugs is not None else scope_slugs([sub])
    return {
        "id": str(sub.id),
        "url": sub.target_url,
        "kinds": sub.kinds,
        "scope": sub.scope,
        "project": slugs.get(sub.scope_id) if sub.scope == PROJECT else None,
        "area": slugs.get(sub.scope_id) if sub.scope == AREA else None,
        "after_position": sub.after_position,
        "active": sub.active,
        "created_by": sub.created_by,
        "created_at": times.rfc3339(sub.created_at),
    }


def scope_slugs(subs: list[Subscription]) -> dict[str, str]:
    """Return the slugs of the projects and areas the subscriptions are scoped to."""
    slugs = {}
    for scope, model in ((PROJECT, Project), (AREA, Area)):
        ids = {s.scope_id for s in subs if s.scope == scope}
        if ids:
            slugs.update(model.objects.filter(id__in=ids).values_list("id", "slug"))
    return slugs


def delivery_json(d: Delivery) -> dict:
    moment = times.rfc3339

    return {
        "id": d.id,
        "position": d.position,
        "event_type": d.event_type,
        "state": d.status,
        "attempts": d.attempts,
        "status_code": d.status_code,
        "last_error": d.last_error,
        "created_at": moment(d.created_at),
        "last_attempt_at": moment(d.last_attempt_at),
        "next_attempt_at": moment(d.next_attempt_at),
        "finished_at": moment(d.finished_at),
    }


class WebhooksApi(ListApi):
    """List the webhook subscriptions you manage (administrators: all)."""

    permission_classes = [ManagesWebhooks]
    item_serializer = WebhookOut
    page_name = "WebhookPage"
    orderings = {"created_at": ("created_at",)}
    ordering = "created_at"
    search = ("url",)
    reads_as_of = False
    csv_name = "webhooks"
    schema_links = {"GetWebhook": annotations.created("webhooks_retrieve", "webhook_id")}
    list_operation_id = "webhooks_list"
    list_tag = "webhooks"

    def rows(self, params: ListParams) -> list[dict]:
        subs = _may_manage(self.request.user, list(Subscription.objects.all()))
        slugs = scope_slugs(subs)
        return [webhook_json(s, slugs) for s in subs]

    @extend_schema(
        operation_id="webhooks_create",
        description=(
            "Subscribe a URL to event kinds of a project, an area or the whole portfolio. "
            "The answer holds the signing secret, shown this once. Events after the log's "
            "current position are delivered. Administrators; a project manager for a project "
            "they manage only."
        ),
        tags=["webhooks"],
        request=WebhookIn,
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        examples=[OpenApiExample("WebhookIn", value=WebhookIn.example, request_only=True)],
        responses={201: OpenApiResponse(WebhookCreatedOut, "Subscribed.")},
    )
    @idempotency.idempotent
    def post(self, request):
        if problem := format_problem(request):
            raise serializers.ValidationError(problem)
        given = WebhookIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        scope = PROJECT if "project" in data else AREA if "area" in data else PORTFOLIO
        if not roles.is_admin(request.user):
            managers = _managers({data.get("project", "")}).get(data.get("project"), [])
            if scope != PROJECT or not roles.can_manage_project(request.user, managers):
                raise PermissionDenied("A project manager subscribes to a project they manage.")
        sub = Subscription.objects.create(
            target_url=data["url"],
            kinds=data["kinds"],
            scope=scope,
            scope_id=data.get("project") or data.get("area") or "",
            after_position=store.head_position(),
            created_by=request.user.get_username(),
        )
        body = {**webhook_json(sub), "secret": sub.secret}
        location = request.build_absolute_uri(f"/api/v1/webhooks/{sub.id}/")
        return Response(body, status=201, headers={"Location": location})


def _subscription(request, webhook_id) -> Subscription:
    """Return the subscription; 404 if there is none, 403 if it is not the user's."""
    sub = Subscription.objects.filter(id=webhook_id).first()
    if sub is None:
        raise Http404
    if not _may_manage(request.user, [sub]):
        raise PermissionDenied("Only an administrator or the project's manager manages this.")
    return sub


class WebhookDetailApi(APIView):
    """Return or delete one webhook subscription."""

    permission_classes = [ManagesWebhooks]

    @extend_schema(operation_id="webhooks_retrieve", tags=["webhooks"], responses=WebhookOut)
    def get(self, request, webhook_id):
        return Response(webhook_json(_subscription(request, webhook_id)))

    @extend_schema(
        operation_id="webhooks_destroy",
        description="Unsubscribe: nothing more is sent; its pending deliveries are dropped.",
        tags=["webhooks"],
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def delete(self, request, webhook_id):
        _subscription(request, webhook_id).delete()
        return Response(status=204)


class DeliveryQuery(serializers.Serializer):
    state = serializers.ChoiceField(
        DELIVERY_STATES, required=False, help_text="Only deliveries in this state."
    )


class WebhookDeliveriesApi(ListApi):
    """List a subscription's deliveries by event position: status code, attempts, last error."""

    permission_classes = [ManagesWebhooks]
    item_serializer = DeliveryOut
    page_name = "WebhookDeliveryPage"
    page_base = PageOut
    filters = DeliveryQuery
    orderings = {"position": ("position",)}
    ordering = "-position"
    unique = ("id",)
    search = ("event_type",)
    reads_as_of = False
    csv_name = "deliveries"
    list_operation_id = "webhooks_deliveries_list"
    list_tag = "webhooks"

    def page(self, params: ListParams) -> Page:
        rows = Delivery.objects.filter(
            subscription=_subscription(self.request, self.kwargs["webhook_id"])
        )
        if params.filters.get("state"):
            rows = rows.filter(status=params.filters["state"])
        if params.q is not None:
            rows = rows.filter(event_type__icontains=params.q)
        return page_of_queryset(
            rows,
            ordering=params.ordering,
            column="position",
            fields=params.fields,
            cursor=params.cursor,
            limit=params.limit,
            count=params.count,
            serialize=lambda found: [delivery_json(d) for d in found],
        )
