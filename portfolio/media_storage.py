"""Where the report archive's files live, chosen by the environment: a folder or an S3 bucket.

A folder (MEDIA_ROOT) must be the same on every machine that runs a web process or a worker (a
shared mount); an S3-compatible bucket (AWS S3, MinIO, Ceph, ...) needs django-storages and boto3,
the `s3` extra (`pip install 'portefolje[s3]'`). Settings only name the backend, so choosing S3
loads neither until a file is read or written.
"""

from collections.abc import Callable, Mapping
from importlib.util import find_spec

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"

# Environment variable -> S3Storage option, for the optional ones.
S3_OPTIONS = {
    "PORTEFOLJE_S3_ENDPOINT_URL": "endpoint_url",  # unset: AWS
    "PORTEFOLJE_S3_REGION": "region_name",
    "PORTEFOLJE_S3_ACCESS_KEY_ID": "access_key",  # unset: boto3's own chain (AWS_*, a role)
    "PORTEFOLJE_S3_SECRET_ACCESS_KEY": "secret_key",
    "PORTEFOLJE_S3_PREFIX": "location",  # a folder inside the bucket
    "PORTEFOLJE_S3_ADDRESSING_STYLE": "addressing_style",  # "path" for most MinIO set-ups
}


def _installed(package: str) -> bool:
    return find_spec(package) is not None  # without importing it


def default_storage(
    environ: Mapping[str, str], *, installed: Callable[[str], bool] = _installed
) -> dict:
    """Return the STORAGES["default"] entry that `environ` asks for.

    Choosing S3 without its packages is refused here, at start-up, not at the first report."""
    kind = environ.get("PORTEFOLJE_MEDIA_STORAGE", "filesystem")
    if kind == "filesystem":
        return FILESYSTEM
    if kind != "s3":
        raise ImproperlyConfigured(
            f"PORTEFOLJE_MEDIA_STORAGE must be filesystem or s3, not {kind!r}"
        )
    bucket = environ.get("PORTEFOLJE_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured(
            "PORTEFOLJE_S3_BUCKET must be set when PORTEFOLJE_MEDIA_STORAGE=s3"
        )
    style = environ.get("PORTEFOLJE_S3_ADDRESSING_STYLE", "")
    if style not in ("", "path", "virtual"):
        raise ImproperlyConfigured(
            f"PORTEFOLJE_S3_ADDRESSING_STYLE must be path or virtual, not {style!r}"
        )
    packages = {"storages": "django-storages", "boto3": "boto3"}  # module: distribution
    missing = [name for module, name in packages.items() if not installed(module)]
    if missing:
        raise ImproperlyConfigured(
            "PORTEFOLJE_MEDIA_STORAGE=s3 needs django-storages and boto3 (not installed: "
            f"{', '.join(missing)}): pip install 'portefolje[s3]'"
        )
    options = {
        "bucket_name": bucket,
        # As in a folder, a new file never replaces one of the same name (the bucket keeps
        # its own access policy: files are served through Portefølje's checks, not by URL).
        "file_overwrite": False,
    }
    for variable, option in S3_OPTIONS.items():
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
