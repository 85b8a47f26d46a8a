"""Bodies over MAX_CONTENT_LENGTH (2 MB) are refused with 413 before anything reads
them: forms, file uploads and JSON to the webhook."""

import pytest

BIG = 3 * 1024 * 1024


@pytest.mark.parametrize("path", ["/login", "/register", "/clinics/any/book/hold"])
def test_an_oversized_form_is_refused(client, path):
    response = client.post(path, data={"email": "x" * BIG})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_an_oversized_upload_is_refused(client):
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"photo\"; "
            b"filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            + b"\0" * BIG + b"\r\n--b0undary--\r\n")
    response = client.post("/register", data=body,
                           content_type="multipart/form-data; boundary=b0undary")
    assert response.status_code == 413


def test_an_oversized_webhook_is_refused_before_its_signature_is_checked(client):
    response = client.post("/webhooks/stripe", data=b"{" + b" " * BIG + b"}",
                           content_type="application/json", headers={"Stripe-Signature": "t=1"})
    assert response.status_code == 413


def test_a_large_but_allowed_form_is_read(client):
    response = client.post("/login", data={"email": "x" * (1024 * 1024), "password": "p"})
    assert response.status_code == 422  # read and answered: not an e-mail address
