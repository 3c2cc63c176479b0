"""Operators browse the event log in the admin, read-only."""

import pytest
from django.urls import reverse

from portfolio.eventstore import store
from portfolio.eventstore.models import StoredEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    store.append(
        stream_id="s-1",
        stream_type="Test",
        expected_version=0,
        events=[store.NewEvent("Test.Happened", {"text": "<b>æøå</b>"})],
        actor="tester",
    )
    return StoredEvent.objects.get()


def test_an_administrator_sees_the_log_but_cannot_change_or_delete_an_event(client, event):
    client.force_login(factories.admin())
    listing = client.get(reverse("admin:eventstore_storedevent_changelist"))
    assert listing.status_code == 200
    assert b"Test.Happened" in listing.content

    detail = client.get(reverse("admin:eventstore_storedevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b"&lt;b&gt;" in detail.content  # shown escaped, as text
    assert b'name="_save"' not in detail.content

    url = reverse("admin:eventstore_storedevent_change", args=[event.pk])
    assert client.post(url, {"event_type": "Tampered"}).status_code == 403
    delete = reverse("admin:eventstore_storedevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:eventstore_storedevent_add")).status_code == 403
    assert StoredEvent.objects.get().event_type == "Test.Happened"
