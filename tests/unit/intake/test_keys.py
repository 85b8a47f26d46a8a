"""The intake key ring: parsing INTAKE_KEYS, AES-GCM sealing and what breaks it."""

import base64

import pytest

from marketplace.services.intake.keys import (
    NONCE_BYTES,
    IntakeUnreadable,
    KeyRing,
    KeyRingError,
    associated_data,
    keyring_for,
)

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()
AAD = associated_data(record_id=7, client_id=3, clinic_id=5)


def test_the_first_key_encrypts_and_every_key_decrypts():
    old = KeyRing.from_config(f"old:{K1}")
    key_id, blob = old.encrypt(b"answers", aad=AAD)
    assert key_id == "old"
    both = KeyRing.from_config(f" new:{K2} , old:{K1} ")
    assert both.primary_id == "new"
    assert both.ids == ("new", "old")
    assert both.decrypt("old", blob, aad=AAD) == b"answers"
    assert both.encrypt(b"answers", aad=AAD)[0] == "new"


def test_every_encryption_uses_a_fresh_nonce():
    ring = KeyRing.from_config(f"k:{K1}")
    first = ring.encrypt(b"same", aad=AAD)[1]
    second = ring.encrypt(b"same", aad=AAD)[1]
    assert first[:NONCE_BYTES] != second[:NONCE_BYTES]
    assert first != second


def test_a_changed_byte_is_detected():
    ring = KeyRing.from_config(f"k:{K1}")
    _, blob = ring.encrypt(b"answers", aad=AAD)
    for position in (0, NONCE_BYTES, len(blob) - 1):
        changed = bytearray(blob)
        changed[position] ^= 1
        with pytest.raises(IntakeUnreadable, match="altered"):
            ring.decrypt("k", bytes(changed), aad=AAD)


@pytest.mark.parametrize(
    "other",
    [
        associated_data(record_id=8, client_id=3, clinic_id=5),
        associated_data(record_id=7, client_id=4, clinic_id=5),
        associated_data(record_id=7, client_id=3, clinic_id=6),
    ],
)
def test_a_ciphertext_is_bound_to_its_row_client_and_clinic(other):
    ring = KeyRing.from_config(f"k:{K1}")
    _, blob = ring.encrypt(b"answers", aad=AAD)
    with pytest.raises(IntakeUnreadable):
        ring.decrypt("k", blob, aad=other)


def test_unknown_key_and_truncated_data_are_unreadable():
    ring = KeyRing.from_config(f"k:{K1}")
    _, blob = ring.encrypt(b"answers", aad=AAD)
    with pytest.raises(IntakeUnreadable, match="not in INTAKE_KEYS"):
        ring.decrypt("gone", blob, aad=AAD)
    with pytest.raises(IntakeUnreadable, match="incomplete"):
        ring.decrypt("k", blob[:NONCE_BYTES], aad=AAD)
    with pytest.raises(IntakeUnreadable, match="altered"):
        KeyRing.from_config(f"k:{K2}").decrypt("k", blob, aad=AAD)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("k1", "id:base64key"),
        (f":{K1}", "id:base64key"),
        ("k1:not base64!", "not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "must be 32 bytes, not 5"),
        (f"k1:{K1},k1:{K2}", "same key id twice"),
        (f"bad id:{K1}", "key id"),
        (f"{'x' * 21}:{K1}", "key id"),
    ],
)
def test_bad_config_is_a_clear_error(value, message):
    with pytest.raises(KeyRingError, match=message) as caught:
        KeyRing.from_config(value)
    assert isinstance(caught.value, ValueError)  # config.check reports it as a ConfigError


def test_errors_and_repr_never_show_key_material():
    short = base64.b64encode(b"secret-bytes").decode()
    with pytest.raises(KeyRingError) as caught:
        KeyRing.from_config(f"k1:{short}")
    assert short not in str(caught.value)
    ring = KeyRing.from_config(f"k1:{K1}")
    assert K1 not in repr(ring)
    assert "k1" in repr(ring)


def test_generated_keys_are_usable_and_distinct():
    a, b = KeyRing.generate_key(), KeyRing.generate_key()
    assert a != b
    assert KeyRing.from_config(f"a:{a},b:{b}").ids == ("a", "b")


def test_the_app_ring_is_parsed_once_per_value():
    config = {"INTAKE_KEYS": f"k:{K1}"}
    assert keyring_for(config) is keyring_for(dict(config))
    with pytest.raises(KeyRingError):
        keyring_for({})
