"""Signatures of the opt-out feed: Ed25519 over the exact canonical JSON body (REG-04).

The body is canonical JSON (sorted keys, no spaces, UTF-8) so that the bytes signed are the bytes
sent; the signature travels base64-encoded in the ``X-Moisson-Signature`` header.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = (
    "SIGNATURE_HEADER",
    "canonical_json",
    "public_key_b64",
    "sign",
    "verify",
)

SIGNATURE_HEADER = "X-Moisson-Signature"


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: bytes, private_key: Ed25519PrivateKey) -> str:
    return base64.b64encode(private_key.sign(body)).decode("ascii")


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def verify(body: bytes, signature_b64: str, public_key_b64_text: str) -> bool:
    """True when ``signature_b64`` is a valid Ed25519 signature of ``body``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64_text))
        key.verify(base64.b64decode(signature_b64), body)
    except (InvalidSignature, ValueError):
        return False
    return True
