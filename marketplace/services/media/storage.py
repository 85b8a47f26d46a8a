"""Where photo files live, behind one small interface: ``put``, ``delete``, ``url``.

- ``LocalStorage``: files under a folder (``instance/media/`` by default), served by
  the app's ``/media/<key>`` route. For one app host (or a shared volume).
- ``S3Storage``: any S3-compatible object store (AWS S3, MinIO, R2, ...) through
  boto3, for several app hosts. Credentials come from boto3's usual sources (the
  ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` environment variables, a profile,
  an instance role); files are read by browsers from ``MEDIA_PUBLIC_BASE_URL``.

Keys are made from the content (``photos/<digest>-<width>.webp``), so a stored
file never changes and can be cached for good.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

import boto3
from botocore.config import Config as BotoConfig

#: The only keys this app writes, and so the only ones its media route serves.
KEY_PATTERN = re.compile(r"photos/[0-9a-f]{64}-[0-9]{1,4}\.webp")
IMMUTABLE = "public, max-age=31536000, immutable"


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...


def photo_key(digest: str, width: int) -> str:
    """The key of a photo's variant ``width`` pixels wide."""
    return f"photos/{digest}-{width}.webp"


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not a media key: {key!r}")
    return key


class LocalStorage:
    """Files in a folder; ``url`` is ``base_url`` + key (the app's media route)."""

    def __init__(self, root: str | Path, base_url: str = "/media/") -> None:
        self.root = Path(root)
        self.base_url = base_url

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self.base_url + check_key(key)


class S3Storage:
    """An S3-compatible bucket. Objects are written with their type and a year's
    immutable caching; browsers read them from ``public_base_url``."""

    def __init__(self, *, bucket: str, public_base_url: str, endpoint_url: str | None = None,
                 region: str | None = None, timeout: int = 10) -> None:
        self.bucket = bucket
        self.public_base_url = public_base_url.rstrip("/") + "/"
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            config=BotoConfig(connect_timeout=timeout, read_timeout=timeout,
                              retries={"max_attempts": 3}),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data,
                               ContentType=content_type, CacheControl=IMMUTABLE)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def url(self, key: str) -> str:
        return self.public_base_url + check_key(key)


def from_config(config) -> Storage:
    """The storage the settings name (``MEDIA_STORAGE``: ``local`` or ``s3``)."""
    if config["MEDIA_STORAGE"] == "s3":
        return S3Storage(
            bucket=config["MEDIA_S3_BUCKET"], public_base_url=public_base_url(config),
            endpoint_url=config["MEDIA_S3_ENDPOINT_URL"], region=config["MEDIA_S3_REGION"],
        )
    return LocalStorage(config["MEDIA_ROOT"])


def public_base_url(config) -> str:
    """Where browsers read S3 objects: the setting, else the endpoint's path-style address."""
    if config.get("MEDIA_PUBLIC_BASE_URL"):
        return config["MEDIA_PUBLIC_BASE_URL"]
    endpoint = config.get("MEDIA_S3_ENDPOINT_URL") or (
        f"https://s3.{config.get('MEDIA_S3_REGION') or 'us-east-1'}.amazonaws.com")
    return f"{endpoint.rstrip('/')}/{config['MEDIA_S3_BUCKET']}"
