"""Personal fields are sealed, bound to their column, and readable after key rotation."""

from __future__ import annotations

import pytest

from storage.crypto import DecryptionError, FieldCipher

KEY = "k" * 32
NEW_KEY = "n" * 32


def test_round_trip_uses_a_fresh_nonce_each_time() -> None:
    cipher = FieldCipher(KEY)
    first = cipher.encrypt("María Pérez", context="name")
    second = cipher.encrypt("María Pérez", context="name")
    assert first != second
    assert "María" not in (first or "")
    assert cipher.decrypt(first, context="name") == "María Pérez"


def test_value_sealed_for_one_column_does_not_open_in_another() -> None:
    cipher = FieldCipher(KEY)
    sealed = cipher.encrypt("V12345678", context="cedula")
    with pytest.raises(DecryptionError):
        cipher.decrypt(sealed, context="name")


def test_old_key_still_opens_old_values_and_rotation_is_detected() -> None:
    old = FieldCipher(KEY)
    sealed = old.encrypt("secret", context="c")
    rotated = FieldCipher(NEW_KEY, (KEY,))
    assert rotated.decrypt(sealed, context="c") == "secret"
    assert rotated.needs_rotation(sealed)
    assert not rotated.needs_rotation(rotated.encrypt("secret", context="c"))


def test_unknown_key_is_refused() -> None:
    sealed = FieldCipher(KEY).encrypt("secret")
    with pytest.raises(DecryptionError):
        FieldCipher(NEW_KEY).decrypt(sealed)


def test_lookup_hash_is_stable_keyed_and_purpose_bound() -> None:
    cipher = FieldCipher(KEY)
    assert cipher.lookup_hash("V1", purpose="cedula") == cipher.lookup_hash("V1", purpose="cedula")
    assert cipher.lookup_hash("V1", purpose="cedula") != cipher.lookup_hash("V1", purpose="chat")
    assert FieldCipher(NEW_KEY).lookup_hash("V1", purpose="cedula") != cipher.lookup_hash(
        "V1", purpose="cedula"
    )
