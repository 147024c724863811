"""Where uploaded files are kept: a folder on the local disk by default, or a bucket in
S3-compatible object storage when `STORAGE_BACKEND=s3` (docs/documents.md).

Files are stored under a random key (`new_key()`), never under the name the uploader gave, so
no name can reach outside the folder or collide with another file.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path
from typing import IO, Protocol

from flask import current_app

KEY = re.compile(r"^[a-z0-9]{32}$")


def new_key() -> str:
    return secrets.token_hex(16)


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError("not a storage key")
    return key


class Storage(Protocol):
    def save(self, key: str, upload: IO[bytes], content_type: str) -> None: ...

    def open(self, key: str) -> IO[bytes]: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in one folder (by default `instance/documents`), two levels of sub-folders by key."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def save(self, key: str, upload: IO[bytes], content_type: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with partial.open("wb") as out:
            shutil.copyfileobj(upload, out, 64 * 1024)
        partial.replace(path)

    def open(self, key: str) -> IO[bytes]:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in one bucket of any S3-compatible store (AWS, MinIO, Ceph, Scaleway …),
    through boto3."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "documents/",
    ):
        import boto3  # only needed when S3 is configured

        self.bucket = bucket
        self.prefix = prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
        )

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def save(self, key: str, upload: IO[bytes], content_type: str) -> None:
        self.client.upload_fileobj(
            upload, self.bucket, self._name(key), ExtraArgs={"ContentType": content_type}
        )

    def open(self, key: str) -> IO[bytes]:
        return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def storage() -> Storage:
    """The storage the app is configured with now (an S3 client is made once per settings)."""
    config = current_app.config
    if config["STORAGE_BACKEND"] != "s3":
        return LocalStorage(config["DOCUMENTS_FOLDER"])
    settings = tuple(
        config[name]
        for name in (
            "S3_BUCKET",
            "S3_ENDPOINT_URL",
            "S3_REGION",
            "S3_ACCESS_KEY_ID",
            "S3_SECRET_ACCESS_KEY",
        )
    )
    made = current_app.extensions.get("documents.s3")
    if made is None or made[0] != settings:
        bucket, endpoint, region, key_id, secret = settings
        made = (
            settings,
            S3Storage(
                bucket,
                endpoint_url=endpoint,
                region=region,
                access_key=key_id,
                secret_key=secret,
            ),
        )
        current_app.extensions["documents.s3"] = made
    return made[1]
