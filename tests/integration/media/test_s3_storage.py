"""The S3 backend against a real S3-compatible server (moto in server mode, started
and stopped through tests/support/servers.py): put, read back over HTTP, delete; and
the whole app on it: an upload lands in the bucket, pages point at the public base
URL, the CSP allows that origin, and a removal deletes the objects after the commit."""

from __future__ import annotations

import io
import json

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from marketplace import create_app
from marketplace.services.media.storage import IMMUTABLE, S3Storage, from_config, photo_key
from tests.conftest import CSRFClient, base_config
from tests.support.factories import create_bookable_clinic
from tests.support.photos import photo_bytes
from tests.support.servers import start_object_store

BUCKET = "kneaded-photos"
DIGEST = "ab" * 32


@pytest.fixture(scope="module")
def object_store():
    server = start_object_store()
    yield server
    server.stop()


@pytest.fixture
def s3_env(monkeypatch, object_store):
    """Credentials as boto3 reads them (moto takes any), and a fresh bucket."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.client("s3", endpoint_url=object_store.url, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # As docs/deploy.md says: anyone may read photos/*, nobody anonymous may list.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{BUCKET}/photos/*"}]}))
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _settings(object_store) -> dict:
    return {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": object_store.url, "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_PUBLIC_BASE_URL": f"{object_store.url}/{BUCKET}"}


def test_put_read_and_delete_an_object(s3_env, object_store):
    storage = from_config(_settings(object_store))
    assert isinstance(storage, S3Storage)
    key = photo_key(DIGEST, 400)
    storage.put(key, b"RIFF....WEBPVP8 ", "image/webp")
    head = s3_env.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == IMMUTABLE
    url = storage.url(key)
    assert url == f"{object_store.url}/{BUCKET}/photos/{DIGEST}-400.webp"
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == b"RIFF....WEBPVP8 "
    storage.delete(key)
    with pytest.raises(ClientError):
        s3_env.head_object(Bucket=BUCKET, Key=key)
    storage.delete(key)  # deleting what is gone is not an error


def test_a_key_the_app_does_not_make_is_refused_before_any_request(object_store, s3_env):
    storage = from_config(_settings(object_store))
    for key in ("../escape.webp", "photos/x.webp", "other/" + DIGEST + "-400.webp"):
        with pytest.raises(ValueError, match="not a media key"):
            storage.put(key, b"x", "image/webp")


def test_the_public_base_url_defaults_to_the_endpoints_path_style_address(object_store):
    settings = _settings(object_store) | {"MEDIA_PUBLIC_BASE_URL": ""}
    assert from_config(settings).url(photo_key(DIGEST, 800)) == \
        f"{object_store.url}/{BUCKET}/photos/{DIGEST}-800.webp"


@pytest.fixture
def s3_app(app, s3_env, object_store, tmp_path):
    """The app with its photos in the bucket (same database and test transaction)."""
    app_s3 = create_app(base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path,
                                    **_settings(object_store)))
    app_s3.test_client_class = CSRFClient
    with app_s3.app_context():
        yield app_s3


def test_the_app_stores_photos_in_the_bucket_and_pages_point_there(s3_app, s3_env,
                                                                   object_store):
    from marketplace.models import Photo, db
    from tests.conftest import AuthActions

    x = create_bookable_clinic()
    client = s3_app.test_client()
    AuthActions(client).session_for(x.owner)
    url = f"/owner/clinics/{x.clinic.slug}/photos"
    response = client.post(url, data={"clinic-photo": (io.BytesIO(photo_bytes()), "a.heic"),
                                      "clinic-alt_text": "Treatment room"},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    photo = db.session.query(Photo).filter_by(clinic_id=x.clinic.id).one()
    keys = {o["Key"] for o in s3_env.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {photo_key(photo.digest, w) for w in photo.widths}
    page = client.get(f"/clinics/{x.clinic.slug}")
    html = page.get_data(as_text=True)
    assert f'src="{object_store.url}/{BUCKET}/photos/{photo.digest}-800.webp"' in html
    assert (f"img-src 'self' data: https://tile.openstreetmap.org {object_store.url};"
            in page.headers["Content-Security-Policy"])  # the map's tiles, then the photos
    assert requests.get(f"{object_store.url}/{BUCKET}/{photo_key(photo.digest, 400)}",
                        timeout=10).status_code == 200
    assert client.get(f"/media/{photo_key(photo.digest, 400)}").status_code == 404
    assert client.post(f"{url}/{photo.id}/delete").status_code == 303
    assert s3_env.list_objects_v2(Bucket=BUCKET).get("Contents", []) == []
