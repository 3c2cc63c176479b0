"""The report archive's files go through Django's storage API, so an operator can put them in
an S3-compatible bucket by the environment (portfolio/media_storage.py)."""

import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage

from portfolio import roles
from portfolio.media_storage import default_storage as storage_for
from reports.models import IssuedReport

from .test_api import SEED_PAGE, client_as, content, generate

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
BOTH_INSTALLED = {"installed": lambda package: True}


@pytest.mark.django_db
def test_reports_are_written_and_read_through_the_configured_storage(
    demo, settings, tmp_path, django_capture_on_commit_callbacks
):
    steering = client_as(roles.STEERING_GROUP)
    # given an archive kept in memory (as a bucket would be), not in MEDIA_ROOT (tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    # when a report is requested through the API and its files are downloaded
    response = generate(steering, SEED_PAGE, django_capture_on_commit_callbacks)
    done = steering.get(response["Location"]).json()
    pdf = content(steering.get(done["links"]["pdf"]))
    html = content(steering.get(done["links"]["html"]))
    # then both were written to and read from the storage, and nothing to the folder
    report = IssuedReport.objects.get()
    with default_storage.open(report.file.name) as stored:
        assert stored.read() == pdf
    with default_storage.open(report.html_file.name) as stored:
        assert stored.read() == html
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 and pdf.startswith(b"%PDF")
    assert list(tmp_path.rglob("*")) == []


def test_the_default_is_a_folder():
    assert storage_for({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_for({"PORTEFOLJE_MEDIA_STORAGE": "filesystem"})["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_s3_takes_its_bucket_endpoint_and_keys_from_the_environment():
    environ = {
        "PORTEFOLJE_MEDIA_STORAGE": "s3",
        "PORTEFOLJE_S3_BUCKET": "portefolje-archive",
        "PORTEFOLJE_S3_ENDPOINT_URL": "https://minio.example.org:9000",
        "PORTEFOLJE_S3_REGION": "eu-north-1",
        "PORTEFOLJE_S3_ACCESS_KEY_ID": "key-id",
        "PORTEFOLJE_S3_SECRET_ACCESS_KEY": "secret",
        "PORTEFOLJE_S3_PREFIX": "reports",
        "PORTEFOLJE_S3_ADDRESSING_STYLE": "path",
    }

    assert storage_for(environ, **BOTH_INSTALLED) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "portefolje-archive",
            "endpoint_url": "https://minio.example.org:9000",
            "region_name": "eu-north-1",
            "access_key": "key-id",
            "secret_key": "secret",
            "location": "reports",
            "addressing_style": "path",
            "file_overwrite": False,
        },
    }
    # unset options are left to django-storages and boto3 (AWS, its credential chain)
    bucket_only = {"PORTEFOLJE_MEDIA_STORAGE": "s3", "PORTEFOLJE_S3_BUCKET": "b"}
    assert storage_for(bucket_only, **BOTH_INSTALLED)["OPTIONS"] == {
        "bucket_name": "b",
        "file_overwrite": False,
    }


@pytest.mark.parametrize(
    ("environ", "installed", "named"),
    [
        ({"PORTEFOLJE_MEDIA_STORAGE": "ftp"}, True, "PORTEFOLJE_MEDIA_STORAGE"),
        ({"PORTEFOLJE_MEDIA_STORAGE": "s3"}, True, "PORTEFOLJE_S3_BUCKET"),
        (
            {
                "PORTEFOLJE_MEDIA_STORAGE": "s3",
                "PORTEFOLJE_S3_BUCKET": "b",
                "PORTEFOLJE_S3_ADDRESSING_STYLE": "sideways",
            },
            True,
            "PORTEFOLJE_S3_ADDRESSING_STYLE",
        ),
        (
            {"PORTEFOLJE_MEDIA_STORAGE": "s3", "PORTEFOLJE_S3_BUCKET": "b"},
            False,
            "pip install 'portefolje[s3]'",
        ),
    ],
)
def test_a_bad_choice_is_refused_at_start_up_naming_the_variable(environ, installed, named):
    with pytest.raises(ImproperlyConfigured, match=named.replace("[", r"\[").replace("]", r"\]")):
        storage_for(environ, installed=lambda package: installed)
