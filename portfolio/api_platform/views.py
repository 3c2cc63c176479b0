"""Small API endpoints of the API layer itself."""

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio import roles

from .annotations import extend_schema
from .models import ApiToken


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=roles.ALL))
    authenticated_by = serializers.ChoiceField(choices=["token", "session"])


class MeApi(APIView):
    """Return who the request is authenticated as, and their roles."""

    @extend_schema(operation_id="me_retrieve", tags=["me"], responses=MeSerializer)
    def get(self, request):
        user = request.user
        me = {
            "username": user.get_username(),
            "roles": [r for r in roles.ALL if roles.has_role(user, r)],
            "authenticated_by": "token" if isinstance(request.auth, ApiToken) else "session",
        }
        return Response(MeSerializer(me).data)
