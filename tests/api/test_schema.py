"""The OpenAPI schema and its docs are served by the site itself, with no CDN."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_documents_problems_and_token_auth(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/events/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    errors = schema["paths"]["/api/v1/events/"]["get"]["responses"]
    assert "application/problem+json" in errors["401"]["content"]
    assert "application/problem+json" in errors["404"]["content"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_from_the_sidecar_not_a_cdn(client, url):
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


def test_swagger_assets_are_installed_locally():
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
