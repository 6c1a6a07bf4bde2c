"""Personal fields are sealed, bound to their column and row, and readable after key
rotation; version-1 values open only for the one-time upgrade."""

from __future__ import annotations

import pytest

from storage.crypto import DecryptionError, FieldCipher, is_legacy
from tests.hardening.legacy import legacy_key_id, seal_v1
from tests.harness import NEW_KEY, TEST_KEY

KEY = TEST_KEY


def test_round_trip_uses_a_fresh_nonce_each_time() -> None:
    cipher = FieldCipher(KEY)
    first = cipher.encrypt("María Pérez", context="name", row=1)
    second = cipher.encrypt("María Pérez", context="name", row=1)
    assert first != second
    assert "María" not in (first or "")
    assert cipher.decrypt(first, context="name", row=1) == "María Pérez"


def test_value_sealed_for_one_column_does_not_open_in_another() -> None:
    cipher = FieldCipher(KEY)
    sealed = cipher.encrypt("V12345678", context="cedula", row=1)
    with pytest.raises(DecryptionError):
        cipher.decrypt(sealed, context="name", row=1)


def test_value_sealed_for_one_row_does_not_open_in_another() -> None:
    cipher = FieldCipher(KEY)
    sealed = cipher.encrypt("Pedro Pérez", context="reports.person_name", row=7)
    with pytest.raises(DecryptionError):
        cipher.decrypt(sealed, context="reports.person_name", row=8)
    pair = cipher.encrypt("x", context="c", row=("a", "bc"))
    with pytest.raises(DecryptionError):
        cipher.decrypt(pair, context="c", row=("ab", "c"))
    assert cipher.decrypt(pair, context="c", row=["a", "bc"]) == "x"


def test_old_key_still_opens_old_values_and_rotation_is_detected() -> None:
    old = FieldCipher(KEY)
    sealed = old.encrypt("secret", context="c", row=3)
    rotated = FieldCipher(NEW_KEY, (KEY,))
    assert rotated.decrypt(sealed, context="c", row=3) == "secret"
    assert rotated.needs_rotation(sealed, context="c", row=3)
    fresh = rotated.encrypt("secret", context="c", row=3)
    assert not rotated.needs_rotation(fresh, context="c", row=3)


def test_unknown_key_is_refused() -> None:
    sealed = FieldCipher(KEY).encrypt("secret", context="c", row=1)
    with pytest.raises(DecryptionError):
        FieldCipher(NEW_KEY).decrypt(sealed, context="c", row=1)


def test_a_stored_value_names_no_key() -> None:
    """Version 1 carried 32 bits of a hash of the key: a free check of every guess."""
    sealed = FieldCipher(KEY).encrypt("secret", context="c", row=1) or ""
    assert sealed.startswith("v2:")
    assert legacy_key_id(KEY) not in sealed


def test_version_one_values_open_only_with_legacy_reading() -> None:
    old = seal_v1(KEY, "Pedro Pérez", context="reports.person_name")
    assert is_legacy(old)
    with pytest.raises(DecryptionError):
        FieldCipher(KEY).decrypt(old, context="reports.person_name", row=1)
    upgrading = FieldCipher(KEY, legacy=True)
    assert upgrading.decrypt(old, context="reports.person_name", row=1) == "Pedro Pérez"
    assert upgrading.needs_rotation(old, context="reports.person_name", row=1)


def test_lookup_hash_is_stable_keyed_and_purpose_bound() -> None:
    cipher = FieldCipher(KEY)
    assert cipher.lookup_hash("V1", purpose="cedula") == cipher.lookup_hash("V1", purpose="cedula")
    assert cipher.lookup_hash("V1", purpose="cedula") != cipher.lookup_hash("V1", purpose="chat")
    assert FieldCipher(NEW_KEY).lookup_hash("V1", purpose="cedula") != cipher.lookup_hash(
        "V1", purpose="cedula"
    )
