"""Pseudonyms for research exports, and the age a date of birth becomes.

A patient's pseudonym is HMAC-SHA256 of their id under a key that belongs to their clinic. The
clinic key is itself an HMAC of the clinic's id under `RESEARCH_PSEUDONYM_KEY` (or, when that is
unset, a key derived from `SECRET_KEY`). So a pseudonym is the same in every export until the
secret changes, differs between clinics, and cannot be turned back into an id without the secret.
"""

import hashlib
import hmac

from django.conf import settings

from tracker.models.people import age_in_years as age_in_years  # one formula: Patient.age_on's

PSEUDONYM_HEX_CHARS = 16  # 64 bits: collisions are negligible for a clinic's patients


def master_key() -> bytes:
    configured = settings.RESEARCH_PSEUDONYM_KEY
    if configured:
        return configured.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"parstrack research pseudonyms", hashlib.sha256
    ).digest()


def clinic_key(clinic_id: int, secret: bytes | None = None) -> bytes:
    """The clinic's own pseudonym key."""
    return hmac.new(
        secret if secret is not None else master_key(),
        f"clinic:{clinic_id}".encode(),
        hashlib.sha256,
    ).digest()


def pseudonym(patient_id: int, key: bytes) -> str:
    """A patient's stable pseudonym under a clinic key, e.g. "P-3f9a0c1d2e4b5a6c"."""
    digest = hmac.new(key, f"patient:{patient_id}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:PSEUDONYM_HEX_CHARS]


class Pseudonymiser:
    """Pseudonyms for one export: clinic keys are derived once and reused for every row."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret if secret is not None else master_key()
        self._keys: dict[int, bytes] = {}

    def __call__(self, *, patient_id: int, clinic_id: int) -> str:
        if clinic_id not in self._keys:
            self._keys[clinic_id] = clinic_key(clinic_id, self._secret)
        return pseudonym(patient_id, self._keys[clinic_id])
