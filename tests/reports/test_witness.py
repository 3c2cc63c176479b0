"""An issued report carries the signed head of its pin: each PDF a steering group holds is a
witness that verify_events holds the log to."""

import html
import re
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portfolio import roles
from portfolio.eventstore.heads import SignedHead, head_at
from portfolio.eventstore.signing import key_id, public_pem
from portfolio.eventstore.witnesses import read_witness
from reports import services
from reports.models import IssuedReport, ReportRequest
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"


def issue(django_capture_on_commit_callbacks) -> IssuedReport:
    member = factories.user(roles.STEERING_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_report(
            member, ReportRequest.STATUS_PAGE, SLUG, as_of=date(2026, 4, 24)
        )
    return IssuedReport.objects.get(request=request)


def test_an_issued_report_carries_the_signed_head_of_its_pin(
    demo, signing_key, django_capture_on_commit_callbacks, tmp_path, capsys
):
    # given a status page issued through the report service
    report = issue(django_capture_on_commit_callbacks)
    pdf = tmp_path / "held-by-the-steering-group.pdf"
    pdf.write_bytes(report.file.read())

    # then its PDF carries the head at its pin, dated the pin's time, signed with the key
    head = read_witness(pdf)
    assert (head.position, head.hash) == head_at(report.as_of_position)
    assert head.time == report.as_of_time and head.key_id == key_id(signing_key.public_key())
    # and so does its HTML twin
    twin = report.html_file.read().decode()
    meta = re.search(r'<meta name="portefolje-signed-head" content="([^"]+)">', twin)
    assert SignedHead.parse(html.unescape(meta.group(1))) == head
    # and re-rendering it still gives the archived bytes
    assert services.verify(report).matches
    # and the log holds what it witnesses
    call_command("verify_events", "--witness", str(pdf))
    assert f"and the witness {pdf}" in capsys.readouterr().out


@pytest.mark.postgres
def test_a_report_witnesses_a_deleted_event(
    demo, signing_key, django_capture_on_commit_callbacks, tmp_path, capsys
):
    # given an issued report's PDF
    report = issue(django_capture_on_commit_callbacks)
    pdf = tmp_path / "held-by-the-steering-group.pdf"
    pdf.write_bytes(report.file.read())
    position = read_witness(pdf).position

    # when the event at its head is deleted, as only the tables' owner can
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE eventstore_event DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM eventstore_event WHERE position = %s", [position])
        cursor.execute("ALTER TABLE eventstore_event ENABLE TRIGGER USER")

    # then verify_events, given the PDF, names it
    with pytest.raises(CommandError):
        call_command("verify_events", "--witness", str(pdf))
    assert f"witness at position {position}: event missing" in capsys.readouterr().err


def test_without_a_signing_key_a_report_carries_no_witness(
    demo, no_keys, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    report = issue(django_capture_on_commit_callbacks)
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(report.file.read())
    assert b"portefolje-signed-head" not in report.html_file.read()

    some_key = Ed25519PrivateKey.generate().public_key()
    monkeypatch.setenv("PORTEFOLJE_VERIFY_KEY", public_pem(some_key))
    with pytest.raises(CommandError, match="carries no signed head"):
        call_command("verify_events", "--witness", str(pdf))
