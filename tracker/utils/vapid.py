"""VAPID keys (RFC 8292) for web push, in the form the environment holds them.

A key pair is two base64url strings without padding: the private key is the raw 32-byte P-256
scalar, the public key the 65-byte uncompressed point a browser's `pushManager.subscribe` takes
as `applicationServerKey`. `manage.py generate_vapid_keys` prints a new pair; settings read them
from PARSTRACK_VAPID_PRIVATE_KEY and PARSTRACK_VAPID_PUBLIC_KEY (docs/operations.md).
"""

import base64
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class VapidKeyError(ValueError):
    """The key given is not a base64url P-256 private key."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return b64url(point)


def new_vapid_keys() -> tuple[str, str]:
    """A new (private, public) pair."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big")), public_key_of(key)


def public_key_for(private: str) -> str:
    """The public key that goes with this private key, or VapidKeyError."""
    try:
        raw = b64url_decode(private.strip())
        if len(raw) != 32:
            raise ValueError("not 32 bytes")
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError as error:
        raise VapidKeyError(
            "PARSTRACK_VAPID_PRIVATE_KEY is not a VAPID private key (base64url, 32 bytes): "
            "make a pair with `manage.py generate_vapid_keys`."
        ) from error
    return public_key_of(key)


def development_vapid_keys(path: Path) -> tuple[str, str]:
    """The development pair kept in `path` (made on first use), so that a browser subscribed
    under `make run` stays subscribed across restarts. Never used with DEBUG off. A folder that
    cannot be written gives no pair: push is then not offered, as without keys."""
    try:
        if not path.exists():
            _write_new_pair(path)
        data = json.loads(path.read_text())
        return data["private"], data["public"]
    except (OSError, ValueError, KeyError, TypeError):
        return "", ""


def _write_new_pair(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    private, public = new_vapid_keys()
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(json.dumps({"private": private, "public": public}))
    try:
        os.link(draft, path)  # atomic, and the first of two processes at once wins
    except FileExistsError:
        pass
    finally:
        draft.unlink()
